"""The figures both site reports show (the HTML file and the terminal summary): findings by
category and severity, the pages with most findings, and link health when it was measured."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from pagelint.diagnostics import Category, Severity
from pagelint.reporters.terminal import visible

SEVERITIES = tuple(sorted(Severity, reverse=True))  # error, warning, info
LINK_HEALTH_KEYS = ("dead", "redirected", "ok")


@dataclass(frozen=True)
class PageCount:
    path: str
    total: int
    by_severity: dict[Severity, int]


@dataclass(frozen=True)
class SiteSummary:
    files_checked: int
    total: int
    by_severity: dict[Severity, int]
    by_category: dict[Category, int]
    by_category_and_severity: dict[tuple[Category, Severity], int]
    pages: list[PageCount]  # pages with findings, most findings first
    link_health: dict[str, int] | None

    @classmethod
    def of(cls, result) -> SiteSummary:
        diagnostics = result.diagnostics
        per_page: dict[str, Counter] = {}
        for diagnostic in diagnostics:
            per_page.setdefault(diagnostic.path, Counter())[diagnostic.severity] += 1
        pages = [
            PageCount(path, sum(counts.values()), {severity: counts[severity] for severity in SEVERITIES})
            for path, counts in per_page.items()
        ]
        pages.sort(key=lambda page: (-page.total, *(-page.by_severity[severity] for severity in SEVERITIES), page.path))
        by_severity = Counter(diagnostic.severity for diagnostic in diagnostics)
        by_category = Counter(diagnostic.category for diagnostic in diagnostics)
        return cls(
            files_checked=result.files_checked,
            total=len(diagnostics),
            by_severity={severity: by_severity[severity] for severity in SEVERITIES},
            by_category={category: by_category[category] for category in Category},
            by_category_and_severity=dict(Counter((diagnostic.category, diagnostic.severity) for diagnostic in diagnostics)),
            pages=pages,
            link_health=result.link_health,
        )


def print_terminal_summary(summary: SiteSummary, out, color: bool, terminal: bool, top: int = 15) -> None:
    """`pagelint report` without `-o`: tables per category and per page, as wide as the
    terminal; piped, plain tab-separated lines that `grep` and `cut` can read."""
    headline = (
        f"{summary.total} finding{'s' if summary.total != 1 else ''} in "
        f"{len(summary.pages)} of {summary.files_checked} file{'s' if summary.files_checked != 1 else ''} checked"
    )
    columns = [severity.label for severity in SEVERITIES] + ["total"]
    category_rows = []
    for category in Category:
        counts = [summary.by_category_and_severity.get((category, severity), 0) for severity in SEVERITIES]
        category_rows.append([category.value, *map(str, counts), str(sum(counts))])
    category_rows.append(["all", *(str(summary.by_severity[severity]) for severity in SEVERITIES), str(summary.total)])
    page_rows = [[visible(page.path), *(str(page.by_severity[severity]) for severity in SEVERITIES), str(page.total)] for page in summary.pages[:top]]
    pages_title = f"Pages with most findings (top {min(top, len(summary.pages))} of {len(summary.pages)})"
    health = [str(summary.link_health.get(key, 0)) for key in LINK_HEALTH_KEYS] if summary.link_health is not None else None
    if not terminal:
        sections = [("By category", ["category", *columns], category_rows)]
        if page_rows:
            sections.append((pages_title, ["page", *columns], page_rows))
        if health is not None:
            sections.append(("Link health", list(LINK_HEALTH_KEYS), [health]))
        print(headline, file=out)
        for title, header, rows in sections:
            print(f"\n{title}", file=out)
            for row in [header, *rows]:
                print("\t".join(row), file=out)
        print("Write the full report with `pagelint report -o report.html`.", file=out)
        return

    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(file=out, force_terminal=color, no_color=not color, highlight=False)
    console.print(f"[bold]{escape(headline)}[/]")

    def table(title: str, first: str, rows: list[list[str]]) -> Table:
        shown = Table(title=title, title_justify="left")
        # a path (no spaces to wrap at) is cut at its end, never folded inside a name; the counts keep their width
        shown.add_column(first, overflow="ellipsis")
        for name in columns:
            shown.add_column(name, justify="right", no_wrap=True, min_width=len(name))
        for row in rows:
            shown.add_row(escape(row[0]), *row[1:])
        return shown

    console.print(table("By category", "category", category_rows))
    if summary.pages:
        console.print(table(pages_title, "page", page_rows))
    if health is not None:
        links = Table(title="Link health", title_justify="left")
        for key in LINK_HEALTH_KEYS:
            links.add_column(key, justify="right")
        links.add_row(*health)
        console.print(links)
    console.print("Write the full report with `pagelint report -o report.html`.")
