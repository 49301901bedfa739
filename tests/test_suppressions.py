"""Inline suppression comments, and findings about the comments themselves."""

from __future__ import annotations


def codes(found):
    return [(d["line"], d["code"]) for d in found]


def test_disable_next_line(lint):
    page = "<!-- pagelint-disable-next-line M001 -->\n<font>a</font>\n<font>b</font>\n"
    assert codes(lint({"p.md": page}, "--extend-select", "M100")) == [(3, "M001")]


def test_disable_block_and_enable(lint):
    page = "<!-- pagelint-disable deprecated-html -->\n<font>a</font>\n<!-- pagelint-enable -->\n<font>b</font>\n"
    assert codes(lint({"p.md": page})) == [(4, "M001")]


def test_disable_file_and_category(lint):
    page = "<font>a</font>\n\n<!-- pagelint-disable-file markup -->\n"
    assert lint({"p.md": page}) == []


def test_yaml_comment_form_in_front_matter(lint):
    page = "---\n# pagelint-disable-next-line F001\ntitle: 'it's'\n---\n"
    assert lint({"p.md": page}) == []


def test_unused_suppression_is_reported_with_an_unsafe_removal(lint):
    page = "<!-- pagelint-disable-next-line M001 -->\nclean\n"
    found = lint({"p.md": page})
    assert codes(found) == [(1, "M100")] and found[0]["fix"]["replacement"] == ""


def test_unknown_rule_in_suppression(lint):
    page = "<!-- pagelint-disable-next-line M999 -->\n<font>a</font>\n"
    assert codes(lint({"p.md": page})) == [(1, "M101"), (2, "M001")]


def test_no_verdict_on_suppressions_of_rules_not_run(lint):
    page = "<!-- pagelint-disable-next-line M001 -->\nclean\n"
    assert lint({"p.md": page}, "--select", "F,M100") == []
