"""`pagelint report`: the self-contained HTML file, its escaping of hostile pages, the
link-health hook, the terminal summary, and (when Chromium is installed) the report
rendered in a real browser with its filters."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pagelint.diagnostics import Category, Diagnostic, Fix, RunResult, Severity
from pagelint.reporters.html import render
from tests.conftest import FIXTURES

CHROMIUM = Path("/usr/bin/chromium")
HOSTILE = (
    "---\ntitle: T\n---\n"
    'Hi <font color=red><script>alert("x")</script></font> and "><img src=x onerror=alert(1)> '
    "then \u202eevil\u202c text accpeted.\n"
)


class Findings(HTMLParser):
    """The findings of a report as (category, severity, hidden), and every external reference."""

    def __init__(self):
        super().__init__()
        self.findings: list[tuple[str, str, bool]] = []
        self.references: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "li" and "finding" in (attributes.get("class") or "").split():
            self.findings.append((attributes["data-category"], attributes["data-severity"], "hidden" in attributes))
        if tag == "script":
            self.scripts += 1
        for name in ("src", "href"):
            if name in attributes and not attributes[name].startswith("#"):
                self.references.append(attributes[name])
        if tag == "link":
            self.references.append(str(attributes))


def parse(markup: str) -> Findings:
    parser = Findings()
    parser.feed(markup)
    return parser


@pytest.fixture
def site_report(tmp_path, cli):
    shutil.copytree(FIXTURES / "site", tmp_path / "site")
    code, out, err = cli("report", "site", "-o", "report.html")
    assert code == 0 and err == "" and out.startswith("Wrote report.html (19 findings in 7 files)")
    return tmp_path / "report.html"


def test_html_report_holds_every_finding_and_fetches_nothing(site_report, cli):
    markup = site_report.read_text()
    page = parse(markup)
    assert len(page.findings) == 19 and page.scripts == 1
    assert page.references == []  # no stylesheet, script, font or image from elsewhere
    fetching = markup.replace("<main", '<img src="https://cdn.example.org/a.png"><main', 1)
    assert parse(fetching).references == ["https://cdn.example.org/a.png"]
    assert '<html lang="en">' in markup and "<main" in markup and "prefers-color-scheme:dark" in markup
    # The span is highlighted in its line, the fix is shown before and after, the rationale on demand.
    assert 'Hi!<del>ðŸ˜Š</del> I am' in markup and "Hi!<ins>😊</ins> I am" in markup
    assert "<details><summary>Why this matters (E001)</summary>" in markup
    assert '<span class="sev s-error"><span aria-hidden="true">✖</span> error</span>' in markup  # not colour alone
    assert '<form id="filters" class="filters" hidden' in markup  # without JavaScript: no dead controls


def test_report_of_a_clean_site(tmp_path, cli):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.md").write_text("Hello.\n")
    assert cli("report", "site", "-o", "report.html")[0] == 0
    markup = (tmp_path / "report.html").read_text()
    assert "0 findings in 0 of 1 files" in markup and "every page is clean" in markup and 'id="filters"' not in markup


def test_hostile_page_text_is_escaped(tmp_path, cli):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "page.md").write_text(HOSTILE)
    code, _, _ = cli("report", "site", "-o", "report.html", "--extend-select", "E004")
    markup = (tmp_path / "report.html").read_text()
    assert code == 0 and parse(markup).scripts == 1  # only the report's own script
    assert "<script>alert" not in markup and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in markup
    assert "<img" not in markup and "&lt;img src=x onerror=alert(1)&gt;" in markup
    assert "\u202e" not in markup and '<span class="cp">U+202E</span>' in markup  # shown, not obeyed


def test_long_lines_are_cut_to_a_window_around_the_span(tmp_path):
    line = "x" * 5000 + "<font>" + "y" * 5000
    finding = Diagnostic("p.md", 1, 5001, 1, 5007, "M001", "deprecated-html", Category.MARKUP, Severity.WARNING, "font")
    markup = render(RunResult([finding], 1, ["p.md"], sources={"p.md": [line]}), "site")
    assert "…" + "x" * 60 + "<mark>&lt;font&gt;</mark>" + "y" * 60 + "…" in markup and len(markup) < 40_000


def test_multi_line_and_byte_order_mark_fixes_are_described(tmp_path):
    whole = Fix("fixed\ntext\n", 0, 12, 1, 1, 3, 1)
    bom = Fix("", 0, 0, 1, 1, 1, 1, drops_bom=True)
    findings = [
        Diagnostic("p.md", 1, 1, 3, 1, "E002", "invalid-utf8", Category.ENCODING, Severity.ERROR, "bad", whole),
        Diagnostic("p.md", 1, 1, 1, 1, "E005", "byte-order-mark", Category.ENCODING, Severity.INFO, "bom", bom),
    ]
    markup = render(RunResult(findings, 1, ["p.md"], sources={"p.md": ["a", "b", ""]}), "site")
    assert "lines 1–3</pre>" in markup and "<ins>fixed\ntext\n</ins>" in markup
    assert "the byte order mark at the start of the file" in markup


def test_link_health_is_shown_only_when_measured():
    result = RunResult([], 1, ["p.md"])
    assert "Link health" not in render(result, "site")
    result.link_health = {"dead": 2, "redirected": 5, "ok": 40}
    markup = render(result, "site")
    assert "Link health (checked online)" in markup
    assert re.search(r'<th scope="row">dead</th><td class="num">2</td>', markup)


def test_corpus_sized_report_stays_small(tmp_path, cli):
    """2,000 findings with long lines and fixes: the file grows by about a kilobyte each."""
    site = tmp_path / "site"
    site.mkdir()
    for index in range(200):
        (site / f"p{index}.md").write_text(("Word " * 200 + "<font>x</font> accpeted the the\n") * 5)
    code, _, _ = cli("report", "site", "-o", "report.html")
    size = (tmp_path / "report.html").stat().st_size
    assert code == 0 and size < 5_000_000 and len(parse((tmp_path / "report.html").read_text()).findings) >= 2000


def test_terminal_summary_without_output_file(tmp_path, cli):
    shutil.copytree(FIXTURES / "site", tmp_path / "site")
    code, out, _ = cli("report", "site", "--no-color")
    assert code == 0 and "\x1b[" not in out
    assert out.startswith("19 findings in 3 of 7 files checked")
    lines = out.splitlines()  # piped: plain tab-separated lines
    assert "encoding\t6\t0\t0\t6" in lines
    assert "site/_pages/about.md\t7\t6\t4\t17" in lines
    assert not (tmp_path / "report.html").exists()


def test_unwritable_output_is_one_line_and_exit_2(tmp_path, cli):
    shutil.copytree(FIXTURES / "site", tmp_path / "site")
    code, _, err = cli("report", "site", "-o", "missing/report.html")
    assert code == 2 and err.startswith("pagelint: error: cannot write missing/report.html") and err.count("\n") == 1


def _page_counts(dom: str) -> list[tuple[int, int, str]]:
    """Each page of a dumped report: (findings shown, findings, the count its heading shows)."""
    pages = []
    for article in re.findall(r'<article class="page".*?</article>', dom, re.DOTALL):
        findings = re.findall(r'<li class="finding"[^>]*>', article)
        [text] = re.findall(r'<span class="n count">([^<]*)</span>', article)
        pages.append((sum(1 for tag in findings if " hidden" not in tag), len(findings), text))
    return pages


def _chromium(profile: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}", *args,
        ],
        capture_output=True, text=True, timeout=60,
    )


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed (apt-get install chromium) so the report is not opened in a browser")
def test_report_in_headless_chromium_filters_and_screenshot(site_report, tmp_path):
    url = site_report.as_uri()
    everything = parse(_chromium(tmp_path / "profile", "--dump-dom", url).stdout)
    assert len(everything.findings) == 19 and not any(hidden for *_, hidden in everything.findings)

    filtered_dom = _chromium(tmp_path / "profile", "--dump-dom", url + "?category=link&severity=warning,error").stdout
    filtered = parse(filtered_dom)
    shown = [(category, severity) for category, severity, hidden in filtered.findings if not hidden]
    assert sorted(shown) == [("link", "error")] + [("link", "warning")] * 3
    assert "Showing 4 of 19 findings." in filtered_dom
    assert '<form id="filters" class="filters" aria-label="Filter findings">' in filtered_dom  # shown once JavaScript runs
    counts = _page_counts(filtered_dom)
    assert any(shown != total for shown, total, _ in counts)  # some page shows fewer than it has
    for shown_count, total, text in counts:  # each page's count follows the filter
        assert text == ("" if shown_count == total else f"{shown_count} of ") + f"{total} finding{'s' if total != 1 else ''}"
    assert all(text.startswith(f"{total} finding") for _, total, text in _page_counts(_chromium(tmp_path / "profile", "--dump-dom", url).stdout))

    # A click on a filter writes it into the address, so that the view can be shared.
    clicking = tmp_path / "clicking.html"
    clicking.write_text(site_report.read_text().replace(
        "</body>",
        '<script>document.querySelector(\'input[value="markup"]\').click();'
        'document.querySelector(\'input[value="info"]\').click();'
        "document.body.dataset.address = location.href;</script></body>",
    ))
    clicked = _chromium(tmp_path / "profile", "--dump-dom", clicking.as_uri()).stdout
    [address] = re.findall(r'data-address="([^"]*)"', clicked)
    query = html.unescape(address).split("#", 1)[1]
    assert "markup" not in query and query.startswith("category=") and query.endswith("&severity=error,warning")
    shared = parse(_chromium(tmp_path / "profile", "--dump-dom", site_report.as_uri() + "#" + query).stdout)
    assert {(category, severity) for category, severity, hidden in shared.findings if not hidden} == {
        (category, severity) for category, severity, _ in everything.findings if category != "markup" and severity != "info"
    }

    screenshot = tmp_path / "report.png"
    _chromium(tmp_path / "profile", "--hide-scrollbars", "--window-size=390,1600", f"--screenshot={screenshot}", url)
    assert screenshot.read_bytes().startswith(b"\x89PNG")



def test_a_zero_count_draws_no_bar_and_fix_commands_do_not_break():
    page = Diagnostic("a.md", 1, 1, 1, 2, "M001", "deprecated-html", Category.MARKUP, Severity.WARNING, "m")
    markup = render(RunResult(diagnostics=[page], files_checked=1), "site")
    bars = re.findall(r'<tr><th scope="row">([^<]*(?:<[^t][^>]*>[^<]*)*)</th><td class="num">(\d+)</td><td class="barcell" aria-hidden="true">(.*?)</td>', markup)
    assert bars and all(('class="bar' in bar) == (count != "0") for _, count, bar in bars)
    assert any(count == "0" for _, count, _ in bars) and any(count == "1" for _, count, _ in bars)  # both kinds are there
    assert ".fix code{white-space:nowrap}" in markup  # `--unsafe-fixes` is not broken at its hyphens


def test_quoted_parts_of_messages_are_code_and_stay_escaped():
    from pagelint.reporters.html import _prose

    assert _prose("`<font>` is not HTML5: use `<span>`") == "<code>&lt;font&gt;</code> is not HTML5: use <code>&lt;span&gt;</code>"
    assert _prose("an unpaired ` backtick <b>") == "an unpaired ` backtick &lt;b&gt;"
