"""Every rule's documented bad example triggers it and its good example does not, so the
documentation `pagelint rule CODE` prints cannot drift from the code."""

from __future__ import annotations

import pytest

from pagelint.rules import all_rules
from pagelint.rules.base import Option

# Online rules need a server: tests/test_online.py runs their examples against a local one.
RUNNABLE = [rule for rule in all_rules() if not rule.bad.startswith("(") and not rule.online]


@pytest.mark.parametrize("rule", RUNNABLE, ids=lambda rule: rule.code)
def test_bad_example_is_reported(rule, lint):
    content = rule.bad.encode(rule.example_encodings[0])
    found = lint({**rule.example_site, rule.example_path: content}, "--extend-select", rule.code, paths=[rule.example_path])
    assert rule.code in {d["code"] for d in found}


@pytest.mark.parametrize("rule", RUNNABLE, ids=lambda rule: rule.code)
def test_good_example_is_clean(rule, lint):
    content = rule.good.encode(rule.example_encodings[1])
    path = rule.good_example_path or rule.example_path
    found = lint({**rule.example_site, path: content}, "--extend-select", rule.code, paths=[path])
    assert rule.code not in {d["code"] for d in found}


@pytest.mark.parametrize("rule", all_rules(), ids=lambda rule: rule.code)
def test_rule_describes_itself(rule):
    assert rule.code[0] in "EFJLSMC" and rule.code[1:].isdigit() and len(rule.code) == 4
    assert rule.name == rule.name.lower() and " " not in rule.name
    assert rule.summary and rule.rationale and rule.bad and rule.good


WITH_OPTIONS = [rule for rule in all_rules() if rule.options]


def test_some_rules_have_options():
    assert {"C003", "F004", "F005", "L004", "L005"} <= {rule.code for rule in WITH_OPTIONS}


@pytest.mark.parametrize("rule", WITH_OPTIONS, ids=lambda rule: rule.code)
def test_every_option_has_a_default_and_one_line_of_help(rule):
    for name, option in rule.options.items():
        assert isinstance(option, Option), name
        assert option.help.strip() and "\n" not in option.help and len(option.help) < 100, name
