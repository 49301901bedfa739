"""The run: discover files, load each as a Document, run the enabled rules, apply
suppressions and severities, then let site-wide rules finish."""

from __future__ import annotations

import collections
import difflib
import fnmatch
import itertools
import os
import signal
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from pagelint import config as config_module
from pagelint import fixer
from pagelint import suppressions
from pagelint.config import ConfigError, FileSettings, Settings
from pagelint.diagnostics import Diagnostic, Severity
from pagelint.document import HTML_SUFFIXES, MARKDOWN_SUFFIXES, OTHER_TEXT_SUFFIXES, Document
from pagelint.rules.base import SiteRule
from pagelint.rules.encoding import BinaryFile, FileTooLarge, IoError
from pagelint.rules.online import ONLINE_CODES
from pagelint.site import CONFIG_NAMES, SiteFinder

DISCOVERED_SUFFIXES = MARKDOWN_SUFFIXES | HTML_SUFFIXES
_IO_ERROR, _TOO_LARGE, _BINARY = IoError(), FileTooLarge(), BinaryFile()
_SNIFF_BYTES = 8192


class UsageError(Exception):
    """A problem with what the user asked for (a missing path): exit code 2."""


@dataclass(frozen=True, slots=True)
class Target:
    path: Path  # on disk (for stdin: the --stdin-filename, which need not exist)
    display: str  # as the user wrote it


@dataclass(frozen=True, slots=True)
class LinkOccurrence:
    """An external link that `check --online` requests: where it stands in which file, and
    the online rules that may report it there (enabled, not suppressed at that line)."""

    url: str
    path: str
    offsets: tuple[int, int]  # of the URL in the file's text, for fixes
    span: tuple[int, int, int, int]  # line, column, end line, end column
    codes: frozenset[str]
    severity: tuple[tuple[str, Severity], ...] = ()  # the file's severity overrides of online rules


