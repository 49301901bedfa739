"""The shipped hook under the real pre-commit: one process for all the files (one summary, the
site-wide rules see every file), and installed from a checkout pinned to a commit."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

PRE_COMMIT = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which("pre-commit")
pytestmark = pytest.mark.skipif(PRE_COMMIT is None, reason="pre-commit is not installed (it is in the test extras)")

PAGES = 6  # more files than cores, so that pre-commit batches them unless the hook is serial
SUMMARY = re.compile(r"^(Found \d+ problems?|All checks passed)", re.MULTILINE)  # ends each pagelint run


def _git(cwd: Path, *args: str) -> str:
    environment = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env=environment).stdout.strip()


def _site(root: Path) -> Path:
    """An invented Jekyll site whose two pages claim one permalink, in a git repository."""
    root.mkdir()
    (root / "_config.yml").write_text('title: "A. Researcher"\ninclude: ["_pages"]\n')
    (root / "_pages").mkdir()
    for number in range(PAGES):
        permalink = "/about/" if number < 2 else f"/page-{number}/"
        (root / "_pages" / f"page-{number}.md").write_text(f"---\ntitle: Page {number}\npermalink: {permalink}\n---\n\nSome text of page {number}.\n")
    _git(root, "init", "-q")
    return root


def _run(site: Path, home: Path, **environment: str) -> subprocess.CompletedProcess:
    _git(site, "add", "-A")
    return subprocess.run(
        [PRE_COMMIT, "run", "--all-files", "--color", "never"], cwd=site, capture_output=True, text=True, timeout=600,
        env={**os.environ, "PRE_COMMIT_HOME": str(home), **environment},
    )


def _shipped_hook() -> dict:
    return next(hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text()) if hook["id"] == "pagelint")


def _local_config(site: Path, hook: dict) -> None:
    """The shipped hook as a local one run by this interpreter's pagelint (nothing to install)."""
    local = {key: value for key, value in hook.items() if key not in ("language", "entry")}
    local |= {"language": "system", "entry": f"{sys.executable} -m {hook['entry']}"}
    (site / ".pre-commit-config.yaml").write_text(yaml.safe_dump({"repos": [{"repo": "local", "hooks": [local]}]}))


def test_the_hook_runs_once_for_all_files_and_sees_the_duplicate_permalink(tmp_path):
    site = _site(tmp_path / "site")
    _local_config(site, _shipped_hook())
    done = _run(site, tmp_path / "home")
    assert done.returncode == 1, done.stdout + done.stderr
    assert len(SUMMARY.findall(done.stdout)) == 1, done.stdout
    assert "J005" in done.stdout and "page-0.md" in done.stdout and "page-1.md" in done.stdout


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="pre-commit batches files by core; one core makes one batch anyway")
def test_without_require_serial_pre_commit_batches_the_files(tmp_path):
    """The control: what `require_serial` prevents."""
    site = _site(tmp_path / "site")
    _local_config(site, _shipped_hook() | {"require_serial": False})
    done = _run(site, tmp_path / "home")
    assert len(SUMMARY.findall(done.stdout)) >= 2, done.stdout


def test_the_hook_installs_from_a_checkout_pinned_to_a_commit(tmp_path):
    """As the README tells users: `repo` and a commit as `rev`. pre-commit installs the hook's
    environment with pip from the checkout; the test stays offline (no index), so it needs
    pagelint's build and run dependencies as wheels in PIP_FIND_LINKS, and skips without them."""
    checkout = tmp_path / "pagelint"
    shutil.copytree(ROOT, checkout, ignore=shutil.ignore_patterns(".venv", ".git", "__pycache__", "*.egg-info", "build", ".pytest_cache", ".hypothesis", "bench", "fuzz"))
    _git(checkout, "init", "-q")
    _git(checkout, "add", "-A")
    _git(checkout, "commit", "-qm", "pagelint")
    site = _site(tmp_path / "site")
    config = {"repos": [{"repo": str(checkout), "rev": _git(checkout, "rev-parse", "HEAD"), "hooks": [{"id": "pagelint"}]}]}
    (site / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    done = _run(site, tmp_path / "home", PIP_NO_INDEX="1")
    if "An unexpected error has occurred" in done.stdout + done.stderr and "Could not find a version" in (tmp_path / "home" / "pre-commit.log").read_text(errors="replace"):
        pytest.skip("pip cannot install the hook's environment offline: put wheels of pagelint's build and run dependencies in PIP_FIND_LINKS")
    assert done.returncode == 1, done.stdout + done.stderr
    assert len(SUMMARY.findall(done.stdout)) == 1 and "J005" in done.stdout, done.stdout
