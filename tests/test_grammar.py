"""S008 searches a passage for a sequence only where the text every match of it holds is there."""

from __future__ import annotations

import re

from pagelint.rules.grammar import GrammarConfusable, _confusables, required_text


def test_the_required_text_is_a_run_every_match_holds():
    assert required_text(re.compile(r"\bab(?:c|d)efg\b")) == "efg"
    assert required_text(re.compile(r"\b((?:is|are) consist) of\b")) == " consist of"  # a group's letters join the run
    assert required_text(re.compile(r"x(?i:abcd)y")) == "x"  # a group that ignores case is no run
    assert required_text(re.compile(r"abc", re.IGNORECASE)) == ""
    assert required_text(re.compile(r"a+|b")) == ""  # nothing is certain


def test_every_sequence_found_in_the_bad_example_holds_its_required_text():
    bad = GrammarConfusable.bad
    found = [(match.group(), required) for pattern, required, _, _ in _confusables() for match in pattern.finditer(bad)]
    assert len(found) >= 4  # the example's slips: a positive control
    assert all(required and required in matched for matched, required in found)
