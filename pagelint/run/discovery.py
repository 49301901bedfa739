"""Which files a run checks: the paths named, and the pages found in the folders named."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

from pagelint import config as config_module
from pagelint.bounded_io import open_regular_file
from pagelint.config import Settings
from pagelint.diagnostics import Target
from pagelint.model.document import BIBTEX_SUFFIXES, HTML_SUFFIXES, MARKDOWN_SUFFIXES, OTHER_TEXT_SUFFIXES
from pagelint.model.generators import read_beside_pages

# A `.bib` file anywhere: its site's generator decides whether the build reads it (jekyll-scholar's
# `scholar.source`, a Hugo page bundle).
DISCOVERED_SUFFIXES = MARKDOWN_SUFFIXES | HTML_SUFFIXES | BIBTEX_SUFFIXES


class UsageError(Exception):
    """A problem with what the user asked for (a missing path): exit code 2."""


def discover(paths: list[str], settings_for: Callable[[Path], Settings]) -> Iterator[Target]:
    """Files to check, in the order of their paths. A named file is checked whatever its
    extension; folders are walked for pages, following links but never in a loop. Every
    path is checked to exist first; the files are then found as they are checked, so
    that memory does not grow with their number."""
    for given in paths:
        if not os.path.lexists(given):
            raise UsageError(f"{given}: no such file or directory")
    return _targets(paths, settings_for)


def _targets(paths: list[str], settings_for: Callable[[Path], Settings]) -> Iterator[Target]:
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from _walk(path, given, settings_for(path / "_"))
        else:
            yield Target(path, given)


def _walk(root: Path, given: str, settings: Settings) -> Iterator[Target]:
    """The wanted files below `root`, in the order of their paths as strings. Each folder
    is listed once, when the walk reaches it, and a folder reached twice through links is
    skipped; an explicit stack keeps deep trees clear of the recursion limit."""
    visited: set[tuple[int, int]] = set()
    stack = [_sorted_entries(root, visited)]
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        path, is_folder = entry
        if config_module.is_excluded(settings, path):
            continue
        if is_folder:
            stack.append(_sorted_entries(path, visited))
        elif _wanted_in_folder(path):
            relative = os.path.relpath(path, root)
            yield Target(path, os.path.join(given, relative) if given != "." else relative)


def _has_front_matter(path: Path) -> bool:
    try:
        with open_regular_file(path) as handle:
            head = handle.read(5)
    except OSError:
        return False
    return head.startswith((b"---\n", b"---\r", b"--- "))


def _wanted_in_folder(path: Path) -> bool:
    suffix = path.suffix.lower()
    if suffix in DISCOVERED_SUFFIXES:
        return True
    if read_beside_pages(path):
        return True
    return suffix in OTHER_TEXT_SUFFIXES and _has_front_matter(path)


def _sorted_entries(folder: Path, visited: set[tuple[int, int]]) -> Iterator[tuple[Path, bool]]:
    """`folder`'s entries as (path, is a folder), sorted as their paths sort as strings: a
    folder's name sorts as if followed by the separator, which is where its files will stand.
    Empty when the folder cannot be read or was visited already."""
    try:
        info = folder.stat()
        if (info.st_dev, info.st_ino) in visited:
            return iter(())
        visited.add((info.st_dev, info.st_ino))
        with os.scandir(folder) as listing:
            entries = [(entry.name, _is_folder(entry)) for entry in listing]
    except OSError:
        return iter(())
    entries.sort(key=lambda entry: entry[0] + os.sep if entry[1] else entry[0])
    return ((folder / name, is_folder) for name, is_folder in entries)  # a path made only when reached


def _is_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()  # follows links, as a walk into a linked folder should
    except OSError:
        return False
