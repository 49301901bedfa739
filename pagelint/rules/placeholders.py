"""Placeholder rules (P): what a site template ships for the owner to replace, still published.

Sample values (`Paper Title Number 3`, `City, Country`), placeholder addresses and links, and
the template's own sample pages. Values are patterns in `data/placeholders.json`; sample
pages are recognised by the hashes of their sentences (`data/template_fingerprints.txt`,
written by `tools/template_fingerprints.py`), so no template text is kept in pagelint.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from pagelint.data import load_json, read_text
from pagelint.rules.base import Rule
from pagelint.text.fingerprints import FINGERPRINTED_KEYS, body_sentences, fingerprint, short_body
from pagelint.text.patterns import any_of


@cache
def _value_patterns() -> tuple[tuple[re.Pattern, frozenset[str], str], ...]:
    return tuple(
        (re.compile(entry["pattern"], re.I), frozenset(entry.get("keys", ())), entry["what"])
        for entry in load_json("placeholders.json")["values"]
    )


@cache
def _any_prose_value() -> re.Pattern:
    return any_of(pattern for pattern, keys, _ in _value_patterns() if not keys)


@cache
def _url_patterns() -> tuple[tuple[re.Pattern, str], ...]:
    return tuple((re.compile(entry["pattern"], re.I), entry["what"]) for entry in load_json("placeholders.json")["urls"])


@lru_cache(maxsize=8192)
def _placeholder_url(url: str) -> str:
    """What placeholder the URL is, or '': once per distinct URL."""
    return next((what for pattern, what in _url_patterns() if pattern.search(url)), "")


@cache
def template_fingerprints() -> frozenset[str]:
    return frozenset(line.strip() for line in read_text("template_fingerprints.txt").splitlines() if line.strip() and not line.startswith("#"))


def _string_values(doc):
    """(key, start, end) of each front matter value written as text (a mapping's or a list's
    span, which holds its comments, is not one)."""
    block = doc.front_matter
    if block is None:
        return
    for path, position in block.positions.items():
        value = doc.text[position.value_start : position.value_end]
        if value and ("\n" not in value or value[0] in "|>\"'"):
            yield path.rsplit(".", 1)[-1], position.value_start, position.value_end


def _unquoted(text: str, start: int, end: int) -> tuple[int, int]:
    while end > start and text[end - 1] in "'\" \t":
        end -= 1
    while start < end and text[start] in "'\" \t":
        start += 1
    return start, end


class PlaceholderValue(Rule):
    code = "P001"
    name = "placeholder-value"
    summary = "A template's sample value or placeholder link still published (`Paper Title Number 1`, `City, Country`)"
    rationale = (
        "Site templates fill their sample pages with values for the owner to replace: a sample "
        "paper title, venue (`Journal 1`), place (`City, Country`), filler text, links to "
        "`example.com` or to the template's own sample files. Left in, they are published as "
        "the owner's. The values are patterns in `data/placeholders.json`."
    )
    bad = (
        "---\ntitle: \"Graph Sparsifiers\"\nvenue: 'Journal 1'\nlocation: \"City, Country\"\n---\n\n"
        "[Slides](http://exampleurl.com/slides.pdf)\n"
    )
    good = (
        "---\ntitle: \"Graph Sparsifiers\"\nvenue: 'Journal of Graph Theory'\nlocation: \"Lund, Sweden\"\n---\n\n"
        "[Slides](/files/sparsifiers.pdf)\n"
    )

    def check(self, doc, options):
        text = doc.text
        reported: set[int] = set()
        for key, start, end in _string_values(doc):
            start, end = _unquoted(text, start, end)
            value = text[start:end]
            unkeyed_present = _any_prose_value().search(value) is not None
            for pattern, keys, what in _value_patterns():
                match = pattern.search(value) if (key in keys if keys else unkeyed_present) else None
                if match and start not in reported:
                    reported.add(start)
                    yield self.diagnostic(doc, start + match.start(), start + match.end(), f"`{match.group()}` is {what}: replace it")
            if key.endswith("url") or key == "url":
                yield from self._url(doc, value, start, end, reported)
        seen = set()  # filler text repeats: each placeholder once per page
        any_value = _any_prose_value()
        for span_start, span_end in doc.prose_spans:
            if any_value.search(text, span_start, span_end) is None:
                continue
            for pattern, keys, what in _value_patterns():
                if keys:
                    continue
                for match in pattern.finditer(text, span_start, span_end):
                    if match.group().lower() not in seen:
                        seen.add(match.group().lower())
                        yield self.diagnostic(doc, match.start(), match.end(), f"`{match.group()}` is {what}: replace it")
        for link in doc.links:
            if link.rendered and not link.is_image:
                yield from self._url(doc, link.url, link.url_start, link.url_end, reported)

    def _url(self, doc, url, start, end, reported):
        what = _placeholder_url(url.strip())
        if what and start not in reported:
            reported.add(start)
            yield self.diagnostic(doc, start, end, f"`{url.strip()}` is {what}: link the real one or remove the link")


class TemplateText(Rule):
    code = "P002"
    name = "template-text"
    summary = "Text of the template's own sample pages still published (sample talks, posts, news)"
    rationale = (
        "academicpages, al-folio and Hugo Blox ship sample publications, talks, posts, news and "
        "projects, and explanatory paragraphs for the owner to replace. A page that keeps them "
        "publishes the template's words as the owner's. They are recognised by hashes of the "
        "templates' sample sentences and titles, a sentence counting as the template's when it "
        "recurs unchanged on sites built from it; a page whose text is the owner's is not touched."
    )
    bad = (
        "---\ntitle: \"Sparse Graphs\"\ncollection: talks\n---\n\n"
        "Replace this sentence with a summary of your talk, written in Markdown like any page.\n"
    )
    good = "---\ntitle: \"Sparse Graphs\"\ncollection: talks\n---\n\nA talk on sparsifiers of dense graphs, given at the Lund seminar.\n"

    def check(self, doc, options):
        known = template_fingerprints()
        text = doc.text
        spans: list[tuple[int, int, str]] = []
        for key, start, end in _string_values(doc):
            if key == "title":
                spans.append((*_unquoted(text, start, end), "title"))
            if key in FINGERPRINTED_KEYS:
                spans.extend((left, right, "sentence") for left, right in body_sentences(text, *_unquoted(text, start, end)))
        if doc.syntax in ("markdown", "html"):
            sentences = body_sentences(text, doc.body_start, len(text))
            spans.extend((left, right, "sentence") for left, right in sentences)
            # A body with a sentence long enough to fingerprint is never a short one.
            whole = None if sentences else short_body(text, doc.body_start, len(text))
            if whole is not None:
                spans.append((*whole, "page"))
        matched = [(start, end, what) for start, end, what in spans if fingerprint(text[start:end]) in known]
        if not matched:
            return
        if any(what in ("title", "page") for _, _, what in matched) or 2 * len(matched) >= len(spans):
            start, end, _ = matched[0]
            yield self.diagnostic(doc, start, end, "this page is one of the template's sample pages: replace it with your own or delete it")
            return
        lines: set[int] = set()
        for start, end, _ in matched:
            line = doc.position(start)[0]
            if line in lines:
                continue
            lines.add(line)
            yield self.diagnostic(doc, start, end, "a sentence of the template's sample content: replace it with your own or delete it")


RULES = (PlaceholderValue(), TemplateText())
