"""Property tests over generated pages, for every registered rule (rules added later are
covered automatically): no exception, positions inside the file, fixes that apply cleanly
and converge, JSON output that follows the published schema; and fixes that do not change
meaning: none edits code, none makes a duplicate key, and safe ones make no new finding.

Profiles: the default is bounded for CI; `HYPOTHESIS_PROFILE=long` runs many more examples.
"""

from __future__ import annotations

import collections
import io
import json
import os
import re
from pathlib import Path

import jsonschema
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pagelint.diagnostics import RunResult, Target
from pagelint.reporters import ReportOptions, report
from pagelint.run import fixer
from pagelint.run.linter import Linter, NotPublished
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
    "repell repel", "work(ed)", "Model(e.g., x)", "Li,  Xu", "Meng Pang, Ada Byron", "LaTex是", "LaTex", "[x](htttp://x.org)",
    "<ada@uni.edu>", '"bibtex"', "{% highlight c %}", "{% endhighlight %}", "{% raw %}", "{% endraw %}", "<pre>", "</pre>",
]
FRONT_MATTER = [
    "", "---\ntitle: T\n---\n", "---\ntitle: 'it's'\n---\n", "---\n\ttitle: x\n---\n", "---\ntitle: x\n",
    "---\n- a\n---\n", "---\ndate: 2020-13-01\npermalink: about.md\n---\n", "---\ntitle: no\ntitle: yes\n---\n",
    "---\npaperurl: ''\ncategory: talks\n---\n", "---\na: &a [1]\nb: *a\n---\n", "+++\ntitle = 'x'\n+++\n",
    "---\nredirect_from:\n  - /a/\n---\n",
]
# What a rule's message says its span is: the first `quoted` text is the span itself, or the
# tag or attribute the span starts with. Rules not listed here make no such claim.
QUOTES_SPAN = {"C001", "C005", "E001", "E006", "F005", "J002", "J004", "L004", "L006", "S001", "S002", "S003", "S005", "S007"}
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
    (tmp / "_config.yml").exists() or (tmp / "_config.yml").write_text(
        "title: T\ncollections:\n  publications: {output: true}\npublication_category:\n  talks: {}\n"
    )
    path.write_bytes(raw)
    linter = Linter({"select": ["ALL"]})
    target = Target(path, name)
    checked = linter.check_target(target)
    assert not isinstance(checked, NotPublished), checked  # every path of PATHS is published, or reported (`_posts/bad.md`)
    doc, diagnostics = checked
    diagnostics += linter.finish_site_rules()
    return linter, target, doc, diagnostics


def check_fixes_stay_in_their_spans(linter, target, doc, diagnostics) -> None:
    """--fix, pass by pass as the fixer runs it: every edit is where its finding reports it
    (its line and column are the offsets it replaces), the text outside the edited spans is
    unchanged, and once nothing is left to fix a second --fix changes nothing."""
    for _ in range(fixer.MAX_PASSES):
        edits = fixer.select_edits(diagnostics, unsafe=True)
        if not edits:
            break
        new_text = fixer.apply_edits(doc.text, edits)
        shift, previous_end = 0, 0
        for edit in edits:
            assert (doc.offset(edit.line, edit.column), doc.offset(edit.end_line, edit.end_column)) == (edit.start, edit.end)
            kept_before = doc.text[max(previous_end, edit.start - 20) : edit.start]
            assert new_text[edit.start + shift - len(kept_before) : edit.start + shift] == kept_before
            assert new_text[edit.start + shift : edit.start + shift + len(edit.replacement)] == edit.replacement
            shift += len(edit.replacement) - (edit.end - edit.start)
            previous_end = edit.end
        assert new_text[len(new_text) - (len(doc.text) - edits[-1].end) :] == doc.text[edits[-1].end :]
        has_bom = doc.has_bom and not any(edit.drops_bom for edit in edits)
        if (new_text, has_bom) == (doc.text, doc.has_bom):
            break
        doc, diagnostics = linter.check_target(target, fixer.encode(new_text, has_bom, doc.newline))
        if doc is None:
            return
    else:
        raise AssertionError(f"fixes still change the text after {fixer.MAX_PASSES} passes")
    again, _, _ = fixer.fix_document(lambda data: linter.check_target(target, data), doc, diagnostics, unsafe=True)
    assert again.text == doc.text


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

        check_fixes_stay_in_their_spans(linter, target, doc, diagnostics)

    out = io.StringIO()
    report("json", RunResult(diagnostics, 1), out, ReportOptions())
    jsonschema.validate(json.loads(out.getvalue()), OUTPUT_SCHEMA)


