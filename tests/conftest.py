from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

from pagelint.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SHARED = ROOT.parent / "shared"


def run_cli(args: list[str], cwd: Path | None = None, monkeypatch=None, capsys=None) -> tuple[int, str, str]:
    """Run `pagelint` in-process; returns (exit code, stdout, stderr)."""
    assert capsys is not None
    if cwd is not None and monkeypatch is not None:
        monkeypatch.chdir(cwd)
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_subprocess(args: list[str], cwd: Path | None = None, stdin: bytes | None = None, env=None):
    return subprocess.run(
        [sys.executable, "-m", "pagelint", *args], cwd=cwd, input=stdin, capture_output=True, env=env, timeout=120
    )


@pytest.fixture
def cli(tmp_path, monkeypatch, capsys):
    """Run `pagelint ARGS...` in-process in a temporary folder: (exit code, stdout, stderr)."""

    def _cli(*args: str):
        return run_cli(list(args), cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)

    return _cli


@pytest.fixture
def sigint_not_ignored():
    """For tests that press Ctrl-C on a pagelint they start. An ignored SIGINT (nohup, some CI runners) is
    inherited by the child, and Python then installs no KeyboardInterrupt handler: the child would run on."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        pytest.skip("SIGINT is ignored by this test process (nohup or the CI runner), so the pagelint it starts would ignore Ctrl-C too")


@pytest.fixture
def lint(tmp_path, monkeypatch, capsys):
    """Write files into a temporary folder and check them; returns the JSON diagnostics.

    `lint({"page.md": "..."}, "--select", "M001")` -> list of diagnostic dicts."""

    def _lint(files: dict[str, str | bytes], *args: str, paths: list[str] | None = None):
        for name, content in files.items():
            target = tmp_path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8", newline="")
        code, out, err = run_cli(
            ["check", "--format", "json", *args, *(paths or ["."])], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys
        )
        assert code in (0, 1), err
        return json.loads(out)["diagnostics"]

    return _lint


class Finding(NamedTuple):
    """A diagnostic as a tuple, so a test compares findings whole: `== [(1, 9, 25, "M001", None)]`."""

    line: int
    column: int
    end_column: int
    code: str
    fix: str | None  # the replacement text; None when the finding has no fix


def findings(diagnostics: list[dict]) -> list[Finding]:
    """The JSON diagnostics of a run as `Finding`s."""
    return [Finding(d["line"], d["column"], d["end_column"], d["code"], d["fix"]["replacement"] if d["fix"] else None)
            for d in diagnostics]


def codes(diagnostics: list[dict]) -> list[str]:
    return [d["code"] for d in diagnostics]


@pytest.fixture
def found(lint):
    """Check one page and return its findings.

    `found(page, "M001,M002")` writes `page` to p.md and checks it with those rules (None: the default selection);
    `name` is the page's path, `files` the other files of its site, and more options follow the selection:
    `found(page, None, "--extend-select", "M100", name="_pages/about.md", files={"_config.yml": "..."})`."""

    def _found(page: str | bytes, select: str | None, *options: str, name: str = "p.md", files: dict[str, str] | None = None):
        selection = ("--select", select) if select is not None else ()
        return findings(lint({**(files or {}), name: page}, *selection, *options, paths=[name]))

    return _found
