"""What the build-comparison scripts (jekyll_compare.py, hugo_compare.py) share: the cases the
command line selects, and each one written to a temporary site, checked and built there."""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any


def selected(cases: list) -> list:
    """The cases whose name contains the command line's first argument (all without one)."""
    only = sys.argv[1] if len(sys.argv) > 1 else ""
    return [case for case in cases if only in case.name]


def run_each(cases: list, prefix: str, write_site: Callable, lint: Callable, build: Callable) -> Iterator[tuple[Any, Any, Any]]:
    """(case, pagelint's findings, what the build did) for each case, in a folder removed after."""
    for case in cases:
        folder = Path(tempfile.mkdtemp(prefix=prefix))
        try:
            write_site(case, folder)
            findings = lint(case, folder)
            built = build(case, folder)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        yield case, findings, built
