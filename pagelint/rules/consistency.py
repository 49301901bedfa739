"""Consistency rules (C): what only makes sense across the entries of a homepage: how the
owner's name is highlighted, duplicated papers, news out of order, venue names that changed."""

from __future__ import annotations

import bisect
import datetime
import difflib
import hashlib
import itertools
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path, PurePosixPath

from pagelint.diagnostics import Severity
from pagelint.model import bib_names
from pagelint.rules.base import Option, Rule, SiteRule
from pagelint.text import lexicons
from pagelint.text.distance import one_edit_apart

_LIST_ITEM = re.compile(r"^[ \t]{0,8}(?:[-+*]|\d{1,3}[.)])[ \t]+(.*)$", re.MULTILINE)
_HIGHLIGHTED_NAME = re.compile(
    r"(\*{1,3}|_{1,3}|<b>|<strong>)([A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){1,3})†?(\*{1,3}|_{1,3}|</b>|</strong>)"
)
_CLOSERS = {"<b>": "</b>", "<strong>": "</strong>"}


_SECTION_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]|^[ \t]*<h[1-6][\s>]", re.MULTILINE | re.IGNORECASE)


def _list_items(doc) -> list[tuple[int, int]]:
    """(start, end) of the text of every list item of the page's Markdown, found once."""
    if "list_items" not in doc.memo:
        doc.memo["list_items"] = [
            (match.start(1), match.end(1))
            for region in doc.body.regions
            if region.kind == "inline"
            for match in _LIST_ITEM.finditer(doc.text, region.start, region.end)
        ]
    return doc.memo["list_items"]


def _owner_names(doc, items) -> list[str]:
    """The ways the site owner's name may be written: `author.name` (and the site's `name`) of
    `_config.yml` in either order of its parts, since a name written family name first in the
    profile is often given name first in author lists; else the name most often highlighted
    in the page's author lists."""
    names: list[str] = []
    if doc.site is not None:
        for value in doc.site.owner_names:
            if len(parts := value.split()) >= 2:
                names += [" ".join(parts), " ".join(parts[1:] + parts[:1]), " ".join(parts[-1:] + parts[:-1])]
    names = list(dict.fromkeys(names))
    if any(name in doc.text[start:end] for start, end in items for name in names):
        return names
    highlighted: Counter[str] = Counter()
    for start, end in items:
        highlighted.update(match.group(2) for match in _HIGHLIGHTED_NAME.finditer(doc.text, start, end) if _matched(match))
    common = highlighted.most_common(1)
    return [common[0][0]] if common and common[0][1] >= 2 else []


def _matched(match: re.Match) -> bool:
    opening, closing = match.group(1), match.group(3)
    return _CLOSERS.get(opening, opening) == closing


class AuthorHighlight(Rule):
    code = "C001"
    name = "author-highlight"
    summary = "The owner's name highlighted differently in one author list"
    rationale = (
        "Publication lists mark the page owner in every author list, usually in bold. An entry "
        "where the name is not marked at all looks like a different person or a slip (a warning); "
        "one marked another way, in bold italics say, may mean something (equal contribution), so "
        "it is info. The usual form is learnt from the page (the owner is `author.name` of "
        "`_config.yml`, or the most often highlighted name), and the odd entries are fixed to it."
    )
    bad = "+ **Ada Byron**, Tom Lee. Paper one.\n+ Tom Lee, **Ada Byron**. Paper two.\n+ Tom Lee, Ada Byron. Paper three.\n"
    good = "+ **Ada Byron**, Tom Lee. Paper one.\n+ Tom Lee, **Ada Byron**. Paper two.\n+ Tom Lee, **Ada Byron**. Paper three.\n"
    fixable = True

    def check(self, doc, options):
        items = [item for item in _list_items(doc) if doc.text.count(",", *item) >= 1]
        names = _owner_names(doc, items)
        if not names:
            return
        forms: list[tuple[int, int, str, str, str]] = []  # (start, end, form, name as written, corresponding-author mark)
        pattern = re.compile(
            r"(\*{1,3}|_{1,3}|<b>|<strong>)?(" + "|".join(map(re.escape, names)) + r")(†?)(\*{1,3}|_{1,3}|</b>|</strong>)?(?![\w-])"
        )
        for start, end in items:
            match = pattern.search(doc.text, start, end)
            if match:
                form = (match.group(1) or "") + "{}" + (match.group(4) or "")
                forms.append((match.start(), match.end(), form, match.group(2), match.group(3)))
        usual = Counter(form for _, _, form, _, _ in forms).most_common(1)
        if not usual or usual[0][1] < 2 or usual[0][0] == "{}":
            return
        usual_form = usual[0][0]
        for start, end, form, name, mark in forms:
            if form != usual_form:
                written = doc.text[start:end]
                yield self.diagnostic(
                    doc, start, end, f"`{written}`: {name} is written `{usual_form.format(name)}` in the other entries",
                    replacement=usual_form.format(name + mark),
                    severity=None if form == "{}" else Severity.INFO,
                )


_TITLE = re.compile(r"[\"“]\*?\[?([^\"”\]\n]{30,300}?)\]?(?:\([^)\s]*\))?\*?[\"”]|\*\[([^\]\n]{30,300})\]")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_IDENTIFIER = re.compile(r"(?:arxiv\.org/(?:abs|pdf)/|doi\.org/)([\w./-]+?)(?:v\d+)?(?:\.pdf)?(?=[)\s\"'>]|$)", re.IGNORECASE)


def _normal(title: str) -> str:
    return re.sub(r"[\W_]+", " ", title.lower()).strip()


