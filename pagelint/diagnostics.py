"""Diagnostics are plain data: rules produce them, reporters and the fixer consume them."""

from __future__ import annotations

import enum
from dataclasses import dataclass


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
    LINK = "link"
    SPELLING = "spelling"
    MARKUP = "markup"
    CONSISTENCY = "consistency"


CATEGORY_OF_LETTER = {
    "E": Category.ENCODING,
    "F": Category.FRONTMATTER,
    "J": Category.JEKYLL,
    "L": Category.LINK,
    "S": Category.SPELLING,
    "M": Category.MARKUP,
    "C": Category.CONSISTENCY,
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
