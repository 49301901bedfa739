"""`pagelint report -o report.html`: one self-contained HTML file (inline CSS and a little
JavaScript, nothing fetched) that shows a site's findings.

Everything taken from the pages is hostile until escaped: every piece of text goes through
`_text`, which escapes HTML and shows invisible and direction-changing characters as
visible code points (a bidi override in a page must not reorder the report). Long lines
are cut to a window around the span so that a minified page cannot blow the file up.
"""

from __future__ import annotations

import html
import unicodedata
from functools import cache
from importlib import resources

from pagelint import __version__
from pagelint.diagnostics import Severity
from pagelint.reporters.summary import LINK_HEALTH_KEYS, SEVERITIES, SiteSummary
from pagelint.rules import find_rule

_ICON = {Severity.ERROR: "✖", Severity.WARNING: "▲", Severity.INFO: "●"}
CONTEXT = 60  # characters of the line kept on each side of a span
SPAN = 160  # characters of a span shown before it is elided
TOP_PAGES = 10


@cache
def _asset(name: str) -> str:
    return resources.files("pagelint.data").joinpath(name).read_text(encoding="utf-8")


def _prose(value: str) -> str:
    """A message or rationale: escaped, with its `quoted` parts (the text of the page, tags,
    keys) set as code, as the terminal shows them between backticks."""
    parts = value.split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: nothing is quoted
        return _text(value)
    return "".join(f"<code>{_text(part)}</code>" if index % 2 else _text(part) for index, part in enumerate(parts))


def _text(value: str) -> str:
    """Escaped for HTML, with control, format and unpaired surrogate characters shown as
    `U+XXXX` in a marked span instead of acting on the report."""
    pieces = []
    plain_start = 0
    for index, char in enumerate(value):
        if char in "\t\n" or unicodedata.category(char) not in ("Cc", "Cf", "Cs"):
            continue
        pieces.append(html.escape(value[plain_start:index]))
        pieces.append(f'<span class="cp">U+{ord(char):04X}</span>')
        plain_start = index + 1
    pieces.append(html.escape(value[plain_start:]))
    return "".join(pieces)


def _elide(value: str, keep: int, side: str) -> str:
    if len(value) <= keep:
        return _text(value)
    if side == "left":
        return "…" + _text(value[-keep:])
    if side == "right":
        return _text(value[:keep]) + "…"
    half = keep // 2
    return _text(value[:half]) + "…" + _text(value[-half:])


def _marked_line(line: str, start: int, end: int, tag: str = "mark") -> str:
    """The line around [start, end) with that span wrapped in `tag`, cut to a window."""
    start, end = max(0, min(start, len(line))), max(0, min(end, len(line)))
    span = line[start:end]
    marked = f"<{tag}>{_elide(span, SPAN, 'middle') if span else '&#8203;'}</{tag}>"
    return _elide(line[:start], CONTEXT, "left") + marked + _elide(line[end:], CONTEXT, "right")


def _source(diagnostic, lines: list[str]) -> str:
    if not 1 <= diagnostic.line <= len(lines):
        return ""
    line = lines[diagnostic.line - 1].rstrip("\r")
    end = diagnostic.end_column - 1 if diagnostic.end_line == diagnostic.line else len(line)
    return (
        f'<pre class="src"><span class="ln" aria-label="line {diagnostic.line}">{diagnostic.line}</span>'
        f"{_marked_line(line, diagnostic.column - 1, end)}</pre>"
    )


def _fix_in_place(diagnostic) -> bool:
    """A fix that replaces exactly the reported span on one line: its before/after shows
    the source line, which is then not printed a third time."""
    fix = diagnostic.fix
    return (
        fix is not None and "\n" not in fix.replacement and not fix.drops_bom
        and (fix.line, fix.column, fix.end_line, fix.end_column)
        == (diagnostic.line, diagnostic.column, diagnostic.end_line, diagnostic.end_column)
    )


