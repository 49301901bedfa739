"""Every rule's documented bad example triggers it where the defect is and its good example
does not, so the documentation `pagelint rule CODE` prints cannot drift from the code."""

from __future__ import annotations

import json

import pytest

from pagelint.rules import all_rules
from pagelint.rules.base import Option
from tests.conftest import ROOT, codes

# Online rules need a server: tests/test_online.py runs their examples against a local one.
RUNNABLE = [rule for rule in all_rules() if not rule.bad.startswith("(") and not rule.online]
# code -> [[line, column], ...] of each finding of the rule on its bad example.
POSITIONS_FILE = ROOT / "tests" / "data" / "rule_example_positions.json"
POSITIONS = json.loads(POSITIONS_FILE.read_text("utf-8"))


@pytest.mark.parametrize("rule", RUNNABLE, ids=lambda rule: rule.code)
def test_bad_example_is_reported_where_pinned_and_good_example_is_clean(rule, lint, tmp_path):
    content = rule.bad.encode(rule.example_encodings[0])
    found = lint({**rule.example_site, rule.example_path: content}, "--extend-select", rule.code, paths=[rule.example_path])
    positions = [[d["line"], d["column"]] for d in found if d["code"] == rule.code]
    assert positions, f"{rule.code} does not report its own bad example"
    if rule.code not in POSITIONS:
        pytest.fail(
            f"{rule.code} has no pinned position in {POSITIONS_FILE.relative_to(ROOT)}: check that the findings at "
            f"[line, column] {positions} are on the defects of its bad example, then add \"{rule.code}\": {json.dumps(positions)}"
        )
    assert positions == POSITIONS[rule.code]
    (tmp_path / rule.example_path).unlink()  # the good example alone: a site rule would see the bad one too
    content = rule.good.encode(rule.example_encodings[1])
    path = rule.good_example_path or rule.example_path
    found = lint({**rule.example_site, path: content}, "--extend-select", rule.code, paths=[path])
    assert rule.code not in codes(found)


def test_every_pinned_position_belongs_to_a_rule_with_an_example():
    stale = sorted(set(POSITIONS) - {rule.code for rule in RUNNABLE})
    assert not stale, f"{POSITIONS_FILE.relative_to(ROOT)} pins rules without a runnable bad example: remove {stale}"
    assert all(POSITIONS.values()), "a pinned bad example must be reported at least once"


@pytest.mark.parametrize("rule", all_rules(), ids=lambda rule: rule.code)
def test_rule_describes_itself(rule):
    assert rule.code[0] in "BEFHJLSMCPT" and rule.code[1:].isdigit() and len(rule.code) == 4
    assert rule.name == rule.name.lower() and " " not in rule.name
    assert rule.summary and rule.rationale and rule.bad and rule.good


WITH_OPTIONS = [rule for rule in all_rules() if rule.options]


def test_some_rules_have_options():
    assert {"C003", "L004", "L005"} <= {rule.code for rule in WITH_OPTIONS}


@pytest.mark.parametrize("rule", WITH_OPTIONS, ids=lambda rule: rule.code)
def test_every_option_has_a_default_and_one_line_of_help(rule):
    for name, option in rule.options.items():
        assert isinstance(option, Option), name
        assert option.help.strip() and "\n" not in option.help and len(option.help) < 100, name
