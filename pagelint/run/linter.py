"""The linter of one run: the settings of each file, loading it as a Document, running the
enabled rules on it, applying suppressions and severities, and finishing the site rules."""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from pagelint import config as config_module
from pagelint.bounded_io import NotRegularFile, TooLarge, read_at_most, read_regular_file
from pagelint.config import FileSettings, OnlineSettings, Settings
from pagelint.diagnostics import Diagnostic, LinkOccurrence, Target
from pagelint.model.document import Document
from pagelint.model.generators import GENERATORS
from pagelint.model.generators.base import READ
from pagelint.model.site import Site, SiteFinder
from pagelint.rules import all_rules
from pagelint.rules.base import SiteRule
from pagelint.rules.encoding import BinaryFile, FileTooLarge, IoError
from pagelint.rules.online import ONLINE_CODES
from pagelint.run import discovery
from pagelint.run.suppressions import Suppressions

_IO_ERROR, _TOO_LARGE, _BINARY = IoError(), FileTooLarge(), BinaryFile()
_SNIFF_BYTES = 8192


class Linter:
    def __init__(self, cli_overrides: dict[str, Any] | None = None, config_path: Path | None = None):
        self.cli_overrides = cli_overrides or {}
        self.debug = False
        self.internal_errors: list[str] = []
        self.config_path = config_path
        self.sites = SiteFinder(lambda folder: self.settings_for(folder / "_").max_file_size)
        self._settings_by_directory: dict[Path, Settings] = {}
        self._settings_by_file: dict[Path, Settings] = {}
        self._file_settings: dict[tuple, FileSettings] = {}
        self.site_rules: dict[str, SiteRule] = {rule.code: rule for rule in all_rules() if isinstance(rule, SiteRule)}
        # Of each site rule that ran: display path -> the page's summary, and the options it ran with.
        self.collected: dict[str, dict[str, Any]] = {}
        self.site_rule_options: dict[str, dict] = {}
        self.collect_links = False  # `check --online`: keep every external link's occurrences
        self.link_occurrences: dict[str, list[LinkOccurrence]] = {}  # by display path
        self.on_links: Callable[[list[LinkOccurrence]], None] | None = None  # told of each page's, as it is checked

    # Settings ------------------------------------------------------------------------

    @cached_property
    def _default_settings(self) -> Settings:
        return config_module.with_cli(Settings(base=Path.cwd()), **self.cli_overrides)

    def settings_for(self, path: Path) -> Settings:
        if self.config_path is not None:
            return self._load_settings(self.config_path)
        directory = path.absolute().parent
        if directory not in self._settings_by_directory:
            found = config_module.find_config_file(directory)
            self._settings_by_directory[directory] = (
                self._load_settings(found) if found is not None else self._default_settings
            )
        return self._settings_by_directory[directory]

    def _load_settings(self, config_file: Path) -> Settings:
        key = config_file.absolute()
        if key not in self._settings_by_file:
            self._settings_by_file[key] = config_module.with_cli(config_module.load_file(config_file), **self.cli_overrides)
        return self._settings_by_file[key]

    def file_settings(self, settings: Settings, path: Path) -> FileSettings:
        relative = config_module.relative_to_base(settings, path)
        matched = tuple(
            index
            for index, override in enumerate(settings.overrides)
            if any(config_module.glob_matches(pattern, relative) for pattern in override.files)
        )
        key = (id(settings), matched)
        if key not in self._file_settings:
            self._file_settings[key] = config_module.file_settings(settings, path)
        return self._file_settings[key]

    def discover(self, paths: list[str]) -> Iterator[Target]:
        return discovery.discover(paths, self.settings_for)

    # Checking ------------------------------------------------------------------------

    def check_target(
        self, target: Target, raw: bytes | Diagnostic | None = None, unpublished: bool = False
    ) -> tuple[Document | None, list[Diagnostic]] | NotPublished:
        """The loaded document (None when it could not be) and its diagnostics, or why the
        site does not publish the file (which is then not checked). With `raw`, that is the
        file's content (stdin, or a fix being re-checked) or why it could not be read. With
        `unpublished` (or the setting), a file the site does not publish is checked as a page
        on its own, without its site."""
        settings = self.settings_for(target.path)
        selected = self.file_settings(settings, target.path)
        as_plain_page = unpublished or settings.unpublished
        site = self.sites.site_for(target.path)
        reading = site.reading(target.path) if site is not None else READ
        if not reading.read and not reading.by_mistake and not as_plain_page:
            return NotPublished(reading.why_not)
        if raw is None:
            raw = self._read(target, settings)
        if isinstance(raw, Diagnostic):
            return None, self._finalize([raw], selected)
        if b"\x00" in raw[:_SNIFF_BYTES]:
            problem = _BINARY.diagnostic_at(target.display, 1, 1, 1, 1, "file contains NUL bytes; not checked as a page")
            return None, self._finalize([problem], selected)
        doc = _document(target, raw, site if reading.read or reading.by_mistake else None, settings.max_file_size)
        if doc.site is not None and not (reading := doc.site.reading(target.path, doc.data)).read and not reading.by_mistake:
            if not as_plain_page:
                return NotPublished(reading.why_not)
            doc = _document(target, raw, None, settings.max_file_size)
        return doc, self.check_document(doc, selected)

    def load(self, target: Target, raw: bytes) -> Document:
        """The file as a Document of the site it is in."""
        return _document(target, raw, self.sites.site_for(target.path), self.settings_for(target.path).max_file_size)

    def check_document(self, doc: Document, selected: FileSettings) -> list[Diagnostic]:
        found: list[Diagnostic] = []
        generator = doc.site.generator.name if doc.site is not None else GENERATORS[0].name
        for rule, options in selected.rules_for(generator):
            if isinstance(rule, SiteRule):
                self._collect(rule, doc, options)
                continue
            try:
                found.extend(rule.check(doc, options))
            except Exception as exc:  # a bug in one rule must not stop the run
                self.internal_errors.append(f"{doc.display_path}: internal error in {rule.code} ({rule.name}): {exc!r}")
                if self.debug:
                    raise
        suppressions = Suppressions(doc)
        found = suppressions.filter(found)
        online_codes = selected.codes & ONLINE_CODES
        if self.collect_links and online_codes:
            self._keep_links_of(doc, suppressions, selected, online_codes)
            found += suppressions.problems(selected.codes)
        else:  # online rules silenced in a page get no verdict from an offline run
            found += suppressions.problems(selected.codes - ONLINE_CODES)
        return self._finalize(found, selected)

    def _collect(self, rule: SiteRule, doc: Document, options: dict[str, Any]) -> None:
        self.site_rule_options[rule.code] = options
        summary = rule.collect(doc, options)
        summaries = self.collected.setdefault(rule.code, {})
        if summary is None:  # nothing to keep; a page checked again after a fix drops its old one
            summaries.pop(doc.display_path, None)
        else:
            summaries[doc.display_path] = summary

    def _keep_links_of(self, doc: Document, suppressions: Suppressions, selected: FileSettings, codes: frozenset[str]) -> None:
        """Keep the page's external links for `check --online`, each with the online rules
        that its line does not silence (a link they all silence is not requested)."""
        from pagelint.model.links import external_targets

        online = self.settings_for(Path(doc.path)).online
        severity = tuple((code, level) for code, level in selected.severity.items() if code in codes)
        occurrences = []
        for target in external_targets(doc):
            if _excluded_online(target.url, online):
                continue
            span = (*doc.position(target.start), *doc.position(target.end))
            surviving = frozenset(code for code in codes if not suppressions.silences(span[0], code))
            if surviving:
                occurrences.append(LinkOccurrence(target.url, doc.display_path, (target.start, target.end), span, surviving, severity))
        self.keep_links(doc.display_path, occurrences)

    def forget(self, display: str) -> None:
        """Drop what the site rules kept of a file (removed, or checked no more)."""
        for summaries in self.collected.values():
            summaries.pop(display, None)

    def keep_links(self, path: str, occurrences: list[LinkOccurrence]) -> None:
        self.link_occurrences[path] = occurrences
        if self.on_links is not None:
            self.on_links(occurrences)

    def finish_site_rules(self) -> list[Diagnostic]:
        found: list[Diagnostic] = []
        for code, collected in sorted(self.collected.items()):
            found.extend(self.site_rules[code].finish([collected[path] for path in sorted(collected)], self.site_rule_options[code]))
        configured = []
        for diagnostic in found:  # each at the severity its own file's configuration gives its rule
            path = Path(diagnostic.path)
            configured.append(_at_configured_severity(diagnostic, self.file_settings(self.settings_for(path), path)))
        return configured

    @staticmethod
    def _finalize(found: list[Diagnostic], selected: FileSettings) -> list[Diagnostic]:
        codes = selected.codes
        result = []
        for diagnostic in found:
            if diagnostic.code in codes:
                result.append(_at_configured_severity(diagnostic, selected))
        result.sort(key=lambda diagnostic: diagnostic.sort_key)
        return result

    def _read(self, target: Target, settings: Settings) -> bytes | Diagnostic:
        return _bounded(target.display, lambda: read_regular_file(target.path, settings.max_file_size))

    def read_stream(self, stream: BinaryIO, target: Target) -> bytes | Diagnostic:
        """The content of `target` from `stream` (stdin), up to its max-file-size: an endless
        stream is cut there and reported as a file too large would be."""
        limit = self.settings_for(target.path).max_file_size
        return _bounded(target.display, lambda: read_at_most(stream, limit))


