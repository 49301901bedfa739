"""Words a site teaches the dictionary check (S006): the names of its people, places and systems.

From the page: author lists (names separated by commas), capitalised words of link labels
(people and projects are linked), the author and citation values of its front matter, and a `.bib`
file's author, editor and venue fields. From the whole site, read once per run when
S006 first asks: the `author` block and `name` of `_config.yml`, BibTeX author lists and venues
(their LaTeX decoded: `Schr{\\"o}dinger` is learned as `schrödinger`), author and citation lines
of front matter, and capitalised words that occur at least twice across
the site's pages and data. Plus the site's `.pagelint-words.txt` and the page's
`<!-- pagelint-words ... -->`. Everything is lower-cased: a name learned as `Hetu` is accepted
as `hetu` too.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pagelint.model.site import Site

from pagelint.bounded_io import read_regular_file
from pagelint.model.bibtex import decode_latex
from pagelint.model.document import with_lf_line_breaks

_NAME = re.compile(r"(?<![\w'’])[^\W\d_][^\W\d_]+")
_CAPITALISED = re.compile(r"(?<![\w'’])[A-Z][a-z]+(?:[A-Z][a-z]+)*(?![\w])")
_AUTHOR_LINE = re.compile(r"^\s*(?:authors?|co-?authors?|citation|name)\s*[:=]\s*(.+)$", re.IGNORECASE | re.MULTILINE)
_SITE_SUFFIXES = (".md", ".markdown", ".html", ".bib", ".yml", ".yaml")
_SKIPPED_PREFIXES = ("assets/", "_site/", "_sass/", "_includes/", "_layouts/", "node_modules/", "vendor/")
MAX_FILE_SIZE = 1_000_000
_PAGE_WORDS = re.compile(r"<!--\s*pagelint-words\s+(.*?)-->", re.DOTALL)
RECURRING = 2  # a capitalised word seen this many times across the site is taken as a name
PAGE_KEYS = frozenset({"author", "authors", "citation", "coauthors"})
# The fields of a BibTeX entry that name people and venues, whose words are names, not typos.
BIBTEX_PERSON_FIELDS = frozenset({"author", "editor"})
BIBTEX_NAME_FIELDS = BIBTEX_PERSON_FIELDS | {"booktitle", "journal", "journaltitle", "publisher", "organization", "institution", "school"}


def _field_lines(fields: frozenset[str]) -> re.Pattern:
    return re.compile(r"^\s*(?:" + "|".join(sorted(fields)) + r")\s*=\s*(.+)$", re.IGNORECASE | re.MULTILINE)


# A venue's words are known words for the spelling rules, but not evidence against a word
# split by PDF copying: `Coas tal` in a booktitle would vouch for itself.
_PERSON_LINE = _field_lines(BIBTEX_PERSON_FIELDS)
_VENUE_LINE = _field_lines(BIBTEX_NAME_FIELDS - BIBTEX_PERSON_FIELDS)
# An author list: two or more names of two to four capitalised parts (`Bin Cui`, `X. Nie`,
# `Eun-ji Park`) separated by commas, `and` or `&`.
_PERSON = r"(?:[A-Z\u00C0-\u024F][\w'’.-]*\s+){1,3}[A-Z\u00C0-\u024F][\w'’-]*"
_AUTHOR_LIST = re.compile(rf"{_PERSON}(?:\s*(?:,|\band\b|&)\s*(?:and\s+)?{_PERSON})+")


WORD_LIST = ".pagelint-words.txt"


def word_list_path(path: str, site) -> Path:
    """The site's word list; for a page outside any site, the one in its folder."""
    return (site.root if site is not None else Path(path).absolute().parent) / WORD_LIST


def word_list_lines(path: Path, max_file_size: int) -> list[str]:
    """The lines of a word list; OSError (also when it is over `max_file_size` or not a
    regular file) or UnicodeDecodeError when it cannot be read whole."""
    return read_regular_file(path, max_file_size).decode("utf-8").splitlines()


@cache
def _listed_words(path: Path, modified: int, max_file_size: int) -> frozenset[str]:
    """The words of a word list, read again when the file changes (`pagelint words`)."""
    try:
        lines = word_list_lines(path, max_file_size)
    except (OSError, UnicodeDecodeError):
        return frozenset()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def accepted_words(doc) -> frozenset[str]:
    path = word_list_path(doc.path, doc.site)
    try:
        modified = path.stat().st_mtime_ns
    except OSError:
        modified = -1
    words = set(_listed_words(path, modified, doc.max_file_size) if modified >= 0 else ())
    if "pagelint-words" in doc.text:
        for match in _PAGE_WORDS.finditer(doc.text):
            words.update(match.group(1).split())
    return frozenset(words)


