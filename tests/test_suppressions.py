"""Inline suppression comments, and findings about the comments themselves."""

from __future__ import annotations


def test_disable_next_line(found):
    page = "<!-- pagelint-disable-next-line M001 -->\n<font>a</font>\n<font>b</font>\n"
    assert found(page, None, "--extend-select", "M100") == [(3, 1, 7, "M001", None)]


def test_disable_block_and_enable(found):
    page = "<!-- pagelint-disable deprecated-html -->\n<font>a</font>\n<!-- pagelint-enable -->\n<font>b</font>\n"
    assert found(page, None) == [(4, 1, 7, "M001", None)]


def test_disable_file_and_category(found):
    page = "<font>a</font>\n\n<!-- pagelint-disable-file markup -->\n"
    assert found(page, None) == []
    assert found(page.replace("markup", "encoding"), None) == [(1, 1, 7, "M001", None), (3, 1, 40, "M100", "")]
    assert found("<font>a</font>\n", None) == [(1, 1, 7, "M001", None)]


def test_yaml_comment_form_in_front_matter(found):
    page = "---\n# pagelint-disable-next-line F001\ntitle: 'it's'\n---\n"
    assert found(page, None) == []
    assert found(page.replace("pagelint-disable-next-line F001", "a plain comment"), None) == [(3, 12, 14, "F001", None)]


def test_unused_suppression_is_reported_with_an_unsafe_removal(found):
    assert found("<!-- pagelint-disable-next-line M001 -->\nclean\n", None) == [(1, 1, 41, "M100", "")]


def test_unknown_rule_in_suppression(found):
    page = "<!-- pagelint-disable-next-line M999 -->\n<font>a</font>\n"
    assert found(page, None) == [(1, 1, 41, "M101", None), (2, 1, 7, "M001", None)]


def test_no_verdict_on_suppressions_of_rules_not_run(found):
    page = "<!-- pagelint-disable-next-line M001 -->\nclean\n"
    assert found(page, "F,M100") == []
    assert found(page, "F,M001,M100") == [(1, 1, 41, "M100", "")]
