"""Failure behaviour: parallel runs equal serial ones, interruptions, vanishing files, files
that cannot be written. Every case ends with a clear message and a defined exit code."""

from __future__ import annotations

import errno
import json
import os

import pytest

from pagelint.run import fixer
from tests.conftest import codes, run_cli, run_subprocess


def make_site(root, count):
    (root / "_config.yml").write_text("title: T\ninclude: [_pages]\n")
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
    found = codes(json.loads(parallel.stdout)["diagnostics"])
    assert found.count("J005") == 2 and found.count("M001") == 260


def test_jobs_must_be_positive(tmp_path, monkeypatch, capsys):
    (tmp_path / "a.md").write_text("x\n")
    code, _, err = run_cli(["check", "-j", "0", "a.md"], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert code == 2 and "--jobs" in err


def test_interrupt_is_one_line_and_exit_2(tmp_path, monkeypatch, capsys):
    (tmp_path / "a.md").write_text("x\n")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("pagelint.run.runner.run", interrupted)
    code, _, err = run_cli(["check", "a.md"], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert code == 2 and err == "pagelint: interrupted\n"


def test_internal_error_is_one_line_and_debug_shows_traceback(tmp_path, monkeypatch, capsys):
    (tmp_path / "a.md").write_text("x\n")

    def broken(*args, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr("pagelint.run.runner.run", broken)
    code, _, err = run_cli(["check", "a.md"], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert code == 2 and "internal error" in err and "Traceback" not in err
    with pytest.raises(ValueError):
        run_cli(["check", "--debug", "a.md"], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)


def test_file_that_vanishes_during_the_run(tmp_path, monkeypatch, capsys):
    (tmp_path / "a.md").write_text("<font>x</font>\n")
    (tmp_path / "b.md").write_text("<font>x</font>\n")
    from pagelint.run.linter import Linter

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


def test_files_are_found_as_they_are_checked(tmp_path, monkeypatch):
    """A million small files must not be held in memory before the first is checked: the walk
    lists a folder only when it reaches it."""
    from pagelint.run import discovery
    from pagelint.run.linter import Linter

    for folder in ("a", "b", "c"):
        for index in range(3):
            (tmp_path / folder).mkdir(exist_ok=True)
            (tmp_path / folder / f"{index}.md").write_text("x\n")
    listed = []
    real_scandir = os.scandir
    monkeypatch.setattr(discovery.os, "scandir", lambda path: listed.append(os.path.basename(path)) or real_scandir(path))
    targets = Linter().discover([str(tmp_path)])
    assert next(targets).path == tmp_path / "a" / "0.md"
    assert listed == [tmp_path.name, "a"]
    assert [target.path.relative_to(tmp_path).as_posix() for target in targets][-1] == "c/2.md"


def test_walk_order_is_the_order_of_the_paths(tmp_path):
    from pagelint.run.linter import Linter

    for name in ("b.md", "b/x.md", "b-c.md", "a/z/y.md", "a.md", "B.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x\n")
    displays = [target.display for target in Linter().discover([str(tmp_path)])]
    relative = [os.path.relpath(display, tmp_path) for display in displays]
    assert relative == sorted(relative) == ["B.md", "a.md", "a/z/y.md", "b-c.md", "b.md", "b/x.md"]


def test_deep_folder_tree_is_walked_without_recursion(tmp_path):
    from pagelint.run.linter import Linter

    folders = [tmp_path]
    for _ in range(1500):  # deeper than Python's recursion limit; os.makedirs itself recurses
        folders.append(folders[-1] / "d")
        folders[-1].mkdir()
    page = folders[-1] / "page.md"
    page.write_text("x\n")
    try:
        assert [target.path for target in Linter().discover([str(tmp_path)])] == [page]
    finally:  # shutil.rmtree recurses too: pytest could not clean this tree up
        page.unlink()
        for folder in reversed(folders[1:]):
            folder.rmdir()


def test_a_missing_path_is_reported_before_anything_is_checked(tmp_path, monkeypatch, capsys):
    (tmp_path / "a.md").write_text("<font>x</font>\n")
    code, out, err = run_cli(["check", "a.md", "missing.md"], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert code == 2 and out == "" and "missing.md: no such file or directory" in err


def test_ctrl_c_stops_a_parallel_run_with_one_line(sigint_not_ignored, tmp_path):
    """Ctrl-C reaches the whole process group, the pool's workers too: none may print a traceback."""
    import signal
    import subprocess
    import sys
    import time

    make_site(tmp_path, 10_000)  # seconds of work on 2 processes: still running when the signal comes
    run = subprocess.Popen(
        [sys.executable, "-m", "pagelint", "check", "-j", "2", "."], cwd=tmp_path,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )
    time.sleep(1)
    os.killpg(run.pid, signal.SIGINT)
    _, err = run.communicate(timeout=120)
    assert run.returncode == 2 and err.decode() == "pagelint: interrupted\n"


def test_ctrl_c_tests_skip_with_a_reason_when_sigint_is_ignored():
    import signal
    import subprocess
    import sys

    from tests.conftest import ROOT

    ctrl_c_tests = ["tests/test_hardening.py::test_ctrl_c_stops_a_parallel_run_with_one_line",
                    "tests/test_online.py::test_ctrl_c_while_links_are_requested_stops_at_once"]
    under_nohup = subprocess.run(
        [sys.executable, "-m", "pytest", "-rs", "-p", "no:cacheprovider", *ctrl_c_tests], cwd=ROOT,
        capture_output=True, text=True, timeout=300, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    assert under_nohup.returncode == 0, under_nohup.stdout[-3000:]
    assert "3 skipped in" in under_nohup.stdout and "SIGINT is ignored by this test process" in under_nohup.stdout