def _entry_title(text: str) -> str:
    """The normalised title of a list entry: its first quoted or emphasised-link phrase of
    two words or more that does not name a venue (`*[Fifth Congress of Marine Sciences](...)*`
    is where two posters were shown, not what they are), or ''."""
    for match in _TITLE.finditer(text):
        title = _normal(match.group(1) or match.group(2))
        if " " in title and lexicons.event_words().isdisjoint(title.split()):
            return title
    return ""


class DuplicatePublication(SiteRule):
    code = "C002"
    name = "duplicate-publication"
    summary = "The same paper listed twice on a page, or in two publication files"
    rationale = (
        "A paper copied into a list twice, or two `_publications` files for one paper, inflate "
        "the list and confuse readers. Entries are the same work when their titles agree "
        "(ignoring case and punctuation) in the same year, or they link the same arXiv id, or the "
        "same DOI without different titles (a DOI may name a whole book of abstracts). A quoted "
        "or linked name of a congress or workshop is "
        "not a title: two posters at one congress are two works; an item that links two arXiv ids "
        "or two DOIs lists papers (a research topic) and is no entry. A paper on both the about page "
        "and the publications page is normal and not reported."
    )
    bad = '+ "Routing Experts at Scale with Sparse Gates". NeurIPS 2024.\n+ "Routing experts at scale with sparse gates". arXiv 2024.\n'
    good = '+ "Routing Experts at Scale with Sparse Gates". NeurIPS 2024.\n+ "Caching Embeddings for Sparse Experts". arXiv 2024.\n'

    def collect(self, doc, options):
        """Duplicates within the page are found here, so that only they and the page's own
        publication key are kept until the end of the run."""
        seen: dict[tuple[int, str], tuple[int, str]] = {}  # (section, key) -> the first entry's line and title
        duplicates = []
        # A paper listed under two headings of a page is listed by topic, on purpose.
        sections = [match.start() for match in _SECTION_HEADING.finditer(doc.text, doc.body_start)]
        for start, end in _list_items(doc):
            section = bisect.bisect_right(sections, start)
            text = doc.text[start:end]
            if item_date(text) is not None:
                continue  # news items name the same paper when accepted and when published
            keys = {f"{'doi' if 'doi' in match.group(0).lower() else 'arxiv'}:{match.group(1).lower()}" for match in _IDENTIFIER.finditer(text)}
            if len({key.split(":", 1)[0] for key in keys}) < len(keys):
                continue  # two arXiv ids or two DOIs: a list of papers (a research topic), not one entry
            title = _entry_title(text)
            if title:
                # the same title in another year is a journal version, a thesis, a talk
                years = _YEAR.findall(text)
                keys.add(f"title:{years[-1] if years else ''}:{title}")
            line, column = doc.position(start)
            # the first entry, whatever the keys' order. A DOI may name a whole book of abstracts
            # or proceedings: entries with other titles that link it are other works.
            earlier = min(
                (
                    line for key in keys if (section, key) in seen
                    for line, other in (seen[section, key],) if not (key.startswith("doi:") and title and other and other != title)
                ),
                default=None,
            )
            if earlier is not None:
                duplicates.append((line, column, earlier))
            for key in keys:
                seen.setdefault((section, key), (line, title))
        document_key = None
        year = str(doc.data.get("date", ""))[:4]  # a journal version often keeps the conference title
        if doc.kind == "publication" and isinstance(doc.data.get("title"), str) and year and " " in _normal(doc.data["title"]):
            site = str(doc.site.root) if doc.site is not None else ""
            # a conference and a journal version often share their title and year
            venue = _normal(str(doc.data.get("venue", "")))
            language = doc.data.get("lang") or (doc.site.language_of(Path(doc.path)) if doc.site is not None else "")
            key = "\0".join((site, year, str(language), venue, _normal(doc.data["title"])))
            document_key = hashlib.blake2b(key.encode("utf-8", "surrogateescape"), digest_size=12).digest()  # kept per publication: small
        return (doc.display_path, duplicates, document_key) if duplicates or document_key else None

    def finish(self, collected, options):
        publications: dict[bytes, str] = {}
        for path, duplicates, document_key in filter(None, collected):
            for line, column, earlier in duplicates:
                yield self.diagnostic_at(path, line, column, line, column, f"the same paper as the entry on line {earlier}")
            if document_key:
                if document_key in publications:
                    yield self.diagnostic_at(path, 1, 1, 1, 1, f"the same paper as {publications[document_key]}")
                else:
                    publications[document_key] = path


