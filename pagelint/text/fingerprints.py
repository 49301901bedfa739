"""Fingerprints of text: a template's sample sentences are recognised by the hash of their
normalised form, so that pagelint ships the hashes and never the templates' text."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

# Sentences shorter than this are common English (`Thank you.`) and prove nothing.
MIN_WORDS = 6
_NOT_WORD = re.compile(r"[^\w]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n\s*\n|\n(?=\s*(?:[-*+#>]|\d+\.)\s)")


def normalised(text: str) -> str:
    """Case, accents' composition, punctuation and spacing removed: `It's  a *test*.` -> `it s a test`."""
    return _NOT_WORD.sub(" ", unicodedata.normalize("NFKC", text).lower()).strip()


def fingerprint(text: str) -> str:
    """The first 16 hex digits of the SHA-256 of the normalised text."""
    return hashlib.sha256(normalised(text).encode("utf-8")).hexdigest()[:16]


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text` long enough to fingerprint."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    spans = [(left + len(text[left:right]) - len(text[left:right].lstrip()), right) for left, right in spans]
    return [(left, right) for left, right in spans if len(normalised(text[left:right]).split()) >= MIN_WORDS]


# Markup a reader does not see, replaced by spaces so that offsets and line breaks stay put: a
# reference definition line, a comment, Liquid, a tag, a link's target, a URL. The spans that
# run to a closer are found from their opener with `str.find`: a regular expression's `.*?`
# would read on to the end of the text from every opener that is never closed.
_CLOSERS = {"<!--": "-->", "{%": "%}", "{{": "}}"}
_REST = r"<[^<>\n]*>|\]\([^()\s]*\)|https?://\S+"
_HIDDEN = re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:[ \t]*\S[^\n]*$|(<!--|\{%|\{\{)|" + _REST, re.M)
_HIDDEN_REST = re.compile(_REST)
_FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
FINGERPRINTED_KEYS = ("title", "excerpt", "abstract", "summary", "description", "venue")


@lru_cache(maxsize=2)  # a page's body is read for its sentences, then, when it has none, whole
def visible(text: str) -> str:
    """`text` with comments, Liquid, HTML tags, link targets and fenced code blanked out,
    each character of them a space (newlines kept), so positions still match the file."""
    text = _FENCE.sub(_blank, text)
    pieces: list[str] = []
    kept_until = position = 0
    unclosed: set[str] = set()  # openers with no closer after them: none later has one either
    while (match := _HIDDEN.search(text, position)) is not None:
        start, end = match.span()
        opener = match.group(1)
        if opener is not None:
            close = -1 if opener in unclosed else text.find(_CLOSERS[opener], end)
            if close >= 0:
                end = close + len(_CLOSERS[opener])
            else:  # as the alternatives after it would be tried there
                unclosed.add(opener)
                rest = _HIDDEN_REST.match(text, start)
                if rest is None:
                    position = start + 1
                    continue
                end = rest.end()
        pieces += (text[kept_until:start], _blanked(text[start:end]))
        kept_until = position = end
    pieces.append(text[kept_until:])
    return "".join(pieces)


_NOT_NEWLINE = re.compile(r"[^\n]")


def _blank(match: re.Match) -> str:
    return _blanked(match.group())


def _blanked(hidden: str) -> str:
    return _NOT_NEWLINE.sub(" ", hidden) if "\n" in hidden else " " * len(hidden)


# A short page (al-folio's one-line sample announcements) is fingerprinted whole; fewer words
# than this are a stub any owner might write (`Coming soon.`).
WHOLE_BODY_MIN_WORDS = 3


def short_body(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The file span of the visible text of text[start:end] when it is too short to hold a
    fingerprintable sentence but not a stub, else None."""
    shown = visible(text[start:end])
    if not WHOLE_BODY_MIN_WORDS <= len(normalised(shown).split()) < MIN_WORDS:
        return None
    left = len(shown) - len(shown.lstrip())
    return start + left, start + len(shown.rstrip())


def body_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """File spans of the fingerprintable sentences of text[start:end], read paragraph by paragraph."""
    shown = visible(text[start:end])
    return [(start + left, start + right) for left, right in sentences(shown)]
