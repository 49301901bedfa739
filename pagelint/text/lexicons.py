"""The word lists and lexicons of `pagelint/data/`, parsed once per process on first use.

Shared by the spelling rules (misspellings, canonical terms, brands, phrases, the words that
tell a language) and the consistency rules (venues and their former names)."""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import cache

from pagelint.data import read_bytes, read_text


def _lines(name: str) -> list[str]:
    return [line.strip() for line in read_text(name).splitlines() if line.strip() and not line.startswith("#")]


@cache
def misspellings() -> dict[str, str]:
    """Lower-case misspelling -> correction."""
    return dict(line.split(None, 1) for line in _lines("misspellings.txt"))


@dataclass(frozen=True)
class Term:
    canonical: str
    accepted: tuple[str, ...]  # other spellings that are right too (PhD beside Ph.D.)
    former: tuple[str, ...]  # older names of the same thing (NIPS for NeurIPS)
    is_word: bool  # also an ordinary word (`DATE`): casing is not checked


def _parse_terms(name: str) -> list[Term]:
    """Lines `Canonical [~] [| right spellings] [= former names]`."""
    terms = []
    for line in _lines(name):
        head, _, former = line.partition(" = ")
        head, _, accepted = head.partition(" | ")
        is_word = head.endswith("~")
        terms.append(Term(head.rstrip("~ ").strip(), _split(accepted), _split(former), is_word))
    return terms


def _split(values: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in values.split(",") if part.strip())


@cache
def canonical_terms() -> tuple[Term, ...]:
    return tuple(_parse_terms("canonical_terms.txt"))


@cache
def venues() -> tuple[Term, ...]:
    return tuple(_parse_terms("venues.txt"))


@cache
def brands() -> tuple[Term, ...]:
    return tuple(_parse_terms("brands.txt"))


@cache
def casing_table(lexicon: str) -> dict[str, Term]:
    """Lower-case spelling -> the term it should be written as, for the terms whose casing
    matters of one lexicon: `cv` (venues, degrees, publishers) or `brands`."""
    table: dict[str, Term] = {}
    for term in (*canonical_terms(), *venues()) if lexicon == "cv" else brands():
        if not term.is_word:
            table.setdefault(term.canonical.lower(), term)
    return table


@cache
def language_words(kind: str) -> dict[str, frozenset[str]]:
    """Language code -> its lower-case words of one kind (`function`, `academic`): see
    language_words.txt."""
    table: dict[str, set[str]] = {}
    for line in _lines("language_words.txt"):
        language, listed_kind, *words = line.split()
        if listed_kind == kind:
            table.setdefault(language, set()).update(word.lower() for word in words)
    return {language: frozenset(words) for language, words in table.items()}


@cache
def event_words() -> frozenset[str]:
    """Lower-case words of venue and event names (`congress`, `workshop`)."""
    return frozenset(word.lower() for word in _lines("event_words.txt"))


@cache
def academic_phrases() -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(line.split()) for line in _lines("academic_phrases.txt"))


@cache
def english_words() -> dict[str, int]:
    """Lower-case English word -> SCOWL size (10 most common ... 70 rare), about 135,000
    words; pagelint's own additions (academic and technical words) count as size 50.

    Loaded on first use only, by S009 (a default rule) and the other dictionary checks. A word
    listed at several sizes keeps the smallest: the lines, smallest size first, are applied in
    reverse, a dict update each (0.09 s against 0.14 s for a word-by-word setdefault, measured)."""
    words: dict[str, int] = {}
    for line in reversed(gzip.decompress(read_bytes("english_words.txt.gz")).decode("utf-8").splitlines()):
        size, _, listed = line.partition("\t")
        words.update(dict.fromkeys(listed.lower().split(), int(size)))
    for word in _lines("extra_words.txt"):
        words.setdefault(word.lower(), 50)
    return words