_MONTHS = {name: index for index, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")], start=1) for name in names}
_MONTH = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_DATE_FORMS = (
    (re.compile(r"(\d{4})[-./](\d{1,2})(?:[-./](\d{1,2}))?"), ("year", "month", "day")),
    (re.compile(_MONTH + r"[ .,-]*(\d{1,2})?(?:st|nd|rd|th)?[ .,-]+(\d{4})", re.IGNORECASE), ("month", "day", "year")),
    (re.compile(r"(\d{1,2})[ .-]+" + _MONTH + r"[ .,-]+(\d{4})", re.IGNORECASE), ("day", "month", "year")),
)


def item_date(text: str) -> datetime.date | None:
    """The date a news item starts with (`**Sep, 2024:**`, `[Dec-11-2024]`, `2024-05-01 —`)."""
    head = text[:40]
    if not _YEAR.search(head):
        return None
    matches = [(match, fields) for pattern, fields in _DATE_FORMS if (match := pattern.search(head)) and match.start() <= 12]
    if matches:
        match, fields = min(matches, key=lambda item: item[0].start())
        values = dict(zip(fields, match.groups(), strict=True))
        month = values["month"]
        month = _MONTHS.get(month.lower()) if month and not month.isdigit() else int(month or 1)
        try:
            return datetime.date(int(values["year"]), month or 1, int(values["day"] or 1))
        except ValueError:
            return None
    return None


class NewsOrder(Rule):
    code = "C003"
    name = "news-order"
    summary = "Dated list item out of order, or dated in the future"
    rationale = (
        "News lists are read top down, newest first (or oldest first, but one way). An item "
        "whose date breaks the list's order was pasted in the wrong place; an item dated "
        "months ahead is a typo of the year."
    )
    bad = "+ **Sep, 2024:** Paper accepted.\n+ **Mar, 2023:** Talk.\n+ **Jun, 2024:** Award.\n"
    good = "+ **Sep, 2024:** Paper accepted.\n+ **Jun, 2024:** Award.\n+ **Mar, 2023:** Talk.\n"
    options = {"future-days": Option(60, "How many days past today an item may be dated before it is reported as in the future")}

    def check(self, doc, options):
        lists: list[list[tuple[int, datetime.date]]] = [[]]
        previous_end = None
        for start, end in _list_items(doc):
            date = item_date(doc.text[start:end])
            if date is None or (previous_end is not None and doc.text[previous_end:start].count("\n") > 2):
                lists.append([])
            if date is not None:
                lists[-1].append((start, date))
            previous_end = end
        limit = datetime.date.today() + datetime.timedelta(days=options["future-days"])
        for items in lists:
            for start, date in items:
                if date > limit:
                    yield self.diagnostic(doc, start, start + 1, f"dated {date:%Y-%m-%d}, in the future", severity=Severity.INFO)
            if len(items) < 3:
                continue
            steps = [(later[1] > earlier[1]) - (later[1] < earlier[1]) for earlier, later in itertools.pairwise(items)]
            direction = -1 if steps.count(-1) >= steps.count(1) else 1
            # each item after the first, with its step from the one before
            for (start, date), step, earlier in zip(items[1:], steps, items, strict=False):
                if step == -direction:
                    order = "newest first" if direction == -1 else "oldest first"
                    yield self.diagnostic(
                        doc, start, start + 1,
                        f"{date:%b %Y} after {earlier[1]:%b %Y}: the list is otherwise {order}",
                    )


class InconsistentVenue(SiteRule):
    code = "C004"
    name = "inconsistent-venue"
    summary = "A venue under its former name after its new name was in use (`NIPS 2024`)"
    rationale = (
        "Venues get renamed (NIPS became NeurIPS in 2018). `NIPS 2017` is right, but a site that "
        "writes `NeurIPS 2019` and `NIPS 2024` names one conference two ways. The venue lexicon "
        "lists former names."
    )
    bad = "+ Paper A. NeurIPS 2019.\n+ Paper B. NIPS 2024.\n"
    good = "+ Paper A. NeurIPS 2019.\n+ Paper B. NeurIPS 2024.\n"

    def collect(self, doc, options):
        """The page's first year under each current venue name, and its mentions under a
        former name: all that the comparison across the site needs."""
        former_names = _current_name_of()
        first_current: dict[str, int] = {}
        former: list[tuple[str, int, int, int]] = []
        for start, end in doc.prose_spans:
            for match in _venue_pattern().finditer(doc.text, start, end):
                name, year = match.group(1), int(match.group(2))
                if name in former_names:
                    former.append((name, year, *doc.position(match.start(1))))
                else:
                    first_current[name] = min(year, first_current.get(name, year))
        return (doc.display_path, first_current, former) if first_current or former else None

    def finish(self, collected, options):
        current_name_of = _current_name_of()
        first_year: dict[str, int] = {}
        for _, first_current, _ in filter(None, collected):
            for name, year in first_current.items():
                first_year[name] = min(year, first_year.get(name, year))
        for path, _, former in filter(None, collected):
            for name, year, line, column in former:
                current = current_name_of[name]
                if current in first_year and year >= first_year[current]:
                    yield self.diagnostic_at(
                        path, line, column, line, column + len(name),
                        f"`{name} {year}`: the site writes `{current} {first_year[current]}`, so {year} is `{current}` too",
                    )


@cache
def _current_name_of() -> dict[str, str]:
    """Former venue names (`NIPS`) -> the current one (`NeurIPS`)."""
    return {former: term.canonical for term in lexicons.venues() for former in term.former}


@cache
def _venue_pattern() -> re.Pattern:
    names = {name for term in lexicons.venues() if term.former for name in (term.canonical, *term.former)}
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    return re.compile(rf"\b({alternatives})['’]?\s?((?:19|20)\d\d)\b")


_CASED_TERM = re.compile(r"(?<![\w./-])[A-Za-z][A-Za-z0-9-]{2,}(?![\w/-])")


class InconsistentCasing(Rule):
    code = "C005"
    name = "inconsistent-casing"
    summary = "One name written in two casings on a page (`HETU` and `Hetu`)"
    rationale = (
        "A system, lab or institution written `HETU` in one place and `Hetu` in another reads "
        "as two things. Only differences beyond the first letter count (sentence starts are "
        "fine), and text in capitals throughout is left alone. Information only."
    )
    bad = "We built HETU, a deep learning system. Hetu trains large models.\n"
    good = "We built Hetu, a deep learning system. Hetu trains large models.\n"
    severity = Severity.INFO

    def check(self, doc, options):
        text = " ".join(doc.text[start:end] for start, end in doc.prose_spans)
        # Only a word with two capitals (`HETU`, `GitHub`) can disagree beyond its first letter.
        words = _PLAIN_WORD.findall(text)
        keys = {word.lower() for word in words if word[1:] != word[1:].lower()}
        if not keys:
            return
        spellings: dict[str, Counter] = {}
        for word in words:
            lowered = word.lower()
            if lowered in keys and word != lowered and len(word) > 2:
                spellings.setdefault(lowered, Counter())[word] += 1
        for _key, counter in spellings.items():
            distinct = {word[0].lower() + word[1:] for word in counter}
            if len(distinct) < 2 or all(word.isupper() for word in counter):
                continue
            usual = counter.most_common(1)[0][0]
            for word in counter:
                if word[0].lower() + word[1:] != usual[0].lower() + usual[1:]:
                    yield from self._first(doc, word, usual)

    def _first(self, doc, word, usual):
        for start, end in doc.prose_spans:
            for match in _CASED_TERM.finditer(doc.text, start, end):
                if match.group() == word:
                    yield self.diagnostic(doc, match.start(), match.end(), f"`{word}` is written `{usual}` elsewhere on the page")
                    return


_PLAIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9-]*")


