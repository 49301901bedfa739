"""Property tests over generated pages, for every registered rule (rules added later are
covered automatically): no exception, positions inside the file, fixes that apply cleanly
and converge, JSON output that follows the published schema.

Profiles: the default is bounded for CI; `HYPOTHESIS_PROFILE=long` runs many more examples.
"""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pagelint import fixer
from pagelint.engine import Linter, RunResult, Target
from pagelint.reporters import ReportOptions, report
from tests.conftest import ROOT

settings.register_profile("ci", max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
settings.register_profile("long", max_examples=5000, deadline=None, suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

OUTPUT_SCHEMA = json.loads((ROOT / "schemas" / "output.schema.json").read_text())

FRAGMENTS = [
    "[t](https://a.org/x)", "[t]((https://b.org))", "[t] (https://c.org)", "[]()", "<https://d.org>",
    "![alt](img/p.png)", "[ref][r]", "\n[r]: https://e.org\n", "<a href='http://f.org'>f</a>", "<font color=red>",
    "</font>", "<center>", "<div>", "</div>", "`code [x](y)`", "\n```\n<font>\n```\n", "{{ site.url }}", "{% if x %}",
    "{% endif %}", "$x^2$", "$$\\sum$$", "**bold**", "***Ada Lovelace***", "&eacute;", "&#x41;", "\t", "  ", "\n",
    "\r\n", "\n\n", "# Heading", "\n+ item", "| a | b |\n|---|---|\n| c | d |", "ËµµÁæéÁé≤", "ðŸ˜Š", "üéì", "聂小楠",
    "Ångström", "Αλέξανδρος", "Дмитрий", "\u200b", "\u202e", "\ufffd", "\u00ad", "mailto:a@b.edu", "a.b@stu.pku.edn.cn",
    "maito:x@y.org", "www.example.org", "https://openreview.net/forum?id=1&referrer=%5BAuthor%20Console%5D",
    "<!-- pagelint-disable-next-line M001 -->", "<!-- pagelint-disable X999 -->", "<!--", "-->", "[", "]", "(", ")",
    "\\[", "he lead the group", "Date Science", "PH.D.", "the the", "Neurips", "doi:10.1234/abc", "arXiv:2413.00001",
]
FRONT_MATTER = [
    "", "---\ntitle: T\n---\n", "---\ntitle: 'it's'\n---\n", "---\n\ttitle: x\n---\n", "---\ntitle: x\n",
    "---\n- a\n---\n", "---\ndate: 2020-13-01\npermalink: about.md\n---\n", "---\ntitle: no\ntitle: yes\n---\n",
    "---\npaperurl: ''\ncategory: talks\n---\n", "---\na: &a [1]\nb: *a\n---\n", "+++\ntitle = 'x'\n+++\n",
    "---\nredirect_from:\n  - /a/\n---\n",
]
# What a rule's message says its span is: the first `quoted` text is the span itself, or the
# tag or attribute the span starts with. Rules not listed here make no such claim.
QUOTES_SPAN = {"C001", "C005", "E001", "E006", "F005", "J002", "J004", "L004", "L006", "S001", "S002", "S003", "S005"}
QUOTES_SPAN_START = {"M001", "M002", "M003"}
_QUOTED = re.compile(r"`([^`]+)`")

PATHS = ["page.md", "_publications/p.md", "_posts/2024-01-02-x.md", "_posts/bad.md", "index.html", "_config.yml", "notes.txt"]

pages = st.tuples(
    st.sampled_from(FRONT_MATTER),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=25),
    st.sampled_from(PATHS),
    st.binary(max_size=3),
)


def lint(tmp: Path, name: str, raw: bytes):
    path = tmp / name
    path.parent.mkdir(parents=True, exist_ok=True)
    (tmp / "_config.yml").exists() or (tmp / "_config.yml").write_text("title: T\npublication_category:\n  talks: {}\n")
    path.write_bytes(raw)
    linter = Linter({"select": ["ALL"]})
    target = Target(path, name)
    doc, diagnostics = linter.check_target(target)
    diagnostics += linter.finish_site_rules()
    return linter, target, doc, diagnostics


@given(page=pages)
def test_every_rule_on_generated_pages(page, tmp_path_factory):
    front, parts, name, noise = page
    raw = (front + "".join(parts)).encode("utf-8", "surrogatepass").replace(b"\xed", b"") + noise
    tmp = tmp_path_factory.mktemp("page")
    linter, target, doc, diagnostics = lint(tmp, name, raw)
    assert linter.internal_errors == []

    if doc is not None:
        lines = doc.text.split("\n")
        for d in diagnostics:
            if d.path != name:
                continue
            assert 1 <= d.line <= d.end_line <= len(lines), d
            assert 1 <= d.column <= len(lines[d.line - 1]) + 1, d
            assert 1 <= d.end_column <= len(lines[d.end_line - 1]) + 1, d
            if d.line == d.end_line:
                assert d.column <= d.end_column, d
                span = lines[d.line - 1][d.column - 1 : d.end_column - 1]
                quoted = _QUOTED.search(d.message)
                if d.code in QUOTES_SPAN:
                    assert quoted and quoted.group(1) == span, d
                if d.code in QUOTES_SPAN_START:
                    assert quoted and span.lower().startswith(quoted.group(1).rstrip(">").lower()), d

        fixed_doc, remaining, _ = fixer.fix_document(
            lambda data: linter.check_target(target, data), doc, diagnostics, unsafe=True
        )
        if fixed_doc is not None:
            again, _, applied = fixer.fix_document(
                lambda data: linter.check_target(target, data), fixed_doc, remaining, unsafe=True
            )
            assert applied == 0 or again.text == fixed_doc.text or again is None

    out = io.StringIO()
    report("json", RunResult(diagnostics, 1), out, ReportOptions())
    jsonschema.validate(json.loads(out.getvalue()), OUTPUT_SCHEMA)
