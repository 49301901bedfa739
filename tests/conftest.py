from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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
