"""Which files Jekyll reads, and which of them it publishes at a URL of their own: its reader
(`Jekyll::Reader`, `EntryFilter`, `PostReader`, `Collection#read`, `Publisher`) emulated rule
for rule, from `_config.yml`'s `exclude`, `include`, `collections`, `collections_dir`,
`show_drafts`, `future` and `unpublished`.

The path rules need no file of the site but the configuration, so that one file of a
pre-commit run is judged without walking the site; the front matter rules (`published`, a
future date) take the page's own front matter.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from functools import cache, cached_property
from pathlib import PurePosixPath

from pagelint.model.generators.base import READ, READ_WITHOUT_URL, Reading

# Jekyll 4.3's Configuration::DEFAULT_EXCLUDES, added to the site's own `exclude`.
DEFAULT_EXCLUDES = (
    ".sass-cache", ".jekyll-cache", "gemfiles", "Gemfile", "Gemfile.lock", "node_modules",
    "vendor/bundle/", "vendor/cache/", "vendor/gems/", "vendor/ruby/",
)
DEFAULT_INCLUDES = (".htaccess",)
# Folders the build reads for what they are, not as pages: templates, data, plugins, styles.
TEMPLATE_FOLDERS = frozenset({"_layouts", "_includes"})
_SPECIAL_LEADING = (".", "_", "#", "~")
_POST_NAME = re.compile(r"^(?>.+/)*?(\d{2,4}-\d{1,2}-\d{1,2})-([^/]*)(\.[^.]+)$")  # Document::DATE_FILENAME_MATCHER
_DATE = re.compile(r"^\s*['\"]?(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt ](\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_SOURCE = "/SOURCE"  # patterns and entries are matched as absolute paths under the source, as Jekyll does




def ruby_fnmatch(pattern: str, string: str) -> bool:
    """Ruby's `File.fnmatch?(pattern, string)` without flags: `*` and `?` match `/` too,
    `[...]` is a class (`[!...]` and `[^...]` negated), a backslash escapes, braces are literal."""
    return _fnmatch_regex(pattern).fullmatch(string) is not None


_REGEX_CACHE: dict[str, re.Pattern[str]] = {}


def _fnmatch_regex(pattern: str) -> re.Pattern[str]:
    if pattern in _REGEX_CACHE:
        return _REGEX_CACHE[pattern]
    parts, index = [], 0
    while index < len(pattern):
        char = pattern[index]
        if char == "*":
            parts.append(".*")
        elif char == "?":
            parts.append(".")
        elif char == "\\" and index + 1 < len(pattern):
            index += 1
            parts.append(re.escape(pattern[index]))
        elif char == "[" and (close := pattern.find("]", index + 2)) != -1:
            inner = pattern[index + 1 : close]
            negated = inner[:1] in ("!", "^")
            body = inner[1:] if negated else inner
            parts.append("[" + ("^" if negated else "") + body.replace("\\", "\\\\").replace("[", "\\[") + "]")
            index = close
        else:
            parts.append(re.escape(char))
        index += 1
    compiled = re.compile("".join(parts), re.DOTALL)
    _REGEX_CACHE[pattern] = compiled
    return compiled


@cache
def _prepared(patterns: tuple[str, ...]) -> tuple[tuple[str, str, re.Pattern[str] | None], ...]:
    """Each pattern with the source joined to it, and its regex where it has wildcards (one with
    none matches only itself, which the prefix test covers: one file of a pre-commit run on a
    site of thousands asks for every file of the URL index)."""
    prepared = []
    for pattern in patterns:
        with_source = _join(_SOURCE, pattern)
        wildcard = _fnmatch_regex(with_source) if any(char in with_source for char in "*?[\\") else None
        prepared.append((pattern, with_source, wildcard))
    return tuple(prepared)


def _join(base: str, item: str) -> str:
    """Ruby's File.join of two parts: one separator between them."""
    if not item:
        return base
    return base.rstrip("/") + "/" + item.lstrip("/")


def _special(entry: str) -> bool:
    return entry.startswith(_SPECIAL_LEADING) or entry.rsplit("/", 1)[-1].startswith(_SPECIAL_LEADING)


# `{% bibliography --file NAME %}`: jekyll-scholar's OptionParser takes `-f`/`--file` (repeatable) before a name.
BIBLIOGRAPHY_TAG = re.compile(r"\{%-?\s*bibliography(?:_count)?\b(.*?)-?%\}", re.DOTALL)
_FILE_OPTION = re.compile(r"(?:^|\s)(?:--file|-f)[\s=]+(\S+)")