def page_names(doc, venues: bool = True) -> frozenset[str]:
    """Lower-case words of the names the page lists as people: its author lists and the
    author and citation values of its front matter (and a .bib file's venues unless not `venues`)."""
    key = "page_names" if venues else "page_person_names"
    if key not in doc.memo:
        fields = BIBTEX_NAME_FIELDS if venues else BIBTEX_PERSON_FIELDS
        words: set[str] = set()
        for names in _AUTHOR_LIST.findall(doc.text[doc.body_start :].replace("*", " ").replace("_", " ")):
            words.update(word.lower() for word in _NAME.findall(names))
        for key in PAGE_KEYS & doc.data.keys():
            words.update(word.lower() for word in _NAME.findall(str(doc.data[key])))
        for entry in doc.bibliography.entries if doc.bibliography is not None else ():
            for item in entry.fields:
                if item.name in fields:
                    words.update(_decoded_names(item.value))
        doc.memo[key] = frozenset(words)
    return doc.memo[key]


def known_words(doc, venues: bool = True) -> frozenset[str]:
    """Lower-case words accepted on this page, beside the dictionary (with the words of the
    bibliography's venues unless not `venues`)."""
    key = "known_words" if venues else "known_words_but_venues"
    if key not in doc.memo:
        words = {word.lower() for word in accepted_words(doc)} | page_names(doc, venues)
        for link in doc.links:
            if not link.is_image and link.text:
                words.update(word.lower() for word in _CAPITALISED.findall(link.text))
        if doc.site is not None:
            words |= site_words(doc.site, venues)
        else:  # a page on its own is its own site
            counts = Counter(_CAPITALISED.findall(doc.text))
            words.update(word.lower() for word, count in counts.items() if count >= RECURRING)
        doc.memo[key] = frozenset(words)
    return doc.memo[key]


def in_author_list(doc, start: int, end: int) -> bool:
    """Whether the text between `start` and `end` lies in an author list of the page (its body
    or its front matter, emphasis marks aside)."""
    if "author_lists" not in doc.memo:
        unmarked = doc.text.replace("*", " ").replace("_", " ")
        doc.memo["author_lists"] = [match.span() for match in _AUTHOR_LIST.finditer(unmarked)]
    index = bisect.bisect_right(doc.memo["author_lists"], (start, float("inf"))) - 1
    return index >= 0 and end <= doc.memo["author_lists"][index][1]


def _decoded_names(latex: str) -> set[str]:
    """The lower-case words of a BibTeX value, its LaTeX decoded."""
    return {word.lower() for run in decode_latex(latex)[0] for word in _NAME.findall(run.text)}


def site_words(site: Site, venues: bool = True) -> frozenset[str]:
    names, venue_names = _site_vocabulary(site)
    return names | venue_names if venues else names


@cache
def _site_vocabulary(site: Site) -> tuple[frozenset[str], frozenset[str]]:
    """The site's words, and apart from them those its .bib files' venues add: the site's
    files are read once for both."""
    words = {word.lower() for word in _NAME.findall(site.generator.names_in_config(site))}
    venue_words: set[str] = set()
    counts: Counter = Counter()
    for name in sorted(site.files):
        if not name.endswith(_SITE_SUFFIXES) or name.startswith(_SKIPPED_PREFIXES):
            continue
        try:
            text, _ = with_lf_line_breaks(read_regular_file(site.root / name, MAX_FILE_SIZE).decode("utf-8", "replace"))
        except OSError:  # also one over MAX_FILE_SIZE: not read
            continue
        counts.update(_CAPITALISED.findall(text))
        for line in _AUTHOR_LINE.findall(text):
            words.update(word.lower() for word in _NAME.findall(line))
        if name.endswith(".bib"):
            for line in _PERSON_LINE.findall(text):
                words.update(_decoded_names(line))
            for line in _VENUE_LINE.findall(text):
                venue_words.update(_decoded_names(line))
    words.update(word.lower() for word, count in counts.items() if count >= RECURRING)
    return frozenset(words), frozenset(venue_words - words)
