"""Growth tests for the pathological inputs of issue 19: the cost at 4N against the cost at N, with
a generous bound (linear is 4, quadratic 16), never an absolute time."""

from __future__ import annotations

import time

import pytest

from pagelint.model.document import Document
from pagelint.rules import find_rule
from pagelint.text.fingerprints import visible

LINEAR_BOUND = 9.0


def _page(body: str) -> bytes:
    return ("---\ntitle: Page\n---\n\n" + body + "\n").encode()


def _cpu_cost(unit: str, count: int) -> float:
    """The least CPU time of three scans of a page holding `unit` `count` times."""
    costs = []
    for _ in range(3):
        document = Document("page.md", "page.md", _page(unit * count))
        started = time.process_time()
        document.body  # noqa: B018 - the lazy scan is the work being measured
        costs.append(time.process_time() - started)
    return min(costs)


@pytest.mark.parametrize(
    "unit, count",
    [
        ("[a](", 600),  # an unclosed destination per opener: each used to walk to the line's end
        ("[a](https://example.org/) ", 600),
    ],
)
def test_link_scan_grows_linearly(unit: str, count: int) -> None:
    ratio = _cpu_cost(unit, 4 * count) / max(_cpu_cost(unit, count), 1e-4)
    assert ratio < LINEAR_BOUND, f"{unit!r}: 4N costs {ratio:.1f} times N"


def test_deeply_nested_destination_is_no_link_as_in_markdown_it() -> None:
    shallow = Document("page.md", "page.md", _page("[a](" + "(" * 31 + ")" * 32))
    deep = Document("page.md", "page.md", _page("[a](" + "(" * 33 + ")" * 34))
    assert [link.kind for link in shallow.body.links] == ["inline"]
    assert deep.body.links == []


def _rule_cpu_cost(code: str, unit: str, count: int) -> float:
    """The least CPU time of three runs of one rule over a page holding `unit` `count` times,
    the page scanned beforehand (its own growth is measured above)."""
    rule = find_rule(code)
    assert rule is not None
    document = Document("page.md", "page.md", _page(unit * count))
    document.body, document.prose_spans  # noqa: B018 - scanned once, outside the measurement
    costs = []
    for _ in range(3):
        started = time.process_time()
        list(rule.check(document, rule.default_options()))
        costs.append(time.process_time() - started)
    return min(costs)


def test_broken_link_syntax_scan_grows_linearly():
    # `](` with no `[` before it on one long line: L001 used to look back to the line's start
    # from every `]`, for the latest `[` and newline.
    ratio = _rule_cpu_cost("L001", "a](", 4 * 20_000) / max(_rule_cpu_cost("L001", "a](", 20_000), 1e-4)
    assert ratio < LINEAR_BOUND, f"4N costs {ratio:.1f} times N"


def test_broken_link_syntax_is_still_found_after_many_brackets():
    """Positive control for the scan above: the latest `[` is still found after thousands of `]`."""
    rule = find_rule("L001")
    assert rule is not None
    document = Document("page.md", "page.md", _page("a](b " * 5_000 + "[paper] (https://example.org/paper.pdf)"))
    messages = [diagnostic.message for diagnostic in rule.check(document, rule.default_options())]
    assert messages == ["space between `]` and `(`: this is not a link, the URL is printed as text"]


def test_raw_text_tags_scan_grows_linearly():
    # The end of each `<code>`, `<pre>`... used to be searched in the whole page lowered again
    # at every such tag.
    ratio = _cpu_cost("<code>x</code> ", 4 * 4_000) / max(_cpu_cost("<code>x</code> ", 4_000), 1e-4)
    assert ratio < LINEAR_BOUND, f"4N costs {ratio:.1f} times N"


def test_raw_text_tag_content_is_still_code_after_many_tags():
    """Positive control for the scan above: the content of the last `<CODE>` (any case) is code."""
    text = "<code>x</code> " * 2_000 + "<CODE>kept out</Code> prose"
    document = Document("page.md", "page.md", _page(text))
    prose = "".join(document.text[start:end] for start, end in document.prose_spans)
    assert "kept out" not in prose and "prose" in prose


@pytest.mark.parametrize("opener", ["{{", "{%", "<!--"])
def test_template_text_grows_linearly_on_openers_never_closed(opener: str) -> None:
    # P002's hidden markup (`\{\{.*?\}\}`...) read on to the end of the page from every opener.
    ratio = _rule_cpu_cost("P002", opener + " ", 4 * 2_000) / max(_rule_cpu_cost("P002", opener + " ", 2_000), 1e-4)
    assert ratio < LINEAR_BOUND, f"{opener!r}: 4N costs {ratio:.1f} times N"


def test_markup_after_unclosed_openers_is_still_hidden():
    """Positive control for the growth above: after `{{` that never closes, a comment, a Liquid
    tag and a link target are blanked (offsets kept), the words around them are not."""
    text = "{{ " * 3_000 + "<!-- hidden --> seen {% tag %} too [a](/target) end"
    shown = visible(text)
    assert len(shown) == len(text)
    assert shown.split()[-5:] == ["{{", "seen", "too", "[a", "end"]
