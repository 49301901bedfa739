"""The rule registry: an explicit list of rule family modules, each exporting `RULES`."""

from __future__ import annotations

from functools import lru_cache

from pagelint.rules import (
    bibliography,
    consistency,
    encoding,
    frontmatter,
    grammar,
    hugo,
    identifiers,
    images,
    jekyll,
    links,
    markup,
    online,
    placeholders,
    spelling,
    typography,
)
from pagelint.rules.base import Rule

FAMILIES = (
    bibliography, consistency, encoding, frontmatter, grammar, hugo, identifiers, images, jekyll, links, markup, online, placeholders, spelling,
    typography,
)


@lru_cache(maxsize=1)
def all_rules() -> tuple[Rule, ...]:
    rules = tuple(rule for family in FAMILIES for rule in family.RULES)
    codes = [rule.code for rule in rules]
    names = [rule.name for rule in rules]
    assert len(set(codes)) == len(codes) and len(set(names)) == len(names), "duplicate rule code or name"
    return tuple(sorted(rules, key=lambda rule: rule.code))


@lru_cache(maxsize=1)
def rules_by_key() -> dict[str, Rule]:
    """Rules by code (upper case) and by name."""
    table: dict[str, Rule] = {}
    for rule in all_rules():
        table[rule.code] = rule
        table[rule.name] = rule
    return table


def find_rule(key: str) -> Rule | None:
    return rules_by_key().get(key.upper()) or rules_by_key().get(key.lower())