# A year of a citation, not one inside a URL, a DOI or an arXiv id (`2103.01234`), a page range or a volume.
_CITED_YEAR = re.compile(r"(?<![\w./:-])(19[5-9]\d|20[0-4]\d)(?![\w/-]|\.\d)")
_NOT_PROSE = re.compile(r"https?://\S+|\b10\.\d{4,9}/\S+|<[^<>]*>|arXiv:\S+", re.IGNORECASE)
YEAR_GAP = 2  # a preprint's page often keeps the year of its preprint, one before its publication


class CitationYear(Rule):
    code = "C006"
    name = "citation-year"
    summary = "A publication page dated years apart from the one year its citation names"
    rationale = (
        "The publication list is sorted, and often labelled, by the page's `date`, the visitor "
        "reads the year in its citation: a page copied from another, or dated when it was "
        "written, shows the paper under the wrong year. Reported when the citation names exactly "
        "one year and the date is two years or more from it (a preprint dated a year before its "
        "publication is common and left alone)."
    )
    example_path = "_publications/sparse.md"
    example_site = {"_config.yml": "collections:\n  publications:\n    output: true\n"}
    bad = "---\ntitle: Sparse Graphs\ndate: 2023-01-11\ncitation: 'Lund, A. (2015). Sparse Graphs. Graph Journal, 12.'\n---\n"
    good = "---\ntitle: Sparse Graphs\ndate: 2015-01-11\ncitation: 'Lund, A. (2015). Sparse Graphs. Graph Journal, 12, 2016-2019.'\n---\n"

    def check(self, doc, options):
        block = doc.front_matter
        if doc.kind != "publication" or block is None or not isinstance(block.data, dict):
            return
        dated, citation = block.data.get("date"), block.positions.get("citation")
        year = getattr(dated, "year", None) if not isinstance(dated, str) else _leading_year(dated)
        if year is None or citation is None:
            return
        text = _NOT_PROSE.sub(lambda match: " " * len(match.group()), doc.text[citation.value_start : citation.value_end])
        cited = list(_CITED_YEAR.finditer(text))
        if len({match.group() for match in cited}) != 1 or abs(int(cited[0].group()) - year) < YEAR_GAP:
            return
        start = citation.value_start + cited[0].start()
        yield self.diagnostic(doc, start, start + 4, f"the citation's year is {cited[0].group()}, but the page is dated {year}")


def _leading_year(value: str) -> int | None:
    return int(value[:4]) if value[:4].isdigit() and value[4:5] in ("-", "") else None




_PHRASE = re.compile(
    r"\[([^\]\n]{12,300})\]\(|[\"“]([^\"”\n]{12,300})[\"”]|(?<![*\w])\*{1,2}([^*\n]{12,300})\*{1,2}(?!\*)|"
    r"(?<![_\w])_([^_\n]{12,300})_(?![_\w])|<(?:b|i|em|strong)>([^<\n]{12,300})</(?:b|i|em|strong)>"
)
_VENUE_NOISE = frozenset(
    "in proceedings proc of the on and for conference conf international intl annual journal transactions ieee acm workshop "
    "symposium meeting edition th st nd rd".split()
)
_PREPRINT_WORDS = frozenset("arxiv preprint biorxiv medrxiv ssrn psyarxiv osf submitted review press".split())
NEAR_TITLE = 0.85  # titles this similar (difflib's ratio of their words: one word in seven) and not equal differ by a slip
SAME_PAPER_TITLE = 0.6  # a phrase of a page that links a paper's identifier is its title from this similarity on


def _title_key(text: str) -> str:
    """Case, accents and punctuation left out, and a translation added in brackets (`... en R [Sample Size in R]`)."""
    return _normal(bib_names.folded(re.sub(r"\s*\[[^\[\]]*\]\s*$", "", text)))


def _venue_words(text: str) -> frozenset[str]:
    words = _title_key(re.sub(r"<[^>]*>|[*_]", " ", text)).split()
    return frozenset(word for word in words if word not in _VENUE_NOISE and not word.isdigit())


def _bib_year(value: str) -> int | None:
    text = bib_names.plain(value).strip()
    return int(text) if re.fullmatch(r"\d{4}", text) else None


def _identifiers(text: str) -> frozenset[str]:
    found = set()
    for match in _IDENTIFIER.finditer(text):
        kind = "doi" if "doi" in match.group(0).lower() else "arxiv"
        found.add(f"{kind}:{match.group(1).lower().rstrip('.')}")
    return frozenset(found)


