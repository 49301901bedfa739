"""`pagelint init`: a commented `.pagelint.toml` suited to the site's template, and the
snippets that run pagelint in pre-commit and in GitHub Actions."""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path

from pagelint.bounded_io import DEFAULT_MAX_FILE_SIZE
from pagelint.model.generators import GENERATORS, generator_of
from pagelint.model.site import Site

CONFIG_NAME = ".pagelint.toml"
REPOSITORY = "https://github.com/pagelint/pagelint"
# pagelint has no release tag yet: a pin names a branch, which `pre-commit autoupdate` turns into
# the newest commit's hash (pre-commit never updates a branch pin by itself), and a workflow may
# pin a commit's hash the same way.
PRE_COMMIT = f"""\
# .pre-commit-config.yaml; then `pre-commit autoupdate` pins rev to the newest commit,
# and `pre-commit install` runs pagelint before each commit
repos:
  - repo: {REPOSITORY}
    rev: main
    hooks:
      - id: pagelint
"""

GITHUB_ACTIONS = """\
# .github/workflows/pagelint.yml
name: pagelint
on: [push, pull_request]
jobs:
  pagelint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: pagelint/pagelint@main  # or a commit's hash, to change only when you do
"""


def _data(name: str) -> str:
    return resources.files("pagelint.data").joinpath(name).read_text(encoding="utf-8")


def config_text(site: Site) -> str:
    template = site.template
    settings = json.loads(_data("init_templates.json"))[template]
    exclude = (
        "extend-exclude = [" + ", ".join(json.dumps(pattern) for pattern in settings["exclude"]) + "]\n"
        if settings["exclude"]
        else '# extend-exclude = ["old/"]\n'
    )
    return _data("init.toml").format(
        site_name=site.root.absolute().name,
        template_description=settings["description"],
        exclude=exclude,
        template_notes=settings["notes"],
    )


def init(root: Path, force: bool) -> int:
    if not root.is_dir():
        print(f"pagelint: error: {root}: not a folder", file=sys.stderr)
        return 2
    target = root / CONFIG_NAME
    if target.exists() and not force:
        print(f"pagelint: error: {target} exists; use --force to replace it", file=sys.stderr)
        return 2
    site = Site(root, generator_of(root) or GENERATORS[0], DEFAULT_MAX_FILE_SIZE)
    try:
        target.write_text(config_text(site), encoding="utf-8")
    except OSError as exc:
        print(f"pagelint: error: cannot write {target}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"Wrote {target} for {json.loads(_data('init_templates.json'))[site.template]['description']}.\n")
    print("To check staged pages before each commit, add to .pre-commit-config.yaml:\n")
    print(PRE_COMMIT)
    print("To check every push and annotate pull requests, add a workflow:\n")
    print(GITHUB_ACTIONS, end="")
    return 0
