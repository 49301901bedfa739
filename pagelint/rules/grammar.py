"""Grammar rule: a short list of word sequences that are wrong in every context
(`data/grammar_confusables.txt`), so that a correct sentence is never reported."""

from __future__ import annotations

import re
from functools import cache

from pagelint.data import read_text
from pagelint.rules.base import Rule
from pagelint.rules.spelling import english_passages


@cache
def _confusables() -> tuple[tuple[re.Pattern, str | None, str], ...]:
    entries = []
    for line in read_text("grammar_confusables.txt").splitlines():
        if line.strip() and not line.startswith("#"):
            pattern, replacement, why = line.split("\t")
            entries.append((re.compile(pattern, re.M), None if replacement == "-" else replacement, why))
    return tuple(entries)


@cache
def _any_confusable() -> re.Pattern:
    """One pattern that matches where any of the sequences does: most passages hold none, and
    one search over a passage costs less than one for each sequence."""
    return re.compile("|".join(f"(?:{pattern.pattern})" for pattern, _, _ in _confusables()), re.M)


class GrammarConfusable(Rule):
    code = "S008"
    name = "grammar-confusable"
    summary = "A word sequence that is wrong in every context (`evolves around`, `I advised by`, `for the my thesis`)"
    rationale = (
        "A few slips of grammar are certain from the words alone: `evolves around` for `revolves "
        "around`, a passive without its verb (`I advised by`), `the` before a possessive (`for the "
        "my thesis`), `a AI`. Only such sequences, kept as data, are checked; where one wording is "
        "certain the fix (`--unsafe-fixes`) writes it."
    )
    bad = "My work evolves around graphs. I advised by Ada Lund, and a CIHR award funds the my thesis on a AI model.\n"
    good = "My work revolves around graphs. I am advised by Ada Lund, and a CIHR award funds my thesis on an AI model.\n"
    fixable = True

    def check(self, doc, options):
        for passage in english_passages(doc):
            if not _any_confusable().search(passage.text):
                continue
            for pattern, replacement, why in _confusables():
                for match in pattern.finditer(passage.text):
                    start, end = passage.at(match.start(1)), passage.at(match.end(1) - 1) + 1
                    yield self.diagnostic(
                        doc, start, end, f"`{match.group(1)}`: {why}",
                        replacement=replacement, safe=False,
                    )


RULES = (GrammarConfusable(),)