class BibliographyMismatch(Rule):
    code = "C007"
    name = "bibliography-mismatch"
    summary = "A paper whose title, venue or year differs between the `.bib` file and a news item or publication page"
    rationale = (
        "al-folio renders the publication list from `papers.bib`, Hugo Blox offers each publication's "
        "`cite.bib` beside its page: when the news item or the publication page names the same paper "
        "with another title, venue or year, one of the two is out of date and readers cite the wrong "
        "one. Pages and entries are the same paper only when certain: a Hugo Blox page and the "
        "`cite.bib` of its own folder, the same DOI or arXiv id, or titles that differ by a slip "
        "(a word or two). Reported on the page, naming the entry; venues are compared only when both "
        "are written out in words (an abbreviation such as `ICML` is not judged), and a news item's "
        "date is not a publication year."
    )
    example_path = "_news/accepted.md"
    example_site = {
        "_config.yml": "collections:\n  news:\n    output: true\nscholar:\n  source: /_bibliography/\n",
        "_bibliography/papers.bib": (
            "@article{lind2024,\n  title = {Sediment Transport in Braided Rivers of the North},\n  journal = {River Letters},\n  year = {2024},\n}\n"
        ),
    }
    bad = "---\nlayout: post\n---\nOur paper *Sediment Transport in Braided Streams of the North* was accepted.\n"
    good = "---\nlayout: post\n---\nOur paper *Sediment Transport in Braided Rivers of the North* was accepted.\n"

    def check(self, doc, options):
        site = doc.site
        if site is None or doc.kind not in ("news", "publication") or doc.syntax == "bibtex":
            return
        relative = site.relative(Path(doc.path))
        if relative is None or not site.bibliographies:
            return
        if doc.kind == "news":
            yield from self._news(doc, _news_phrases(doc), _site_index(site.bibliographies))
            return
        item = _publication_summary(doc)
        if item is None:
            return
        # A page with its own `cite.bib` is compared with that file alone: the others are not parsed for it.
        folder = str(relative.parent)
        beside = tuple(bib for bib in site.bibliographies if str(PurePosixPath(bib.display_path).parent) == folder)
        own = _site_index(beside).bundles.get(folder, []) if beside else []
        if len(own) == 1:
            yield from self._page(doc, item, own[0], None)
        elif not own:
            yield from self._page(doc, item, None, _site_index(site.bibliographies))

    def _page(self, doc, item: _PageItem, own: _BibEntry | None, index: _Index | None):
        key = item.key
        entry = own or (index.by_identifier(item.identifiers) or index.near_title(key) if index is not None else None)
        if entry is None:
            return
        where = f"{entry.path}:{entry.line}"
        if own and key and _ratio(key, entry.key) < SAME_PAPER_TITLE:
            message = f"the `{PurePosixPath(entry.path).name}` beside this page has another title altogether (another paper's?): `{entry.title}`"
            yield self.diagnostic(doc, *item.title_at, message)
            return
        if key and not _same_title(key, entry.key):
            yield self.diagnostic(doc, *item.title_at, f"the title differs from the entry of {where}: `{entry.title}`")
        if item.year is not None and entry.year is not None and abs(item.year - entry.year) >= YEAR_GAP:
            yield self.diagnostic(doc, *item.year_at, f"dated {item.year}, but the entry of {where} has `year = {entry.year}`")
        if item.venue and entry.venue and _venues_differ(item.venue, entry.venue):
            yield self.diagnostic(doc, *item.venue_at, f"the venue `{item.venue}` differs from the entry of {where}: `{entry.venue}`")

    def _news(self, doc, phrases, index):
        linked = index.by_identifier(_identifiers(doc.text[doc.body_start :] + " "))
        for phrase, key, start, end in phrases:
            entry = linked if linked is not None and _ratio(key, linked.key) >= SAME_PAPER_TITLE else index.near_title(key)
            if entry is not None and not _same_title(key, entry.key):
                yield self.diagnostic(doc, start, end, f"`{phrase}` is titled `{entry.title}` in the entry of {entry.path}:{entry.line}")


@dataclass(frozen=True, slots=True)
class _PageItem:
    """What a publication page says of its paper, with the spans of its front matter values."""

    key: str  # the title's comparison key
    title_at: tuple[int, int]
    year: int | None
    year_at: tuple[int, int]
    venue: str
    venue_at: tuple[int, int]
    identifiers: frozenset[str]


@dataclass(frozen=True, slots=True)
class _BibEntry:
    path: str  # relative to the site's root
    line: int
    title: str  # as written
    key: str  # the title's comparison key
    year: int | None
    venue: str
    identifiers: frozenset[str]


@lru_cache(maxsize=4)  # keyed by the site's tuple of documents: a site that forgets its files gets a new one
def _site_index(bibliographies: tuple) -> _Index:
    entries, bundles = [], {}
    for bib in bibliographies:
        found = [summary for entry in bib.bibliography.entries if (summary := _entry_summary(bib, entry))]
        entries += found
        name = PurePosixPath(bib.display_path)
        if bib.site.generator.offers_bibtex(name.name):
            bundles[str(name.parent)] = found
    return _Index(entries, bundles)