def _fix(diagnostic, lines: list[str]) -> str:
    fix = diagnostic.fix
    if fix is None:
        return ""
    how = "Safe fix: <code>pagelint check --fix</code>" if fix.safe else "Unsafe fix (a guess): <code>pagelint check --fix --unsafe-fixes</code>"
    number = f'<span class="ln" aria-label="line {fix.line}">{fix.line}</span>'
    if fix.drops_bom and not fix.replacement and fix.start == fix.end:
        before_html, after_html = "the byte order mark at the start of the file", "nothing"
    elif fix.line == fix.end_line and 1 <= fix.line <= len(lines) and "\n" not in fix.replacement:
        line = lines[fix.line - 1].rstrip("\r")
        start, end = fix.column - 1, fix.end_column - 1
        after = line[:start] + fix.replacement + line[end:]
        before_html = number + _marked_line(line, start, end, "del")
        after_html = number + _marked_line(after, start, start + len(fix.replacement), "ins")
    else:
        before_html = f"lines {fix.line}–{fix.end_line}" if fix.line != fix.end_line else f"line {fix.line}"
        after_html = f"<ins>{_elide(fix.replacement, SPAN * 2, 'middle')}</ins>"
    return (
        f'<div class="fix"><p>{how}</p>'
        f'<pre class="before"><span class="tag">before</span>{before_html}</pre>'
        f'<pre class="after"><span class="tag">after</span>{after_html}</pre></div>'
    )


def _severity_badge(severity: Severity) -> str:
    return f'<span class="sev s-{severity.label}"><span aria-hidden="true">{_ICON[severity]}</span> {severity.label}</span>'


def _finding(diagnostic, lines: list[str]) -> str:
    rule = find_rule(diagnostic.code)
    rationale = (
        f'<details><summary>Why this matters ({diagnostic.code})</summary><p>{_prose(rule.rationale)}</p></details>'
        if rule is not None
        else ""
    )
    return (
        f'<li class="finding" data-category="{diagnostic.category.value}" data-severity="{diagnostic.severity.label}">'
        f'<p class="head">{_severity_badge(diagnostic.severity)} <code class="code">{diagnostic.code}</code> '
        f'<span class="name">{_text(diagnostic.name)}</span> <span class="cat">{diagnostic.category.value}</span> '
        f'<span class="loc">line {diagnostic.line}, column {diagnostic.column}</span></p>'
        f'<p class="msg">{_prose(diagnostic.message)}</p>'
        f"{'' if _fix_in_place(diagnostic) else _source(diagnostic, lines)}{_fix(diagnostic, lines)}{rationale}</li>"
    )


def _bar(css: str, count: int, peak: int) -> str:
    """A bar as long as its share of `peak`; none for a zero count, which no sliver may suggest."""
    return f'<span class="bar {css}" style="width:{100 * count / peak:.1f}%"></span>' if count else ""


def _bars(rows: list[tuple[str, int, str]], caption: str, total: int) -> str:
    """A table of counts with a bar per row: the numbers are text, the bars decoration."""
    peak = max((count for _, count, _ in rows), default=0) or 1
    body = "".join(
        f'<tr><th scope="row">{label}</th><td class="num">{count}</td>'
        f'<td class="barcell" aria-hidden="true">{_bar(css, count, peak)}</td></tr>'
        for label, count, css in rows
    )
    return (
        f'<table class="bars"><caption>{caption}</caption>'
        '<thead><tr><th scope="col">kind</th><th scope="col">findings</th>'
        '<th scope="col"><span class="visually-hidden">share</span></th></tr></thead>'
        f"<tbody>{body}</tbody><tfoot><tr><th scope=\"row\">total</th><td class=\"num\">{total}</td><td></td></tr></tfoot></table>"
    )


def _checkbox(name: str, value: str, label: str, count: int) -> str:
    return (
        f'<label class="chip"><input type="checkbox" name="{name}" value="{value}" checked> '
        f'{label} <span class="n">({count})</span></label>'
    )


def _top_pages(summary: SiteSummary, anchors: dict[str, str], shown) -> str:
    if not summary.pages:
        return "<p>No findings: every page is clean.</p>"
    peak = summary.pages[0].total
    rows = "".join(
        f'<tr><th scope="row"><a href="#{anchors[page.path]}">{_text(shown(page.path))}</a></th>'
        + "".join(f'<td class="num by">{page.by_severity[severity]}</td>' for severity in SEVERITIES)
        + f'<td class="num">{page.total}</td><td class="barcell" aria-hidden="true"><span class="stack">'
        + "".join(_bar(f"s-{severity.label}", page.by_severity[severity], peak) for severity in SEVERITIES)
        + "</span></td></tr>"
        for page in summary.pages[:TOP_PAGES]
    )
    return (
        f'<table class="top"><caption>Pages with most findings ({min(TOP_PAGES, len(summary.pages))} of {len(summary.pages)})</caption>'
        '<thead><tr><th scope="col">page</th>'
        + "".join(f'<th scope="col" class="num by">{severity.label}</th>' for severity in SEVERITIES)
        + '<th scope="col" class="num">total</th><th scope="col" class="barcell"><span class="visually-hidden">share</span></th></tr>'
        f"</thead><tbody>{rows}</tbody></table>"
    )