@dataclass
class RunResult:
    """What a run found, after fixes; `sources` keeps each file's source lines and `checked`
    names every file checked, in order, only when asked (for --show-source and the HTML
    report; for reporters that list clean files too), so that memory does not otherwise
    grow with the number of files."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    files_checked: int = 0
    checked: list[str] = field(default_factory=list)
    fixed: int = 0
    diffs: list[str] = field(default_factory=list)
    sources: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # for the user, on stderr; not errors
    # Counts of links found "dead", "redirected" and "ok" when links were checked online;
    # None when they were not (the report then leaves link health out).
    link_health: dict[str, int] | None = None


def _has_front_matter(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            head = handle.read(5)
    except OSError:
        return False
    return head.startswith((b"---\n", b"---\r\n", b"--- "))


def _wanted_in_folder(path: Path) -> bool:
    suffix = path.suffix.lower()
    if suffix in DISCOVERED_SUFFIXES:
        return True
    if path.name in CONFIG_NAMES or (path.parent.name == "_data" and suffix in (".yml", ".yaml")):
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


class Linter:
    def __init__(self, cli_overrides: dict[str, Any] | None = None, config_path: Path | None = None):
        self.cli_overrides = cli_overrides or {}
        self.debug = False
        self.internal_errors: list[str] = []
        self.config_path = config_path
        self.sites = SiteFinder()
        self._settings_by_directory: dict[Path, Settings] = {}
        self._settings_by_file: dict[Path, Settings] = {}
        self._file_settings: dict[tuple, FileSettings] = {}
        self.collected: dict[str, dict[str, Any]] = {}  # rule code -> path -> summary
        self.site_rules: dict[str, SiteRule] = {}
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

    # Discovery -----------------------------------------------------------------------

    def discover(self, paths: list[str]) -> Iterator[Target]:
        """Files to check, in the order of their paths. A named file is checked whatever its
        extension; folders are walked for pages, following links but never in a loop. Every
        path is checked to exist first; the files are then found as they are checked, so
        that memory does not grow with their number."""
        for given in paths:
            if not os.path.lexists(given):
                raise UsageError(f"{given}: no such file or directory")
        return self._targets(paths)

    def _targets(self, paths: list[str]) -> Iterator[Target]:
        for given in paths:
            path = Path(given)
            if path.is_dir():
                yield from self._walk(path, given)
            else:
                yield Target(path, given)

    def _walk(self, root: Path, given: str) -> Iterator[Target]:
        """The wanted files below `root`, in the order of their paths as strings. Each folder
        is listed once, when the walk reaches it, and a folder reached twice through links is
        skipped; an explicit stack keeps deep trees clear of the recursion limit."""
        settings = self.settings_for(root / "_")
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

    # Checking ------------------------------------------------------------------------

    def check_target(self, target: Target, raw: bytes | None = None) -> tuple[Document | None, list[Diagnostic]]:
        """The loaded document (None when it could not be) and its diagnostics.
        With `raw`, that is the file's content (stdin, or a fix being re-checked)."""
        settings = self.settings_for(target.path)
        selected = self.file_settings(settings, target.path)
        if raw is None:
            raw_or_problem = self._read(target, settings)
            if isinstance(raw_or_problem, Diagnostic):
                return None, self._finalize([raw_or_problem], selected)
            raw = raw_or_problem
        if b"\x00" in raw[:_SNIFF_BYTES]:
            problem = _BINARY.diagnostic_at(target.display, 1, 1, 1, 1, "file contains NUL bytes; not checked as a page")
            return None, self._finalize([problem], selected)
        doc = self.load(target, raw)
        return doc, self.check_document(doc, selected)

    def load(self, target: Target, raw: bytes) -> Document:
        site = self.sites.site_for(target.path)
        kind = site.kind_of(target.path) if site is not None else "page"
        return Document(str(target.path), target.display, raw, kind=kind, site=site)

    def check_document(self, doc: Document, selected: FileSettings) -> list[Diagnostic]:
        found: list[Diagnostic] = []
        for rule in selected.rules:
            if rule.engine_reported:
                continue
            options = {**rule.options, **selected.options.get(rule.code, {})}
            if isinstance(rule, SiteRule):
                self.site_rules[rule.code] = rule
                self.site_rule_options[rule.code] = options
                summary = rule.collect(doc, options)
                summaries = self.collected.setdefault(rule.code, {})
                if summary is None:  # nothing to keep; a page checked again after a fix drops its old one
                    summaries.pop(doc.display_path, None)
                else:
                    summaries[doc.display_path] = summary
                continue
            try:
                found.extend(rule.check(doc, options))
            except Exception as exc:  # a bug in one rule must not stop the run
                self.internal_errors.append(f"{doc.display_path}: internal error in {rule.code} ({rule.name}): {exc!r}")
                if self.debug:
                    raise
        online_codes = selected.codes & ONLINE_CODES
        if self.collect_links and online_codes:
            found = self._collect_links(doc, found, selected, online_codes)
        else:  # online rules silenced in a page get no verdict from an offline run
            found = suppressions.apply(doc, found, selected.codes - ONLINE_CODES)
        return self._finalize(found, selected)

    def _collect_links(self, doc: Document, found: list[Diagnostic], selected: FileSettings, codes: frozenset[str]):
        """Apply suppressions to `found` and to a placeholder finding of every online rule at
        every external link, so that online findings are silenced exactly like the others."""
        from pagelint.linktargets import external_targets

        online = self.settings_for(Path(doc.path)).online
        targets = [target for target in external_targets(doc) if not _excluded_online(target.url, online)]
        surviving: dict[int, set[str]] = {index: set(codes) for index in range(len(targets))}
        if "pagelint-" in doc.text:  # a placeholder has no category; its message is its link's index
            placeholders = [
                Diagnostic(doc.display_path, *doc.position(target.start), *doc.position(target.end), code, "", None, Severity.INFO, str(index))
                for index, target in enumerate(targets)
                for code in codes
            ]
            found = suppressions.apply(doc, found + placeholders, selected.codes)
            surviving = {}
            for diagnostic in found:
                if diagnostic.category is None:
                    surviving.setdefault(int(diagnostic.message), set()).add(diagnostic.code)
        severity = tuple((code, level) for code, level in selected.severity.items() if code in codes)
        self.keep_links(doc.display_path, [
            LinkOccurrence(
                target.url, doc.display_path, (target.start, target.end),
                (*doc.position(target.start), *doc.position(target.end)), frozenset(surviving[index]), severity,
            )
            for index, target in enumerate(targets)
            if index in surviving
        ])
        return [diagnostic for diagnostic in found if diagnostic.category is not None]

    def keep_links(self, path: str, occurrences: list[LinkOccurrence]) -> None:
        self.link_occurrences[path] = occurrences
        if self.on_links is not None:
            self.on_links(occurrences)

    def finish_site_rules(self) -> list[Diagnostic]:
        found: list[Diagnostic] = []
        for code, rule in sorted(self.site_rules.items()):
            collected = self.collected.get(code, {})
            found.extend(rule.finish([collected[path] for path in sorted(collected)], self.site_rule_options[code]))
        return found

    @staticmethod
    def _finalize(found: list[Diagnostic], selected: FileSettings) -> list[Diagnostic]:
        codes = selected.codes
        result = []
        for diagnostic in found:
            if diagnostic.code not in codes:
                continue
            level = selected.severity.get(diagnostic.code)
            result.append(replace(diagnostic, severity=level) if level and level != diagnostic.severity else diagnostic)
        result.sort(key=lambda diagnostic: diagnostic.sort_key)
        return result

    def _read(self, target: Target, settings: Settings) -> bytes | Diagnostic:
        display = target.display
        try:
            info = target.path.stat()
            if not stat.S_ISREG(info.st_mode):
                return _IO_ERROR.diagnostic_at(display, 1, 1, 1, 1, "not a regular file")
            if info.st_size > settings.max_file_size:
                return _TOO_LARGE.diagnostic_at(
                    display, 1, 1, 1, 1,
                    f"file is {info.st_size:,} bytes, over max-file-size ({settings.max_file_size:,}); skipped",
                )
            with target.path.open("rb") as handle:
                return handle.read(settings.max_file_size + 1)
        except OSError as exc:
            return _IO_ERROR.diagnostic_at(display, 1, 1, 1, 1, f"cannot read file: {exc.strerror or exc}")