def named_files(markup: str) -> list[tuple[str, int]]:
    """The files a `bibliography` tag's markup names with `--file`, with their offsets in it (not those a variable gives)."""
    return [(match.group(1), match.start(1)) for match in _FILE_OPTION.finditer(markup) if "{{" not in match.group(1)]


def scholar_folder(config: dict) -> str:
    """jekyll-scholar's `scholar.source`, relative to the site's source: `_bibliography` by default."""
    scholar = config.get("scholar")
    source = scholar.get("source") if isinstance(scholar, dict) else None
    folder = source.removeprefix("./").strip("/") if isinstance(source, str) else ""
    return folder or "_bibliography"


def _strings(value: object) -> tuple[str, ...]:
    return tuple(item for item in value if isinstance(item, str)) if isinstance(value, list) else ()


class JekyllReading:
    """The reading rules of one site, from its configuration."""

    def __init__(
        self, config: dict, collections: dict[str, dict], today: datetime.datetime | None = None,
        bibliographies_named_by_pages: Callable[[], frozenset[str]] = frozenset,
    ):
        self.include = _strings(config.get("include")) if "include" in config else DEFAULT_INCLUDES
        self.own_exclude = _strings(config.get("exclude"))
        exclude = dict.fromkeys((*self.own_exclude, *DEFAULT_EXCLUDES))
        self.exclude = tuple(pattern for pattern in exclude if pattern not in self.include)
        self.collections = collections
        collections_dir = config.get("collections_dir")
        self.collections_dir = collections_dir.strip("/") if isinstance(collections_dir, str) else ""
        self.show_drafts = config.get("show_drafts") is True
        self.future = config.get("future") is True
        self.unpublished = config.get("unpublished") is True
        self.now = today or datetime.datetime.now()
        scholar = config.get("scholar")
        self.bibliography_folder = scholar_folder(config)
        named = scholar.get("bibliography") if isinstance(scholar, dict) else None
        # `scholar.bibliography` names the file the `{% bibliography %}` tag renders; another file of the
        # folder is read only where a page names it with `--file` (the pages are read for that only then).
        self.bibliography_file = (named if named.endswith(".bib") else named + ".bib") if isinstance(named, str) and named else ""
        self._bibliographies_named_by_pages = bibliographies_named_by_pages

    @cached_property
    def bibliographies_named_by_pages(self) -> frozenset[str]:
        return self._bibliographies_named_by_pages()

    # EntryFilter -------------------------------------------------------------------

    def _glob_include(self, patterns: tuple[str, ...], entry: str, is_folder: bool) -> str | None:
        """The first pattern that matches `entry` (a path from the source), as EntryFilter#glob_include?."""
        entry_with_source = _join(_SOURCE, entry)
        for pattern, pattern_with_source, wildcard in _prepared(patterns):
            if (
                entry_with_source.startswith(pattern_with_source)  # also a pattern without wildcards that matches whole
                or (wildcard is not None and wildcard.fullmatch(entry_with_source))
                or (is_folder and pattern_with_source == entry_with_source + "/")
            ):
                return pattern
        return None

    def _filter(self, base: str, entry: str, is_folder: bool) -> str:
        """Why EntryFilter#filter (with base folder `base`) rejects `entry`; "" when it keeps it."""
        if entry.endswith("."):
            return "a dot entry"
        included = self._glob_include(self.include, entry, is_folder) or self._glob_include(
            self.include, entry.rsplit("/", 1)[-1], is_folder
        )
        excluded = self._glob_include(self.exclude, _join(base, entry), is_folder)
        if excluded and not included:
            if excluded in self.own_exclude:
                return f"excluded by `_config.yml` (`exclude: {excluded}`)"
            return f"excluded by Jekyll's default `exclude` (`{excluded}`)"
        if included:
            return ""
        if _special(entry):
            return "Jekyll skips names that start with `_`, `.`, `#` or `~`"
        if entry.endswith("~"):
            return "a backup file"
        return ""

    # The reader --------------------------------------------------------------------

    @cached_property
    def _collection_folders(self) -> dict[str, dict]:
        """The folder of each collection but the posts, relative to the source -> its settings."""
        prefix = self.collections_dir + "/" if self.collections_dir else ""
        return {f"{prefix}_{label}": settings for label, settings in self.collections.items() if label not in ("posts", "data")}

    def by_path(self, relative: PurePosixPath) -> Reading:
        """What the build does with the file at `relative`, as far as its path decides."""
        parts = relative.parts
        if not parts:
            return Reading(False, False, "not a file of the site")
        if len(parts) == 1 and parts[0] in ("_config.yml", "_config.yaml"):
            return READ_WITHOUT_URL
        if relative.as_posix() in self.include:  # Reader#read_included_excludes reads an included file wherever it is
            return READ
        if relative.suffix.lower() == ".bib" and relative.parent.as_posix() == self.bibliography_folder:
            named = self.bibliography_file and relative.name != self.bibliography_file
            if named and relative.name not in self.bibliographies_named_by_pages and relative.stem not in self.bibliographies_named_by_pages:
                return Reading(False, False, f"jekyll-scholar renders `scholar.bibliography` ({self.bibliography_file}), and no page names this file")
            return READ_WITHOUT_URL
        top = parts[0]
        if top == "_data":
            return READ_WITHOUT_URL
        if top in TEMPLATE_FOLDERS:
            return READ_WITHOUT_URL
        text = relative.as_posix()
        for folder, settings in self._collection_folders.items():
            if text.startswith(folder + "/"):
                return self._collection_document(folder, text[len(folder) + 1 :], settings)
        return self._walked(parts)

    def _collection_document(self, folder: str, entry: str, settings: dict) -> Reading:
        why = self._filter("/" + folder, entry, is_folder=False)
        if why:
            return Reading(False, False, why)
        if settings.get("output") is True:
            return Reading(True, True, document=True)
        return Reading(True, False, "its collection has no `output: true`: it is shown through layouts, not at a URL of its own", True)

    def _walked(self, parts: tuple[str, ...]) -> Reading:
        """A file reached by Reader#read_directories from the source, folder by folder; a
        `_posts` or `_drafts` folder of any folder reached holds posts."""
        for depth, name in enumerate(parts[:-1]):
            folder = "/".join(parts[:depth])
            if name in ("_posts", "_drafts") and not (self.collections_dir and not folder.startswith(self.collections_dir)):
                return self._post(folder, name, "/".join(parts[depth + 1 :]))
            why = self._filter("/" + folder if folder else "", name, is_folder=True)
            if why:
                return Reading(False, False, f"in folder `{'/'.join(parts[: depth + 1])}`, which Jekyll does not read: {why}")
        why = self._filter("/" + "/".join(parts[:-1]) if len(parts) > 1 else "", parts[-1], is_folder=False)
        return Reading(False, False, why) if why else READ

    def _post(self, folder: str, magic: str, entry: str) -> Reading:
        why = self._filter("/" + _join(folder, magic).lstrip("/"), entry, is_folder=False)
        if why:
            return Reading(False, False, why)
        if magic == "_drafts" and not self.show_drafts:
            return Reading(False, False, "a draft: Jekyll publishes `_drafts` only with `--drafts`")
        if magic == "_posts" and not _POST_NAME.match(entry):
            return Reading(False, False, "a post whose file name is not YEAR-MONTH-DAY-title: Jekyll skips it", by_mistake=True)
        return Reading(True, True, document=True)

    # The publisher -----------------------------------------------------------------

    def with_front_matter(self, reading: Reading, relative: PurePosixPath, data: dict) -> Reading:
        """The reading once the file's front matter is known: `published: false` and, for
        posts, a date in the future leave it unread; a future document of another collection is
        listed but has no page."""
        if not reading.read or relative.parts[0] in ("_data", *TEMPLATE_FOLDERS) or relative.name in ("_config.yml", "_config.yaml"):
            return reading
        if data.get("published") is False and not self.unpublished:
            return Reading(False, False, "`published: false`")
        if self.future or not reading.document:  # Jekyll's pages have no date that hides them
            return reading
        date = _date_of(data.get("date"), relative)
        if date is None or date <= self.now:
            return reading
        when = date.strftime("%Y-%m-%d")
        if "_posts" in relative.parts or "_drafts" in relative.parts:
            return Reading(False, False, f"dated {when}, in the future: Jekyll skips it until then (`future` is off)")
        if reading.has_url:
            return Reading(True, False, f"dated {when}, in the future: listed, but its page is not written until then", True)
        return reading


def _date_of(value: object, relative: PurePosixPath) -> datetime.datetime | None:
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None) if value.tzinfo is None else value.astimezone().replace(tzinfo=None)
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day)
    text = str(value) if value is not None else ""
    match = _DATE.match(text) or (_DATE.match(relative.name) if "_posts" in relative.parts else None)
    if not match:
        return None
    try:
        year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3))
        hour, minute, second = (int(match.group(index) or 0) for index in (4, 5, 6))
        return datetime.datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
