"""What the language server knows of the workspace: one Linter (the configuration and the
sites it found, read once), the editor's unsaved buffers laid over the files on disk, and
what the site-wide rules kept of every file of each site, updated one file at a time.

Not thread-safe: the server calls it from one worker thread. A configuration that does not
load raises pagelint.config.ConfigError, for the server to show."""

from __future__ import annotations

import io
import logging
from pathlib import Path

from pagelint.config import CONFIG_FILE
from pagelint.diagnostics import Diagnostic, Target
from pagelint.model import front_matter
from pagelint.model.generators.hugo_urls import HEAD_BYTES
from pagelint.run.linter import Linter, NotPublished
from pagelint.run.one_file import fixed_text

logger = logging.getLogger(__name__)

# Online rules request links: never while one types (the configuration may enable them).
_OFFLINE = {"ignore": ["L1"]}


class WorkspaceState:
    def __init__(self, root: Path | None = None) -> None:
        self.root = root.absolute() if root is not None else None
        self.buffers: dict[Path, bytes] = {}  # the open documents' text, unsaved edits included
        self._own: dict[Path, list[Diagnostic]] = {}  # each open document's findings, less the site-wide ones
        self._site_wide: dict[str, list[Diagnostic]] = {}  # by display path
        self.refresh()

    def refresh(self) -> None:
        """Read the configuration and the sites afresh (a configuration file changed)."""
        self.linter = Linter(_OFFLINE)
        self._collected_sites: set[Path] = set()
        self._own.clear()
        self._site_wide.clear()

    def display(self, path: Path) -> str:
        """The path as diagnostics name it: from the workspace's root where it is inside."""
        if self.root is not None and path.is_relative_to(self.root):
            return path.relative_to(self.root).as_posix()
        return str(path)

    def is_configuration(self, path: Path) -> bool:
        """A file whose change changes every page's findings: pagelint's or the site's configuration."""
        if path.name in (CONFIG_FILE, "pyproject.toml"):
            return True
        site = self.linter.sites.site_for(path)
        return site is not None and site.kind_of(path) == "config"

    # Documents -------------------------------------------------------------------------

    def open(self, path: Path, text: str) -> dict[Path, list[Diagnostic]]:
        """Check an opened or changed document: its findings, and those of every other open
        document whose site-wide findings it changed."""
        raw = as_bytes(text)
        self.buffers[path] = raw
        if not self._lay_over_site(path, raw):
            return self._check_open(path)
        # The site's URLs may have changed: its other open documents' links and URLs are checked again.
        changed = {}
        for other in self._open_in_site_of(path):
            changed.update(self._check_open(other))
        changed.update(self._check_open(path))
        return changed

    def close(self, path: Path) -> dict[Path, list[Diagnostic]]:
        """The editor closed `path`: the site sees its file on disk again."""
        self.buffers.pop(path, None)
        self._own.pop(path, None)
        self._lay_over_site(path, None)
        self._check_closed(path)
        return self._changed_site_wide(exclude=None)

    def _lay_over_site(self, path: Path, raw: bytes | None) -> bool:
        """Let the site read `raw` (None: the file on disk) for `path`; whether what decides
        the site's URLs (a file added or removed, its front matter) changed with it."""
        site = self.linter.sites.site_for(path)
        relative = site.relative(path) if site is not None else None
        if site is None or relative is None:
            return False
        before = site.unsaved.pop(str(relative), None)
        if raw is not None:
            site.unsaved[str(relative)] = raw
        if before is not None and raw is not None and _head(before) == _head(raw):
            return False
        site.forget_files()
        return True

    def _open_in_site_of(self, path: Path) -> list[Path]:
        site = self.linter.sites.site_for(path)
        return [other for other in self.buffers if other != path and other in self._own and self.linter.sites.site_for(other) is site]

    def file_changed(self, path: Path) -> dict[Path, list[Diagnostic]]:
        """A file was saved, created, changed or removed on disk (a configuration file refreshes everything)."""
        if self.is_configuration(path):
            self.refresh()
            return {open_path: self._check_open(open_path)[open_path] for open_path in list(self.buffers)}
        site = self.linter.sites.site_for(path)
        if site is not None:
            site.forget_files()
        if path not in self.buffers:
            self._check_closed(path)
        return {open_path: self._check_open(open_path)[open_path] for open_path in list(self.buffers)}

    def fixed(self, path: Path, text: str, unsafe: bool = False) -> str | None:
        """What `pagelint check --fix` makes of the document, or None where nothing changes."""
        raw = self._bounded(path, as_bytes(text))
        if isinstance(raw, Diagnostic):
            return None
        try:
            return fixed_text(self.linter, Target(path, self.display(path)), raw, unsafe)
        finally:  # the fixes' re-checks left the fixed text's summaries with the site rules
            self._check_open(path)

    # Checking --------------------------------------------------------------------------

    def _check_open(self, path: Path) -> dict[Path, list[Diagnostic]]:
        target = Target(path, self.display(path))
        self._collect_site_of(path)
        found = self._check(target, self._bounded(path, self.buffers[path]))
        self._own[path] = found
        changed = self._changed_site_wide(exclude=path)
        changed[path] = found + self._site_wide.get(target.display, [])
        return changed

    def _check(self, target: Target, raw: bytes | Diagnostic | None) -> list[Diagnostic]:
        """The file's findings (read from disk where `raw` is None)."""
        checked = self.linter.check_target(target, raw)
        if isinstance(checked, NotPublished):
            self.linter.forget(target.display)
            return []
        self._report_internal_errors()
        return checked[1]

    def _check_closed(self, path: Path) -> None:
        """Keep the site rules' summary of a file on disk (of none, where it is gone)."""
        display = self.display(path)
        if not path.is_file():
            self.linter.forget(display)
            return
        self._check(Target(path, display), None)

    def _bounded(self, path: Path, raw: bytes) -> bytes | Diagnostic:
        """The buffer, or the finding that it is over max-file-size, as `pagelint check` reads a file."""
        return self.linter.read_stream(io.BytesIO(raw), Target(path, self.display(path)))

    def _collect_site_of(self, path: Path) -> None:
        """The first time a site is met, let the site rules see each of its files once."""
        site = self.linter.sites.site_for(path)
        if site is None or site.root in self._collected_sites:
            return
        self._collected_sites.add(site.root)
        for target in self.linter.discover([str(site.root)]):
            if target.path.absolute() not in self.buffers:
                self._check(Target(target.path.absolute(), self.display(target.path.absolute())), None)
        for open_path in self.buffers:
            if open_path != path and self.linter.sites.site_for(open_path) is site:
                self._check(Target(open_path, self.display(open_path)), self._bounded(open_path, self.buffers[open_path]))

    def _changed_site_wide(self, exclude: Path | None) -> dict[Path, list[Diagnostic]]:
        """Finish the site rules; the open documents (but `exclude`) whose site-wide findings changed."""
        by_path: dict[str, list[Diagnostic]] = {}
        for diagnostic in self.linter.finish_site_rules():
            by_path.setdefault(diagnostic.path, []).append(diagnostic)
        changed = {}
        for open_path, own in self._own.items():
            display = self.display(open_path)
            if open_path != exclude and by_path.get(display, []) != self._site_wide.get(display, []):
                changed[open_path] = own + by_path.get(display, [])
        self._site_wide = by_path
        return changed

    def _report_internal_errors(self) -> None:
        for error in self.linter.internal_errors:
            logger.error("%s", error)
        self.linter.internal_errors.clear()


def _head(raw: bytes) -> str:
    """A page's front matter, as far as the site's URL index reads it (else its first bytes)."""
    head = raw[:HEAD_BYTES].decode("utf-8", "replace")
    block = front_matter.locate(head, json_allowed=True)
    return head[: block.content_end] if block is not None else head[:HEAD_BYTES]


def as_bytes(text: str) -> bytes:
    """The document's text as the file's bytes: the bytes that were not UTF-8 come back from
    the surrogates they were decoded to (as Python and pygls decode them)."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate of another kind: no byte it stands for
        return text.encode("utf-8", "replace")