def _at_configured_severity(diagnostic: Diagnostic, selected: FileSettings) -> Diagnostic:
    level = selected.severity.get(diagnostic.code)
    return replace(diagnostic, severity=level) if level and level != diagnostic.severity else diagnostic


def _bounded(display: str, read: Callable[[], bytes]) -> bytes | Diagnostic:
    """What `read` returns, or the finding that says why it could not be read."""
    try:
        return read()
    except TooLarge as exc:
        size = f"{exc.size:,} bytes, " if exc.size is not None else ""
        return _TOO_LARGE.diagnostic_at(display, 1, 1, 1, 1, f"file is {size}over max-file-size ({exc.limit:,}); skipped")
    except NotRegularFile:
        return _IO_ERROR.diagnostic_at(display, 1, 1, 1, 1, "not a regular file")
    except OSError as exc:
        return _IO_ERROR.diagnostic_at(display, 1, 1, 1, 1, f"cannot read file: {exc.strerror or exc}")


class NotPublished(NamedTuple):
    """A file its site does not publish, and so did not check: why."""

    why: str


def _document(target: Target, raw: bytes, site: Site | None, max_file_size: int) -> Document:
    kind = site.kind_of(target.path) if site is not None else "page"
    return Document(str(target.path), target.display, raw, kind=kind, site=site, max_file_size=max_file_size)


def _excluded_online(url: str, online: OnlineSettings) -> bool:
    from pagelint.model.links import url_host

    host = url_host(url)
    excluded_hosts = (*online.exclude_hosts, *(name for name, options in online.hosts.items() if options.exclude))
    return any(fnmatch.fnmatchcase(url, pattern) for pattern in online.exclude) or any(
        host == name or host.endswith("." + name) for name in excluded_hosts
    )
