"""What a user installs: the pre-commit hook, and a wheel that carries every data file (pre-commit
installs pagelint as a wheel, not in editable mode, so a file left out works here and fails there)."""

from __future__ import annotations

import fnmatch
import re
import tomllib

import pytest
import yaml

from tests.conftest import ROOT


def test_pre_commit_hook_definition():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    hook = next(hook for hook in hooks if hook["id"] == "pagelint")
    assert hook["entry"].split() == ["pagelint", "check", "--offline"]  # never online, whatever the configuration
    assert hook["language"] == "python" and hook["types"] == ["text"]


@pytest.mark.parametrize(
    "path, passed",
    [
        ("_pages/about.md", True), ("index.html", True), ("_config.yml", True), ("_data/navigation.yml", True),
        ("hugo.toml", True),
        ("config/_default/params.yaml", True), ("config/production/hugo.toml", True),
        ("site/_config.yml", True),
        (".github/workflows/ci.yml", False), (".pre-commit-config.yaml", False), ("Gemfile", False), ("assets/app.js", False),
        ("_bibliography/papers.bib", True), ("content/publication/tides/cite.bib", True),
    ],
)
def test_the_hook_passes_pages_configuration_and_data(path, passed):
    """A commit of a `_config.yml` that Jekyll cannot parse must reach pagelint."""
    hook = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())[0]
    assert bool(re.search(hook["files"], path)) is passed


def test_every_data_file_is_in_the_package_data():
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    folders = {"pagelint.data": ROOT / "pagelint" / "data", "pagelint.schemas": ROOT / setuptools["package-dir"]["pagelint.schemas"]}
    for package, folder in folders.items():
        patterns = setuptools["package-data"][package]
        files = [path.name for path in folder.iterdir() if path.is_file() and path.suffix != ".py"]
        assert files and all(any(fnmatch.fnmatch(name, pattern) for pattern in patterns) for name in files), (package, files)


def test_every_subpackage_is_in_the_wheel():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "pagelint").rglob("__init__.py")}
    assert found <= listed, found - listed