# Fixes that change meaning (bench/fix_audit.py reads every change `--fix` makes to real sites).

def fixed_with_written_spans(linter, target, doc, diagnostics):
    """`--fix` (safe fixes), pass by pass as the fixer runs it: the final document, its
    findings, and the spans of its text that fixes wrote (empty where one deleted: it wrote
    nothing)."""
    written: list[tuple[int, int]] = []
    for _ in range(fixer.MAX_PASSES):
        edits = fixer.select_edits(diagnostics, unsafe=False)
        new_text = fixer.apply_edits(doc.text, edits)
        has_bom = doc.has_bom and not any(edit.drops_bom for edit in edits)
        if (new_text, has_bom) == (doc.text, doc.has_bom):
            break
        written = [(moved(start, edits), moved(end, edits)) for start, end in written]
        shift = 0
        for edit in edits:
            written.append((edit.start + shift, edit.start + shift + len(edit.replacement)))
            shift += len(edit.replacement) - (edit.end - edit.start)
        doc, diagnostics = linter.check_target(target, fixer.encode(new_text, has_bom, doc.newline))
    return doc, diagnostics, written


def moved(offset: int, edits) -> int:
    """Where an offset of the text before `edits` is after them (inside an edit: its start)."""
    shift = 0
    for edit in edits:
        if offset <= edit.start:
            break
        if offset < edit.end:
            return edit.start + shift
        shift += len(edit.replacement) - (edit.end - edit.start)
    return offset + shift


def findings(diagnostics) -> collections.Counter:
    """Findings as the audit compares them: rule and message, whose numbers may be positions
    that an edit before them shifts (`lines 3 and 5`, `byte offset 12`)."""
    return collections.Counter((d.code, re.sub(r"\d+", "#", d.message)) for d in diagnostics)


@given(page=pages)
def test_safe_fixes_make_no_finding_on_the_text_they_write(page, tmp_path_factory):
    """A finding the page did not have, on text a fix wrote, is a problem the fix made (a
    duplicate key, a repeated word, a casing the rest of the page does not use). Findings
    elsewhere may be new too, and are not the fix's: a repaired mojibake paragraph reads as
    English, and its `the the` is reported at last; so is `A a` once an invisible character
    between the two is deleted."""
    # UTF-8 pages (of one that is not, E002's guess of the encoding depends on every byte),
    # their parts apart as words are: a URL glued to the next word (`(https://c.org)he lead`)
    # takes the word in, and a fix of the link shows the word to the spelling rules.
    front, parts, name, _ = page
    raw = (front + " ".join(parts)).encode("utf-8", "replace")
    linter, target, doc, before = lint(tmp_path_factory.mktemp("page"), name, raw)
    if doc is None:
        return
    # Front matter that does not parse is checked by no other front matter rule: a fix that
    # makes it parse lets them see it for the first time.
    assume(not any(d.code == "F001" for d in before))
    fixed, after, written = fixed_with_written_spans(linter, target, doc, linter.check_target(target, raw)[1])
    new = findings(after) - findings(before)
    for d in after:
        if (d.code, re.sub(r"\d+", "#", d.message)) in new and d.path == name:
            start, end = fixed.offset(d.line, d.column), fixed.offset(d.end_line, d.end_column)
            assert not any(start < right and left < end for left, right in written if left < right), (d, fixed.text)


