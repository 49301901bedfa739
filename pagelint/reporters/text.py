"""`--format text`: one line a finding, `path:line:col: severity: CODE [name] message`, grouped
by file in path order (site-wide findings, such as duplicate permalinks, beside their file's
others), and a summary. The severity is a word, as compilers write it, so that a line says what
it is without colour and editors' error formats read it.

Colour comes from rich, imported only when colour is on (a terminal without NO_COLOR),
so that a piped or pre-commit run does not pay for it.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable

from pagelint.diagnostics import Severity
from pagelint.reporters.terminal import visible

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _printable(text: str) -> str:
    return visible(text).replace("\t", " ")


def source_excerpt(diagnostic, lines: list[str]) -> list[str]:
    """The offending line and a caret line under the span (display widths respected, control
    characters shown as their escapes)."""
    if not 1 <= diagnostic.line <= len(lines):
        return []
    line = lines[diagnostic.line - 1]
    start = diagnostic.column - 1
    end = diagnostic.end_column - 1 if diagnostic.end_line == diagnostic.line else len(line)
    end = max(end, start + 1)
    before, marked = _printable(line[:start]), _printable(line[start:end])
    number = f"{diagnostic.line:>5} | "
    caret = " " * (len(number) - 2) + "| " + " " * _width(before) + "^" * max(_width(marked), 1)
    return [number + before + marked + _printable(line[end:]), caret]


def line_of(diagnostic) -> str:
    """`path:line:col: severity: CODE [name] message`, the plain form of one finding."""
    return (
        f"{visible(diagnostic.path)}:{diagnostic.line}:{diagnostic.column}: {diagnostic.severity.label}: "
        f"{diagnostic.code} [{diagnostic.name}] {_printable(diagnostic.message)}"
    )


def _markup(diagnostic, escape: Callable[[str], str]) -> str:
    """The finding's line in rich's markup, for colour."""
    location = f"{visible(diagnostic.path)}:{diagnostic.line}:{diagnostic.column}:"
    style = _STYLE[diagnostic.severity]
    return (
        f"[bold]{escape(location)}[/] [{style}]{diagnostic.severity.label}:[/] [{style}]{diagnostic.code}[/] "
        f"[dim]\\[{diagnostic.name}][/] {escape(_printable(diagnostic.message))}"
    )


def count_label(number: int, label: str) -> str:
    return f"{number} {label}" if number == 1 or label == "info" else f"{number} {label}s"


def _summary(result) -> str:
    counts = Counter(diagnostic.severity for diagnostic in result.diagnostics)
    files = f"{result.files_checked} file{'s' if result.files_checked != 1 else ''}"
    total = len(result.diagnostics)
    if result.fixed:
        remaining = f"{total} remain" if total != 1 else "1 remains"
        fixed = f"Fixed {result.fixed} finding{'s' if result.fixed != 1 else ''}, {remaining if total else 'none remain'}. "
    else:
        fixed = ""
    if not result.diagnostics:
        return f"{fixed}All checks passed ({files} checked)."
    parts = ", ".join(count_label(counts[level], level.label) for level in sorted(Severity, reverse=True))
    fixable = sum(1 for diagnostic in result.diagnostics if diagnostic.fix is not None and diagnostic.fix.safe)
    hint = f" {fixable} fixable with `--fix`." if fixable else ""
    return f"{fixed}Found {total} problem{'s' if total != 1 else ''} ({parts}) in {files}.{hint}"


def _statistics(result) -> list[tuple[str, str]]:
    counts = Counter((diagnostic.code, diagnostic.name) for diagnostic in result.diagnostics)
    rows = [(f"{count:>5}  {code:<5} {name}", code) for (code, name), count in counts.most_common()]
    return rows


def report(result, out, options) -> None:
    escape: Callable[[str], str] = str  # markup is printed only in colour
    if options.color:
        from rich.console import Console
        from rich.markup import escape as escape_markup

        console = Console(file=out, highlight=False, soft_wrap=True, force_terminal=True)
        escape = escape_markup

        def emit(plain: str, markup: str) -> None:
            console.print(markup)

    else:

        def emit(plain: str, markup: str) -> None:
            out.write(plain + "\n")

    # The run hands over every finding at its end (site rules finish after the last file), so
    # grouping them costs one sort and delays nothing.
    for diagnostic in sorted(result.diagnostics, key=lambda diagnostic: diagnostic.sort_key):
        emit(line_of(diagnostic), _markup(diagnostic, escape) if options.color else "")
        if options.show_source and options.source_lines is not None:
            for line in source_excerpt(diagnostic, options.source_lines.get(diagnostic.path, [])):
                emit(line, f"[dim]{escape(line)}[/]")
    if options.statistics and result.diagnostics:
        emit("", "")
        for row, _code in _statistics(result):
            emit(row, escape(row))
    if not options.quiet:
        if result.diagnostics or options.statistics:
            emit("", "")
        line = _summary(result)
        emit(line, f"[bold]{escape(line)}[/]")
