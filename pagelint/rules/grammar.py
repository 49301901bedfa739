"""Grammar rule: a short list of word sequences that are wrong in every context
(`data/grammar_confusables.txt`), so that a correct sentence is never reported."""

from __future__ import annotations

import re
import warnings
from functools import cache

from pagelint.data import read_text
from pagelint.rules.base import Rule
from pagelint.rules.spelling import english_passages


@cache
def _confusables() -> tuple[tuple[re.Pattern, str, str | None, str], ...]:
    """(pattern, the text every match of it holds, replacement, why) of each sequence."""
    entries = []
    for line in read_text("grammar_confusables.txt").splitlines():
        if line.strip() and not line.startswith("#"):
            pattern, replacement, why = line.split("\t")
            compiled = re.compile(pattern, re.M)
            entries.append((compiled, required_text(compiled), None if replacement == "-" else replacement, why))
    return tuple(entries)


def required_text(pattern: re.Pattern) -> str:
    """The longest run of characters that every match of `pattern` holds ("" if none is
    certain): a passage without it is not searched, and `in` costs far less than a search."""
    if pattern.flags & re.IGNORECASE:
        return ""
    parser, constants = _regex_parser()
    runs, run = [], ""
    for opcode, argument in _inlined(parser.parse(pattern.pattern, pattern.flags), constants.SUBPATTERN):
        if opcode is constants.LITERAL:
            run += chr(argument)
        else:
            runs.append(run)
            run = ""
    return max([*runs, run], key=len)


@cache
def _regex_parser():
    """The parser of `re` and its opcodes (public as `sre_parse` until Python 3.13, which warns)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import sre_constants
        import sre_parse
    return sre_parse, sre_constants


def _inlined(items, group):
    """The items of a parsed pattern, those of its groups in their place (a group that changes
    flags, whose literals may then match other text, stays one item)."""
    for opcode, argument in items:
        if opcode is group and not argument[1] and not argument[2]:
            yield from _inlined(argument[3], group)
        else:
            yield opcode, argument


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
            for pattern, required, replacement, why in _confusables():
                if required not in passage.text:
                    continue
                for match in pattern.finditer(passage.text):
                    start, end = passage.at(match.start(1)), passage.at(match.end(1) - 1) + 1
                    yield self.diagnostic(
                        doc, start, end, f"`{match.group(1)}`: {why}",
                        replacement=replacement, safe=False,
                    )


RULES = (GrammarConfusable(),)