# Code with something in it that a whitespace or text fix would change, in each kind of code
# region; each stands apart (blank lines around it) so that the text next to it cannot make
# it something else.
BAIT = "int main(int argc)  {  Li,  Xuanyu  accpeted Github a@stu.pku.edn.cn work(ed)  the the }"
CODE_REGIONS = [
    "{% highlight c %}\n\n" + BAIT + "\n\n" + BAIT + "\n{% endhighlight %}",
    "{%- raw -%}\n" + BAIT + "\n\n{%- endraw -%}",
    "```\n" + BAIT + "\n\n" + BAIT + "\n```",
    "<pre>\n" + BAIT + "\n\n" + BAIT + "\n</pre>",
    "A call <code>" + BAIT + "</code> here.",
    "A call `" + BAIT + "` here.",
    "<!--\n" + BAIT + "\n\n-->",
]

pages_with_code = st.tuples(
    st.sampled_from(FRONT_MATTER),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.sampled_from(CODE_REGIONS).map(lambda code: f"\n\n{code}\n\n")), max_size=12),
    st.sampled_from(["page.md", "_posts/2024-01-02-x.md", "index.html"]),
)


@given(page=pages_with_code)
def test_no_fix_edits_code(page, tmp_path_factory):
    front, parts, name = page
    raw = (front + "".join(parts)).encode()
    linter, target, doc, diagnostics = lint(tmp_path_factory.mktemp("page"), name, raw)
    fixed, _, _ = fixer.fix_document(lambda data: linter.check_target(target, data), doc, diagnostics, unsafe=True)
    for code in set(CODE_REGIONS):
        assert fixed.text.count(code) >= doc.text.count(code), code


# Keys one edit from a key the template reads, beside it or not, at the top and one level down.
KEYS = ["title", "Title", "titel", "permalink", "permalnk", "excerpt", "excerp", "venue", "venu", "redirect", "redirects"]
CONFIG_KEYS = ["github", "github2", "githb", "email", "emial", "name", "nme", "bio", "bi"]


def yaml_mapping(keys: list[str], indent: str = "") -> str:
    return "".join(f"{indent}{key}: v{index}\n" for index, key in enumerate(keys))


front_matters = st.one_of(
    st.lists(st.sampled_from(KEYS), max_size=6).map(lambda keys: ("page.md", f"---\n{yaml_mapping(keys)}---\nHi.\n")),
    st.lists(st.sampled_from(CONFIG_KEYS), max_size=6).map(
        lambda keys: ("_config.yml", "title: T\npublication_category:\n  talks: {}\nauthor:\n" + yaml_mapping(keys, "  "))
    ),
)


@given(file=front_matters)
def test_fixes_make_no_duplicate_key(file, tmp_path_factory):
    name, content = file
    linter, target, doc, diagnostics = lint(tmp_path_factory.mktemp("keys"), name, content.encode())
    fixed, _, _ = fixer.fix_document(lambda data: linter.check_target(target, data), doc, diagnostics, unsafe=True)
    assert len(fixed.front_matter.duplicate_keys) <= len(doc.front_matter.duplicate_keys), fixed.text


near_names = st.text(alphabet="abcdeAB_", min_size=0, max_size=10)


@given(names=st.lists(near_names, min_size=1, max_size=8), key=near_names)
@settings(max_examples=400)
def test_near_index_answers_as_comparing_every_name(names, key):
    """The index compares only names whose deletion neighbourhood meets the key's; it must
    find the same first near name as comparing the key with every name in order."""
    from pagelint.text.distance import NearIndex, near

    expected = next((name for name in names if near(key, name)), None)
    assert NearIndex(tuple(names)).first_near(key) == expected


def test_near_index_compares_only_names_sharing_a_neighbourhood(monkeypatch):
    from pagelint.text import distance

    names = (*(f"{prefix}keyname" for prefix in ("alpha", "bravo", "charlie", "delta")), "permalink")
    index = distance.NearIndex(names)
    compared = []
    original = distance.near
    monkeypatch.setattr(distance, "near", lambda key, known: compared.append(known) or original(key, known))
    assert index.first_near("permalnk") == "permalink"
    assert compared == ["permalink"]
