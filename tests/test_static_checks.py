"""ruff and mypy, configured in pyproject.toml, are part of the test suite: a change that
they reject fails like a failing test."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff_is_clean():
    result = run("ruff", "check", "--no-cache", "pagelint")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean():
    result = run("mypy", "--no-incremental")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_checks_do_fail_on_a_defect(tmp_path):
    """The positive control: the same configuration rejects an unused import and a type error."""
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text().replace('files = ["pagelint"]', 'files = ["bad.py"]'))
    (tmp_path / "bad.py").write_text("import os\n\n\ndef f() -> int:\n    return 'text'\n")
    ruff = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "bad.py"], cwd=tmp_path, capture_output=True, text=True, check=False)
    mypy = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert ruff.returncode == 1 and "F401" in ruff.stdout
    assert mypy.returncode == 1 and "Incompatible return value" in mypy.stdout
