"""Failure behaviour: parallel runs equal serial ones, interruptions, vanishing files, files
that cannot be written. Every case ends with a clear message and a defined exit code."""

from __future__ import annotations

import errno
import json
import os

import pytest

from pagelint import fixer
from tests.conftest import run_cli, run_subprocess


def make_site(root, count):
    (root / "_config.yml").write_text("title: T\n")
    (root / "_pages").mkdir()
    for index in range(count):
        permalink = "/same/" if index in (3, 250) else f"/page-{index}/"
        (root / "_pages" / f"p{index:03d}.md").write_text(
            f"---\ntitle: Page {index}\npermalink: {permalink}\n---\nHi <font>x</font> accpeted {index}\n"
        )


def test_parallel_output_equals_serial_output(tmp_path):
    make_site(tmp_path, 260)
    serial = run_subprocess(["check", "--format", "json", "-j", "1", "."], cwd=tmp_path)
    parallel = run_subprocess(["check", "--format", "json", "-j", "2", "."], cwd=tmp_path)
    assert serial.returncode == parallel.returncode == 1
    assert serial.stdout == parallel.stdout
    codes = [d["code"] for d in json.loads(parallel.stdout)["diagnostics"]]
    assert codes.count("J005") == 2 and codes.count("M001") == 260


def test_jobs_must_be_positive(tmp_path, monkeypatch, capsys):
    (tmp_path / "a.md").write_text("x\n")
    code, _, err = run_cli(["check", "-j", "0", "a.md"], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert code == 2 and "--jobs" in err


def test_interrupt_is_one_line_and_exit_2(tmp_path, monkeypatch, capsys):
    (tmp_path / "a.md").write_text("x\n")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("pagelint.engine.run", interrupted)
    code, _, err = run_cli(["check", "a.md"], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert code == 2 and err == "pagelint: interrupted\n"


def test_internal_error_is_one_line_and_debug_shows_traceback(tmp_path, monkeypatch, capsys):
    (tmp_path / "a.md").write_text("x\n")

    def broken(*args, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr("pagelint.engine.run", broken)
    code, _, err = run_cli(["check", "a.md"], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert code == 2 and "internal error" in err and "Traceback" not in err
    with pytest.raises(ValueError):
        run_cli(["check", "--debug", "a.md"], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)


def test_file_that_vanishes_during_the_run(tmp_path, monkeypatch, capsys):
    (tmp_path / "a.md").write_text("<font>x</font>\n")
    (tmp_path / "b.md").write_text("<font>x</font>\n")
    from pagelint.engine import Linter

    original = Linter.discover

    def discover_then_delete(self, paths):
        for target in original(self, paths):
            if target.path.name == "a.md":
                target.path.unlink()
            yield target

    monkeypatch.setattr(Linter, "discover", discover_then_delete)
    code, out, _ = run_cli(["check", "--format", "json", "."], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    found = [(d["path"], d["code"]) for d in json.loads(out)["diagnostics"]]
    assert found == [("a.md", "E900"), ("b.md", "M001")] and code == 1


@pytest.mark.parametrize("failure", [errno.ENOSPC, errno.EROFS])
def test_fix_that_cannot_be_written_leaves_the_original(tmp_path, monkeypatch, capsys, failure):
    page = tmp_path / "a.md"
    page.write_text("<!-- pagelint-disable-next-line M001 -->\nplain\n")

    def fail(*args):
        raise OSError(failure, os.strerror(failure))

    monkeypatch.setattr(fixer.os, "fsync", fail)
    code, _, err = run_cli(["check", "--fix", "--unsafe-fixes", "a.md"], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert code == 2 and "fixes not written" in err and os.strerror(failure) in err
    assert page.read_text() == "<!-- pagelint-disable-next-line M001 -->\nplain\n"
    assert [name for name in os.listdir(tmp_path)] == ["a.md"]  # no temporary file left behind