def _excluded_online(url: str, online) -> bool:
    from pagelint.linktargets import url_host

    host = url_host(url)
    excluded_hosts = (*online.exclude_hosts, *(name for name, options in online.hosts.items() if options.exclude))
    return any(fnmatch.fnmatchcase(url, pattern) for pattern in online.exclude) or any(
        host == name or host.endswith("." + name) for name in excluded_hosts
    )


@dataclass(frozen=True)
class OnlineRun:
    """`check --online`: the flags that change how links are requested."""

    refresh: bool = False  # ignore the cache (results are still stored)
    allow_private: bool = False
    progress: bool = False  # a progress bar on stderr
    jobs: int = 1  # processes to request links from, for large runs


@dataclass(frozen=True)
class RunOptions:
    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False
    keep_sources: bool = False
    keep_checked: bool = False
    stdin_filename: str | None = None
    online: OnlineRun | None = None


PARALLEL_THRESHOLD = 200  # below this many files, starting processes costs more than it saves


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def run(linter: Linter, paths: list[str], options: RunOptions, stdin: bytes | None = None, jobs: int = 1) -> RunResult:
    """Check (and with `fix`/`diff`, fix) every target; `stdin` is the content for `-`.

    With `jobs` > 1 and many files, files are checked in a pool of processes; the output is
    the same, in the same order, whatever the number of processes."""
    result = RunResult()
    linter.collect_links = options.online is not None
    links = None
    if options.online is not None:  # links are requested while the pages are checked
        from pagelint.online import LinkSession

        given = Path(paths[0] if paths != ["-"] else options.stdin_filename or "-")
        settings = linter.settings_for(given / "_" if given.is_dir() else given)
        site = linter.sites.site_for(given / "_" if given.is_dir() else given)
        links = LinkSession(settings, site.root if site else None, options.online)
        linter.on_links = links.add
    try:
        if paths == ["-"]:
            name = options.stdin_filename or "-"
            _check_one(linter, Target(Path(name), name), stdin or b"", options, result)
        else:
            targets = linter.discover(paths)
            first = list(itertools.islice(targets, PARALLEL_THRESHOLD)) if jobs > 1 else []
            if len(first) == PARALLEL_THRESHOLD:
                _run_parallel(linter, itertools.chain(first, targets), options, jobs, result)
            else:
                for target in itertools.chain(first, targets):
                    _check_one(linter, target, None, options, result)
        result.diagnostics.extend(linter.finish_site_rules())
        if links is not None:
            found, notes, result.link_health = links.finish(linter.link_occurrences)
    except BaseException:  # Ctrl-C, an internal error: no request is left under way
        if links is not None:
            links.stop()
        raise
    if links is not None:
        if options.fix and paths != ["-"]:
            found = _fix_online(linter, found, options, result)
        result.diagnostics.extend(found)
        result.notes.extend(notes)
    return result


