"""Diagnostics are plain data: rules produce them, reporters and the fixer consume them."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path


class Severity(enum.IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str) -> Severity:
        try:
            return cls[value.upper()]
        except KeyError:
            raise ValueError(f"unknown severity {value!r} (expected error, warning or info)") from None


class Category(enum.Enum):
    ENCODING = "encoding"
    FRONTMATTER = "frontmatter"
    JEKYLL = "jekyll"
    HUGO = "hugo"
    LINK = "link"
    SPELLING = "spelling"
    MARKUP = "markup"
    CONSISTENCY = "consistency"
    PLACEHOLDER = "placeholder"
    TYPOGRAPHY = "typography"
    BIBLIOGRAPHY = "bibliography"


CATEGORY_OF_LETTER = {
    "E": Category.ENCODING,
    "F": Category.FRONTMATTER,
    "J": Category.JEKYLL,
    "H": Category.HUGO,
    "L": Category.LINK,
    "S": Category.SPELLING,
    "M": Category.MARKUP,
    "C": Category.CONSISTENCY,
    "P": Category.PLACEHOLDER,
    "T": Category.TYPOGRAPHY,
    "B": Category.BIBLIOGRAPHY,
}


@dataclass(frozen=True, slots=True)
class Fix:
    """Replace the text between two positions (end exclusive) with `replacement`.

    `start`/`end` are offsets into the decoded text of the file, which the fixer uses;
    lines and columns are 1-based and counted in code points, for reporters.
    `safe` is False where the intent behind the fix is a guess (`--unsafe-fixes`).
    """

    replacement: str
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    safe: bool = True
    drops_bom: bool = False  # the edit also removes the file's byte order mark

    def to_json(self) -> dict:
        return {
            "replacement": self.replacement,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
        }


@dataclass(frozen=True, slots=True)
class Diagnostic:
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    name: str
    category: Category
    severity: Severity
    message: str
    fix: Fix | None = None

    @property
    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.code, self.message)

    def to_json(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "code": self.code,
            "name": self.name,
            "category": self.category.value,
            "severity": self.severity.label,
            "message": self.message,
            "fix": self.fix.to_json() if self.fix else None,
        }


# What the stages of a run hand each other: the run's files, the external links that online
# checking requests, and the run's result. They live here, beside the diagnostics, so that
# the online checker and the reporters need not import the run.


@dataclass(frozen=True, slots=True)
class Target:
    """A file to check."""

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


@dataclass(frozen=True)
class OnlineRun:
    """`check --online`: the flags that change how links are requested."""

    refresh: bool = False  # ignore the cache (results are still stored)
    allow_private: bool = False
    progress: bool = False  # a progress bar on stderr
    jobs: int = 1  # processes to request links from, for large runs


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
    # Files the site does not publish, not checked: how many, and the first with the reason.
    unpublished: int = 0
    first_unpublished: tuple[str, str] | None = None
    # Counts of links found "dead", "redirected" and "ok" when links were checked online;
    # None when they were not (the report then leaves link health out).
    link_health: dict[str, int] | None = None

    def absorb(self, other: RunResult) -> None:
        """Add the findings and counts of a part of the run (a chunk of files checked elsewhere)."""
        self.diagnostics.extend(other.diagnostics)
        self.files_checked += other.files_checked
        self.checked.extend(other.checked)
        self.fixed += other.fixed
        self.diffs.extend(other.diffs)
        self.sources.update(other.sources)
        self.unpublished += other.unpublished
        self.first_unpublished = self.first_unpublished or other.first_unpublished

    def skip_unpublished(self, display: str, why: str) -> None:
        self.unpublished += 1
        self.first_unpublished = self.first_unpublished or (display, why)
