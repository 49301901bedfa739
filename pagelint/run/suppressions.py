"""Inline suppressions.

    <!-- pagelint-disable M001, L004 -->   ... <!-- pagelint-enable -->
    <!-- pagelint-disable-next-line S001 -->
    <!-- pagelint-disable-file E001 -->
    # pagelint-disable-next-line F004       (a YAML comment, in front matter or _config.yml)

Rules are named by code, name, code prefix or category; no rule at all means every rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pagelint.config import rules_matching
from pagelint.diagnostics import Diagnostic
from pagelint.rules.markup import UnknownSuppression, UnusedSuppression

_DIRECTIVE = re.compile(
    r"(?:<!--|#)[ \t]*pagelint-(disable-next-line|disable-file|disable|enable)\b[ \t]*([A-Za-z0-9_, \t-]*?)[ \t]*(?:-->|\r?$)",
    re.MULTILINE,
)
_UNUSED = UnusedSuppression()
_UNKNOWN = UnknownSuppression()


@dataclass(slots=True)
class Directive:
    action: str
    selectors: tuple[str, ...]
    codes: frozenset[str] | None  # None: every rule
    start: int
    end: int
    first_line: int
    last_line: int  # inclusive; filled in for `disable` when its `enable` is found
    used: bool = False
    unknown: list[str] = field(default_factory=list)


def _parse(doc) -> list[Directive]:
    directives: list[Directive] = []
    open_blocks: list[Directive] = []
    for match in _DIRECTIVE.finditer(doc.text):
        action = match.group(1)
        selectors = tuple(part for part in re.split(r"[,\s]+", match.group(2)) if part)
        codes: set[str] = set()
        unknown = []
        for selector in selectors:
            matched = rules_matching(selector)
            if matched:
                codes.update(rule.code for rule in matched)
            else:
                unknown.append(selector)
        code_set = frozenset(codes) if selectors else None
        line = doc.position(match.start())[0]
        if action == "enable":
            for block in list(open_blocks):
                if code_set is None or block.codes is None or block.codes <= code_set:
                    block.last_line = line
                    open_blocks.remove(block)
            if unknown:
                directives.append(Directive(action, selectors, code_set, match.start(), match.end(), line, line, True, unknown))
            continue
        if action == "disable-next-line":
            first, last = line + 1, line + 1
        elif action == "disable-file":
            first, last = 1, doc.line_count
        else:
            first, last = line, doc.line_count
        directive = Directive(action, selectors, code_set, match.start(), match.end(), first, last, unknown=unknown)
        directives.append(directive)
        if action == "disable":
            open_blocks.append(directive)
    return directives


class Suppressions:
    """A page's suppression directives; `silences` marks each directive it applies, so that
    `problems` can report the ones that silenced nothing."""

    def __init__(self, doc) -> None:
        self.doc = doc
        self.directives = _parse(doc) if "pagelint-" in doc.text else []

    def silences(self, line: int, code: str) -> bool:
        silenced = False
        for directive in self.directives:
            if directive.action == "enable" or not directive.first_line <= line <= directive.last_line:
                continue
            if directive.codes is None or code in directive.codes:
                directive.used = True
                silenced = True
        return silenced

    def problems(self, enabled_codes: frozenset[str]) -> list[Diagnostic]:
        """M101 for directives that name unknown rules, M100 for those that silenced nothing."""
        found = []
        for directive in self.directives:
            if directive.unknown and _UNKNOWN.code in enabled_codes:
                found.append(
                    _UNKNOWN.diagnostic(
                        self.doc, directive.start, directive.end, f"suppression names unknown rule {directive.unknown[0]!r}"
                    )
                )
            elif not directive.used and directive.action != "enable" and _UNUSED.code in enabled_codes:
                if directive.codes is not None and not directive.codes & enabled_codes:
                    continue  # it silences rules that are not run now: no verdict possible
                names = ", ".join(directive.selectors) or "all rules"
                found.append(
                    _UNUSED.diagnostic(
                        self.doc, directive.start, directive.end, f"`pagelint-{directive.action} {names}` suppresses nothing",
                        replacement="",
                        safe=False,
                    )
                )
        return found

    def filter(self, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
        """The diagnostics no directive silences."""
        if not self.directives:
            return diagnostics
        return [diagnostic for diagnostic in diagnostics if not self.silences(diagnostic.line, diagnostic.code)]


def apply(doc, diagnostics: list[Diagnostic], enabled_codes: frozenset[str]) -> list[Diagnostic]:
    """Drop suppressed diagnostics; add M100/M101 for suppressions that are unused or unknown."""
    suppressions = Suppressions(doc)
    return suppressions.filter(diagnostics) + suppressions.problems(enabled_codes)