def _filters(summary: SiteSummary) -> str:
    """Hidden until the script shows it: without JavaScript every finding stays visible."""
    if not summary.total:
        return ""
    categories = "".join(
        _checkbox("category", category.value, category.value, count) for category, count in summary.by_category.items() if count
    )
    severities = "".join(
        _checkbox("severity", severity.label, _severity_badge(severity), count) for severity, count in summary.by_severity.items() if count
    )
    return (
        '<form id="filters" class="filters" hidden aria-label="Filter findings">'
        f"<fieldset><legend>Category</legend>{categories}</fieldset>"
        f"<fieldset><legend>Severity</legend>{severities}</fieldset>"
        '<button type="reset">Show all</button>'
        f'<p id="shown" role="status" aria-live="polite">Showing all {summary.total} findings.</p></form>'
    )


def _page(path: str, anchor: str, shown: str, diagnostics: list, lines: list[str]) -> str:
    count = len(diagnostics)
    return (
        f'<article class="page" id="{anchor}" aria-labelledby="{anchor}-h">'
        f'<h3 id="{anchor}-h"><a href="#{anchor}">{_text(shown)}</a> '
        f'<span class="n count">{count} finding{"s" if count != 1 else ""}</span></h3>'
        f'<ol class="findings">{"".join(_finding(diagnostic, lines) for diagnostic in diagnostics)}</ol></article>'
    )


def render(result, title: str, base: str | None = None) -> str:
    """The report; paths under the folder `base` are shown relative to it."""
    summary = SiteSummary.of(result)
    prefix = base.rstrip("/") + "/" if base and base != "." else ""

    def shown(path: str) -> str:
        return path[len(prefix) :] if prefix and path.startswith(prefix) else path

    by_path: dict[str, list] = {}
    for diagnostic in result.diagnostics:
        by_path.setdefault(diagnostic.path, []).append(diagnostic)
    anchors = {path: f"p{index}" for index, path in enumerate(sorted(by_path))}
    pages = "".join(
        _page(path, anchors[path], shown(path), by_path[path], result.sources.get(path, [])) for path in sorted(by_path)
    )
    severity_rows = [(_severity_badge(severity), count, f"s-{severity.label}") for severity, count in summary.by_severity.items()]
    category_rows = [(category.value, count, "") for category, count in summary.by_category.items()]
    link_health = ""
    if summary.link_health is not None:
        rows = [(key, summary.link_health.get(key, 0), f"l-{key}") for key in LINK_HEALTH_KEYS]
        link_health = f'<div class="panel">{_bars(rows, "Link health (checked online)", sum(count for _, count, _ in rows))}</div>'
    heading = f"{summary.total} finding{'s' if summary.total != 1 else ''} in {len(summary.pages)} of {summary.files_checked} files"
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="color-scheme" content="light dark">'
        f"<title>pagelint report: {_text(title)}</title><style>{_asset('report.css')}</style></head>"
        '<body><a class="skip" href="#findings">Skip to the findings</a>'
        f'<header><h1>pagelint report <span class="site">{_text(title)}</span></h1>'
        f'<p class="lede">{heading}. Generated by pagelint {__version__}.</p></header>'
        '<main id="main">'
        '<section aria-labelledby="summary-h"><h2 id="summary-h">Summary</h2><div class="grid">'
        f'<div class="panel">{_bars(severity_rows, "Findings by severity", summary.total)}</div>'
        f'<div class="panel">{_bars(category_rows, "Findings by category", summary.total)}</div>'
        f'{link_health}<div class="panel wide">{_top_pages(summary, anchors, shown)}</div></div></section>'
        f'<section id="findings" aria-labelledby="findings-h"><h2 id="findings-h">Findings by page</h2>{_filters(summary)}'
        f'{pages or "<p>No findings.</p>"}</section></main>'
        f"<script>{_asset('report.js')}</script></body></html>\n"
    )