class _Index:
    """A site's bibliography entries by identifier and by title, and those of each folder that
    offers its `.bib` beside its page (a Hugo Blox publication bundle)."""

    def __init__(self, entries: list[_BibEntry], bundles: dict[str, list[_BibEntry]]):
        self.entries = entries
        self.bundles = bundles
        self.identifiers: dict[str, set[_BibEntry]] = {}
        self.titles: dict[str, _BibEntry] = {}
        for entry in entries:
            for identifier in entry.identifiers:
                self.identifiers.setdefault(identifier, set()).add(entry)
            self.titles.setdefault(entry.key, entry)

    def by_identifier(self, identifiers: frozenset[str]) -> _BibEntry | None:
        found = {entry for identifier in identifiers for entry in self.identifiers.get(identifier, ())}
        titles = {entry.key for entry in found}
        # one paper (listed once or in two files), never a page that links two papers
        return next(iter(found)) if len(titles) == 1 else None

    def near_title(self, key: str) -> _BibEntry | None:
        if len(key.split()) < 4:
            return None
        if key in self.titles:
            return self.titles[key]
        numbers = _numbers(key)  # a series (`Findings of WMT 2022`, `... 2023`) has one title but the number
        close = {
            entry.key: entry for entry in self.entries
            if abs(len(entry.key) - len(key)) <= len(key) // 5 and _numbers(entry.key) == numbers and _ratio(key, entry.key) >= NEAR_TITLE
        }
        return next(iter(close.values())) if len(close) == 1 else None


def _same_title(a: str, b: str) -> bool:
    """Equal but for spaces (`Valence-Dominance`, `ValenceDominance`) and for acronyms written out
    (`SA` for `Sentiment Analysis`)."""
    if a.replace(" ", "") == b.replace(" ", ""):
        return True
    words, other = a.split(), b.split()
    changes = [change for change in difflib.SequenceMatcher(None, words, other).get_opcodes() if change[0] != "equal"]
    return bool(changes) and all(
        kind == "replace" and _acronym_of(words[i1:i2], other[j1:j2]) for kind, i1, i2, j1, j2 in changes
    )


def _acronym_of(one: list[str], another: list[str]) -> bool:
    short, full = sorted((one, another), key=len)
    return len(short) == 1 and len(full) >= 2 and short[0] == "".join(word[0] for word in full)


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.split(), b.split()).ratio() if a and b else 0.0


def _numbers(key: str) -> frozenset[str]:
    return frozenset(word for word in key.split() if any(char.isdigit() for char in word))


def _venues_differ(page: str, entry: str) -> bool:
    """Whether two venues are different ones: both written out in words (not `ICML`, not `ACM
    Comput. Surv.` for `ACM Computing Surveys`), neither a preprint server, no word in common."""
    words, other = _venue_words(page), _venue_words(entry)
    if not (_written_out(page, words) and _written_out(entry, other)) or (words | other) & _PREPRINT_WORDS:
        return False
    abbreviated = any(
        all(any(word.startswith(part) for word in full) for part in short) for short, full in ((words, other), (other, words))
    )
    return not abbreviated and words.isdisjoint(other)


def _written_out(text: str, words: frozenset[str]) -> bool:
    """Two words or more and no acronym (`ICML`, `NeurIPS`) but the noise words' (`IEEE`)."""
    acronyms = {word.casefold() for word in re.findall(r"\b\w*[A-Z]\w*[A-Z]\w*\b", text)} - _VENUE_NOISE
    return len(words) >= 2 and not acronyms


def _entry_summary(doc, entry) -> _BibEntry | None:
    title = entry.get("title")
    if title is None or not title.value.strip():
        return None
    text = bib_names.plain(title.value)
    year = entry.get("year")
    venue = entry.get("journal") or entry.get("booktitle") or entry.get("journaltitle")
    identifiers = set()
    doi, arxiv = entry.get("doi"), entry.get("arxiv") or entry.get("eprint")
    if doi is not None and doi.value.strip():
        identifiers.add("doi:" + re.sub(r"^https?://(?:dx\.)?doi\.org/", "", doi.value.strip(), flags=re.IGNORECASE).lower())
    if arxiv is not None and re.fullmatch(r"(?:arXiv:)?\d{4}\.\d{4,5}(?:v\d+)?", arxiv.value.strip()):
        identifiers.add("arxiv:" + re.sub(r"v\d+$", "", arxiv.value.strip().removeprefix("arXiv:")).lower())
    for name in ("url", "html"):
        if (link := entry.get(name)) is not None:
            identifiers |= _identifiers(link.value + " ")
    return _BibEntry(
        doc.display_path, doc.position(entry.start)[0], " ".join(title.value.split()), _title_key(text),
        _bib_year(year.value) if year is not None else None, bib_names.plain(venue.value) if venue is not None else "", frozenset(identifiers),
    )


def _publication_summary(doc) -> _PageItem | None:
    block = doc.front_matter
    data = doc.data
    title = data.get("title")
    if block is None or not isinstance(title, str) or "title" not in block.positions:
        return None
    spans = {key: (position.value_start, position.value_end) for key, position in block.positions.items()}
    dated = data.get("date")
    year = getattr(dated, "year", None) if not isinstance(dated, str) else _leading_year(dated)
    venue_key = next((key for key in ("venue", "publication") if isinstance(data.get(key), str) and data[key].strip()), "")
    venue = data[venue_key].strip() if venue_key else ""
    # the values, not the block's text: a commented-out `#doi:` left from a copied page is not published
    text = " ".join(_scalars(data)) + " " + doc.text[doc.body_start :]
    identifiers = _identifiers(text) | ({f"doi:{data['doi'].strip().lower()}"} if isinstance(data.get("doi"), str) and data["doi"].strip() else set())
    title_at = spans["title"]
    return _PageItem(_title_key(title), title_at, year, spans.get("date", title_at), venue, spans.get(venue_key, title_at), frozenset(identifiers))


def _scalars(value: object) -> Iterator[str]:
    """The strings of front matter data, however nested."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _scalars(item)
    elif isinstance(value, list):
        for item in value:
            yield from _scalars(item)
    elif isinstance(value, str):
        yield value


def _news_phrases(doc) -> list[tuple[str, str, int, int]]:
    """The phrases of a news item that may be a paper's title: link texts, quotations, emphasis."""
    phrases = []
    for start, end in doc.prose_spans:
        for match in _PHRASE.finditer(doc.text, start, end):
            group = next(index for index in range(1, 6) if match.group(index) is not None)
            phrase = match.group(group).strip()
            key = _title_key(phrase)
            if len(key.split()) >= 3:
                phrases.append((phrase, key, match.start(group), match.end(group)))
    return phrases


