"""What a rule is. A rule describes itself (code, name, rationale, examples, options) and
yields diagnostics from `check`; it never prints and never writes."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from pagelint.diagnostics import CATEGORY_OF_LETTER, Category, Diagnostic, Fix, Severity

if TYPE_CHECKING:
    from pagelint.model.document import Document


@dataclass(frozen=True)
class Option:
    """A rule's setting, under `[rules.CODE]` in the configuration. A configured value must
    have the default's type; `help` is the one line `pagelint rule CODE` and SARIF show."""

    default: Any
    help: str


class Rule:
    """Base class of every rule.

    Subclasses set the class attributes and implement `check`. `bad` and `good` are
    complete example files (written to `example_path`); the test suite checks that `bad`
    yields this rule and `good` does not, so the documentation cannot drift from the code.
    """

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    rationale: ClassVar[str]
    bad: ClassVar[str]
    good: ClassVar[str]
    severity: ClassVar[Severity] = Severity.WARNING
    enabled_by_default: ClassVar[bool] = True
    fixable: ClassVar[bool] = False
    example_path: ClassVar[str] = "page.md"
    good_example_path: ClassVar[str | None] = None  # where `good` goes, when the file name matters
    # Other files of the example's site (path -> content), for rules that look at the site.
    example_site: ClassVar[dict[str, str]] = {}
    # How the bad and good examples are encoded when written to a file.
    example_encodings: ClassVar[tuple[str, str]] = ("utf-8", "utf-8")
    options: ClassVar[dict[str, Option]] = {}
    # The generator whose build the rule emulates (its dates, its template language): the rule
    # runs only on the pages of that generator's sites (pages of no site count as the first
    # generator's, Jekyll's). None for a rule of every site.
    generator: ClassVar[str | None] = None
    # Rules the engine itself reports (I/O, suppressions) have no `check` of their own.
    engine_reported: ClassVar[bool] = False
    # Rules of `check --online` (pagelint.online): reported from requests, not from `check`.
    online: ClassVar[bool] = False

    @property
    def category(self) -> Category:
        return CATEGORY_OF_LETTER[self.code[0]]

    @classmethod
    def default_options(cls) -> dict[str, Any]:
        """Option name -> default value: what `check` gets where the configuration sets nothing."""
        return {name: option.default for name, option in cls.options.items()}

    def check(self, doc: Document, options: dict[str, Any]) -> Iterable[Diagnostic]:
        raise NotImplementedError(f"{self.code} is reported by the engine")

    def diagnostic(
        self,
        doc: Document,
        start: int,
        end: int,
        message: str,
        replacement: str | None = None,
        safe: bool = True,
        fix_span: tuple[int, int] | None = None,
        severity: Severity | None = None,
    ) -> Diagnostic:
        """A diagnostic for the text between offsets `start` and `end` of `doc`.

        With `replacement`, the fix replaces that text (or `fix_span`, when the edit is not
        exactly the reported span). No fix edits code: a fix that would change part of a code
        span is dropped, and the finding is reported without one."""
        line, column = doc.position(start)
        end_line, end_column = doc.position(max(end, start))
        fix = None
        fix_start, fix_end = fix_span or (start, end)
        if replacement is not None and not doc.edits_code(fix_start, fix_end):
            fix_line, fix_column = doc.position(fix_start)
            fix_end_line, fix_end_column = doc.position(fix_end)
            fix = Fix(replacement, fix_start, fix_end, fix_line, fix_column, fix_end_line, fix_end_column, safe)
        return self.diagnostic_at(doc.display_path, line, column, end_line, end_column, message, fix, severity)

    def diagnostic_at(
        self,
        path: str,
        line: int,
        column: int,
        end_line: int,
        end_column: int,
        message: str,
        fix: Fix | None = None,
        severity: Severity | None = None,
    ) -> Diagnostic:
        """`severity` overrides the rule's default for findings graver (or milder) than the rest."""
        return Diagnostic(
            path, line, column, end_line, end_column, self.code, self.name, self.category,
            severity or self.severity, message, fix,
        )


class SiteRule(Rule):
    """A rule that looks across pages. `collect` runs on every checked file and returns a
    small picklable summary; `finish` sees all summaries once, at the end of the run."""

    def check(self, doc: Document, options: dict[str, Any]) -> Iterator[Diagnostic]:
        return iter(())

    def collect(self, doc: Document, options: dict[str, Any]) -> Any:
        raise NotImplementedError

    def finish(self, collected: list[Any], options: dict[str, Any]) -> Iterable[Diagnostic]:
        raise NotImplementedError