def _fix_online(linter: Linter, found: list[Diagnostic], options: RunOptions, result: RunResult):
    """Apply the online rules' fixes (a permanent redirect's target, `https`) to the files,
    which already hold the offline fixes: the links' offsets were taken from that text.
    A file's display path is its path from here (stdin is not fixed). Returns the findings left."""
    by_path: dict[str, list[Diagnostic]] = {}
    for diagnostic in found:
        if diagnostic.fix is not None and (diagnostic.fix.safe or options.unsafe_fixes):
            by_path.setdefault(diagnostic.path, []).append(diagnostic)
    applied: set[Diagnostic] = set()
    for path, diagnostics in by_path.items():
        target = Target(Path(path), path)
        try:
            doc = linter.load(target, target.path.read_bytes())
            edits = [
                edit for edit in fixer.select_edits(diagnostics, options.unsafe_fixes)
                if doc.text[edit.start : edit.end].lower().startswith("http")  # the link is still where it was
            ]
            if edits:
                fixer.write_atomically(target.path, fixer.encode(fixer.apply_edits(doc.text, edits), doc.has_bom))
        except OSError as exc:
            linter.internal_errors.append(f"{path}: fixes not written: {exc.strerror or exc}")
            continue
        done = {id(edit) for edit in edits}
        applied.update(diagnostic for diagnostic in diagnostics if id(diagnostic.fix) in done)
    result.fixed += len(applied)
    return [diagnostic for diagnostic in found if diagnostic not in applied]


def _check_one(linter: Linter, target: Target, raw: bytes | None, options: RunOptions, result: RunResult) -> None:
    doc, diagnostics = linter.check_target(target, raw)
    result.files_checked += 1
    if options.keep_checked:
        result.checked.append(target.display)
    if doc is not None and (options.fix or options.diff) and any(d.fix for d in diagnostics):
        doc, diagnostics = _fix(linter, target, doc, diagnostics, options, result, stdin_mode=raw is not None)
    if options.keep_sources and doc is not None:
        result.sources[target.display] = doc.text.split("\n")
    result.diagnostics.extend(diagnostics)


_WORKER: Linter | None = None