# al-folio's `bib` layout takes these marks (equal contribution, corresponding author) off a last name before comparing it.
_AUTHOR_MARKS = re.compile(r"[*∗†‡§¶‖&^]")
_SCHOLAR_EXAMPLE_CONFIG = "scholar:\n  last_name: [Okafor]\n  first_name: [Chidi, C.]\n  source: /_bibliography/\n"


@dataclass(frozen=True, slots=True)
class _Author:
    first: str  # LaTeX and al-folio's marks taken out
    last: str
    written: str  # the name as the file writes it
    path: str
    line: int
    start: int  # offsets of the name in its file
    end: int
    latex: bool  # written with a LaTeX command, whose decoding before al-folio compares names is not known here


@lru_cache(maxsize=4)  # keyed by the site's tuple of documents, as _site_index
def _site_authors(bibliographies: tuple) -> tuple[_Author, ...]:
    return tuple(author for bib in bibliographies for author in _authors(bib))


def _authors(doc) -> list[_Author]:
    found = []
    for entry in doc.bibliography.entries:
        field = entry.get("author")
        if field is None or not field.delimited:
            continue
        for name in bib_names.names(field.value):
            start, end = field.start + name.start, field.start + name.end
            first, last = (" ".join(_AUTHOR_MARKS.sub("", bib_names.plain(part)).split()) for part in (name.first, name.last))
            written = field.value[name.start : name.end]
            found.append(_Author(first, last, written, doc.display_path, doc.position(start)[0], start, end, "\\" in written))
    return found


def _scholar_names(site) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """jekyll-scholar's `last_name` and `first_name` (a list or one string), or None where unset."""
    scholar = site.config.get("scholar")
    if not isinstance(scholar, dict):
        return None
    values = [scholar.get(key) for key in ("last_name", "first_name")]
    lists = [[str(item) for item in value] if isinstance(value, list) else [str(value)] if isinstance(value, str | int) else [] for value in values]
    return (tuple(lists[0]), tuple(lists[1])) if lists[0] else None


def _listed(value: str, names: tuple[str, ...], scalar: bool) -> bool:
    """Liquid's `contains` as al-folio uses it: an element of a list, or a part of a string."""
    return any(value in name for name in names) if scalar else value in names


class ScholarOwnerName(Rule):
    code = "C008"
    name = "scholar-owner-name"
    summary = "The owner's name of `scholar.last_name`/`first_name` in no author list, or written differently there"
    rationale = (
        "al-folio's publication list sets the owner's name apart in every author list: its `bib` "
        "layout compares each author's last name (without `*`, `†` and like marks) with the "
        "elements of `scholar.last_name` and the first name with those of `scholar.first_name`, "
        "exactly. A last name that appears in no entry (the sample `Einstein` left in `_config.yml`) "
        "highlights no one, reported in `_config.yml`; an author written with the owner's last name "
        "and a first name one letter, a case or an accent away (`Doe, Jon` for `John`), or with "
        "the owner's last name but for an accent, is not highlighted, reported at the author. "
        "Initials (`J.`) are left alone: they may be another person; so are names written with "
        "LaTeX accents, whose decoding before the comparison is not known here."
    )
    example_path = "_bibliography/papers.bib"
    example_site = {"_config.yml": _SCHOLAR_EXAMPLE_CONFIG}
    bad = "@article{okafor2020,\n  title = {Reef Acoustics},\n  author = {Okafor, Chdi and Bassey, Ene},\n  journal = {Marine Letters},\n}\n"
    good = "@article{okafor2020,\n  title = {Reef Acoustics},\n  author = {Okafor, Chidi and Bassey, Ene},\n  journal = {Marine Letters},\n}\n"
    generator = "jekyll"

    def check(self, doc, options):
        site = doc.site
        owner = _scholar_names(site) if site is not None else None
        if owner is None:
            return
        last_names, first_names = owner
        scalars = [not isinstance(site.config["scholar"].get(key), list) for key in ("last_name", "first_name")]
        if doc.kind == "config":
            yield from self._absent(doc, site, last_names, scalars[0])
        elif doc.syntax == "bibtex" and site.reading(Path(doc.path)).read:
            for author in _authors(doc):
                problem = _owner_variant(author, last_names, first_names, scalars)
                if problem:
                    yield self.diagnostic(doc, author.start, author.end, problem)

    def _absent(self, doc, site, last_names, scalar):
        authors = _site_authors(site.bibliographies)
        if not authors or any(_listed(author.last, last_names, scalar) for author in authors):
            return
        folded = {bib_names.folded(name) for name in last_names}
        if any(bib_names.folded(author.last) in folded for author in authors):
            return  # written another way: reported at those authors
        position = doc.front_matter.positions.get("scholar.last_name") if doc.front_matter is not None else None
        if position is None:
            return
        listed = ", ".join(last_names)
        yield self.diagnostic(
            doc, position.value_start, position.value_end,
            f"`scholar.last_name` ({listed}) is in no author list of the bibliography: al-folio highlights the owner nowhere",
        )