def ignore_interrupts() -> None:
    """In a worker process: Ctrl-C reaches the whole process group, and the parent alone
    answers it (one line, exit 2); a worker that took it would print a traceback of its own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _start_worker(cli_overrides, config_path, debug, collect_links) -> None:
    global _WORKER
    ignore_interrupts()
    _WORKER = Linter(cli_overrides, config_path)
    _WORKER.debug = debug
    _WORKER.collect_links = collect_links


def _check_chunk(arguments) -> tuple[RunResult, dict, dict, list[str], dict]:
    targets, options = arguments
    assert _WORKER is not None
    chunk = RunResult()
    for target in targets:
        _check_one(_WORKER, target, None, options, chunk)
    collected, _WORKER.collected = _WORKER.collected, {}
    site_options = {code: (_WORKER.site_rules[code], _WORKER.site_rule_options[code]) for code in collected}
    errors, _WORKER.internal_errors = _WORKER.internal_errors, []
    links, _WORKER.link_occurrences = _WORKER.link_occurrences, {}
    return chunk, collected, site_options, errors, links


CHUNK_SIZE = 32  # files a worker checks per task: large enough to amortise the hand-over
CHUNKS_IN_FLIGHT = 4  # per process: enough to keep each busy, few enough to bound memory


def _chunks(targets: Iterator[Target], options: RunOptions) -> Iterator[tuple[list[Target], RunOptions]]:
    while chunk := list(itertools.islice(targets, CHUNK_SIZE)):
        yield chunk, options


def _run_parallel(linter: Linter, targets: Iterator[Target], options: RunOptions, jobs: int, result: RunResult) -> None:
    """Check chunks of files in `jobs` processes, merging their results in the order of the
    files; only a few chunks are handed out ahead, so a huge tree is never held in memory."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(jobs, initializer=_start_worker, initargs=(linter.cli_overrides, linter.config_path, linter.debug, linter.collect_links)) as pool:
        pending: collections.deque = collections.deque()
        try:
            for chunk in _chunks(iter(targets), options):
                pending.append(pool.submit(_check_chunk, chunk))
                if len(pending) >= jobs * CHUNKS_IN_FLIGHT:
                    _merge(linter, result, *pending.popleft().result())
            while pending:
                _merge(linter, result, *pending.popleft().result())
        except KeyboardInterrupt:
            pool.shutdown(cancel_futures=True)  # the chunks not yet started are dropped
            raise


def _merge(linter: Linter, result: RunResult, chunk: RunResult, collected: dict, site_options: dict, errors: list[str], links: dict) -> None:
    result.diagnostics.extend(chunk.diagnostics)
    result.files_checked += chunk.files_checked
    result.checked.extend(chunk.checked)
    result.fixed += chunk.fixed
    result.diffs.extend(chunk.diffs)
    result.sources.update(chunk.sources)
    linter.internal_errors.extend(errors)
    for path, occurrences in links.items():
        linter.keep_links(path, occurrences)
    for code, summaries in collected.items():
        linter.collected.setdefault(code, {}).update(summaries)
        linter.site_rules[code], linter.site_rule_options[code] = site_options[code]


def _fix(linter, target, doc, diagnostics, options, result, stdin_mode):
    original = doc
    doc, diagnostics, applied = fixer.fix_document(
        lambda raw: linter.check_target(target, raw), doc, diagnostics, options.unsafe_fixes
    )
    if doc is None or (doc.text, doc.has_bom) == (original.text, original.has_bom):
        return (original if doc is None else doc), diagnostics
    if options.diff:
        result.diffs.append(
            "".join(
                difflib.unified_diff(
                    original.text.splitlines(keepends=True),
                    doc.text.splitlines(keepends=True),
                    fromfile=f"a/{target.display}",
                    tofile=f"b/{target.display}",
                )
            )
        )
        return original, diagnostics
    if stdin_mode:
        result.fixed += applied
        result.diffs.append(doc.text)  # with stdin, --fix prints the fixed text
        return doc, diagnostics
    try:
        fixer.write_atomically(target.path, fixer.encode(doc.text, doc.has_bom))
    except OSError as exc:  # read-only file, full disk: the original is left as it was
        linter.internal_errors.append(f"{target.display}: fixes not written: {exc.strerror or exc}")
        return original, linter.check_target(target, original.raw)[1]
    result.fixed += applied
    return doc, diagnostics