def _owner_variant(author: _Author, last_names: tuple[str, ...], first_names: tuple[str, ...], scalars: list[bool]) -> str:
    """Why an author who is likely the owner is not highlighted as the owner ("" if not so)."""
    if author.latex or not author.first or not author.last:
        return ""
    last_listed, first_listed = _listed(author.last, last_names, scalars[0]), _listed(author.first, first_names, scalars[1])
    folded_first = bib_names.folded(author.first)
    near_first = [name for name in first_names if _near_name(folded_first, bib_names.folded(name))]
    if last_listed and not first_listed and near_first:
        return f"`{author.written}`: al-folio highlights the owner only with a first name of `scholar.first_name` ({', '.join(first_names)})"
    folded_last = bib_names.folded(author.last)
    if not last_listed and any(folded_last == bib_names.folded(name) for name in last_names) and (first_listed or near_first):
        return f"`{author.written}`: al-folio highlights the owner only with the last name written as `scholar.last_name` ({', '.join(last_names)})"
    return ""


def _near_name(written: str, listed: str) -> bool:
    """The same first name but for case, accents, or one letter of a name of four or more."""
    if written == listed:
        return True
    return min(len(written), len(listed)) >= 4 and "." not in written and one_edit_apart(written, listed)


class AuthorNameSplit(Rule):
    code = "C009"
    name = "author-name-split"
    summary = "One person's name split into given and family names differently in two places (`Im Ryu, So` and `Ryu, So Im`)"
    rationale = (
        "BibTeX reads `Last, First` at the comma and `First Last` at the last word, and styles "
        "sort, abbreviate (`S. I. Ryu`) and highlight by the family name. When the same words "
        "of a name are split at two places, one of them is wrong. Against the owner's "
        "`scholar.last_name` and `first_name` the other split is reported; within one file, the "
        "less usual split (or, as usual as the other, the later one). Files that disagree with "
        "each other (Hugo Blox's `cite.bib`, each exported from a publisher) are not judged: which "
        "split is right cannot be known from them; nor is a name written one way only."
    )
    example_path = "_bibliography/papers.bib"
    example_site = {"_config.yml": "scholar:\n  source: /_bibliography/\n"}
    bad = (
        "@misc{ryu2021,\n  title = {Kelp Growth},\n  author = {Ryu, So Im and Lee, Min},\n}\n"
        "@misc{ryu2022,\n  title = {Kelp Decay},\n  author = {So Im Ryu},\n}\n"
        "@misc{ryu2023,\n  title = {Kelp Drift},\n  author = {Im Ryu, So},\n}\n"
    )
    good = (
        "@misc{ryu2021,\n  title = {Kelp Growth},\n  author = {Ryu, So Im and Lee, Min},\n}\n"
        "@misc{ryu2022,\n  title = {Kelp Decay},\n  author = {So Im Ryu},\n}\n"
        "@misc{ryu2023,\n  title = {Kelp Drift},\n  author = {Ryu, So Im},\n}\n"
    )

    def check(self, doc, options):
        site = doc.site
        relative = site.relative(Path(doc.path)) if site is not None and doc.syntax == "bibtex" else None
        if relative is None or not site.reading(Path(doc.path)).read:
            return
        splits = _splits(site.bibliographies)
        owner = _owner_splits(_scholar_names(site))
        for author in _authors(doc):
            words = _name_words(author)
            split = _split_of(author)
            if words in owner:
                if split != owner[words]:
                    family = " ".join(words[owner[words] :])
                    yield self.diagnostic(
                        doc, author.start, author.end,
                        f"`{author.written}` makes `{author.last}` the family name; `scholar.last_name` of `_config.yml` has `{family}`",
                    )
                continue
            if words in splits:
                yield from self._against_others(doc, author, split, splits[words], str(relative))

    def _against_others(self, doc, author, split, forms, path):
        """The less usual of two splits in one file (or, as usual as the other, the later)."""
        here = {other_split: [other for other in others if other.path == path] for other_split, others in forms.items()}
        mine = here.get(split, [])
        for other_split, same_file in here.items():
            usual = same_file and (len(mine) < len(same_file) or (len(mine) == len(same_file) and same_file[0].start < author.start))
            if other_split != split and usual:
                example = same_file[0]
                more = f" and {len(same_file) - 1} more" if len(same_file) > 1 else ""
                yield self.diagnostic(
                    doc, author.start, author.end,
                    f"`{author.written}` makes `{author.last}` the family name; the same name is `{example.written}` on line {example.line}{more}",
                )
                return


def _name_words(author: _Author) -> tuple[str, ...]:
    return tuple(bib_names.folded(author.first + " " + author.last).split())


def _split_of(author: _Author) -> int:
    return len(bib_names.folded(author.first).split())


@lru_cache(maxsize=4)
def _splits(bibliographies: tuple) -> dict[tuple[str, ...], dict[int, list[_Author]]]:
    """Each name of three words or more that is split in two places or more: its authors by split."""
    seen: dict[tuple[str, ...], dict[int, list[_Author]]] = {}
    for author in _site_authors(bibliographies):
        words = _name_words(author)
        if len(words) >= 3:
            seen.setdefault(words, {}).setdefault(_split_of(author), []).append(author)
    return {words: forms for words, forms in seen.items() if len(forms) > 1}


def _owner_splits(owner: tuple | None) -> dict[tuple[str, ...], int]:
    """The owner's name in each combination of `scholar.first_name` and `last_name` -> its split."""
    if owner is None:
        return {}
    return {tuple(bib_names.folded(first + " " + last).split()): len(bib_names.folded(first).split()) for last in owner[0] for first in owner[1]}


RULES = (
    AuthorHighlight(), DuplicatePublication(), NewsOrder(), CitationYear(), InconsistentVenue(), InconsistentCasing(), BibliographyMismatch(),
    ScholarOwnerName(), AuthorNameSplit(),
)
