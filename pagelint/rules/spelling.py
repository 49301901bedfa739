"""Spelling rules (S): typos that generic spell checkers miss, without crying wolf on names.

They read prose only (text outside code, URLs, HTML, Liquid and mathematics, plus the
front matter values a page displays), skip paragraphs that are not English, and accept the
words of the site's `.pagelint-words.txt` and of a page's `<!-- pagelint-words ... -->`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import ClassVar

from pagelint.diagnostics import Severity
from pagelint.rules.base import Rule
from pagelint.text import language, lexicons, vocabulary
from pagelint.text.distance import one_edit_apart
from pagelint.text.vocabulary import accepted_words
from pagelint.text.yaml_escapes import decode_double_quoted

DISPLAYED_KEYS = frozenset({"title", "excerpt", "venue", "citation", "description", "bio", "location", "type"})
_WORD = re.compile(r"(?<![\w])[A-Za-z]+(?:'[A-Za-z]+)?(?![\w])")
_LETTER = re.compile(r"[^\W\d_]")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
PAGE_FOREIGN_EVIDENCE = 4  # a page with more words of other languages than this, and than English ones, is not in English


@dataclass(frozen=True, slots=True)
class Passage:
    """A run of text a visitor reads. `text` is what is displayed: a double-quoted front
    matter value's escapes decoded (`Universit\\u00e9` is `Université`); `offsets` holds the
    file offset of each of its characters, and of its end, when it differs from the file."""

    start: int
    end: int
    text: str
    offsets: tuple[int, ...] | None = None

    def at(self, index: int) -> int:
        """The file offset of the text's character `index`."""
        return self.start + index if self.offsets is None else self.offsets[index]


def displayed(doc) -> list[Passage]:
    """The passages a visitor reads: body prose and displayed front matter values (without
    the HTML, URLs and Liquid an excerpt may hold)."""
    if "displayed" not in doc.memo:
        passages = [Passage(start, end, doc.text[start:end]) for start, end in doc.prose_spans]
        block = doc.front_matter
        if block is not None:
            keys = DISPLAYED_KEYS | (doc.site.generator.displayed_keys if doc.site is not None else frozenset())
            for path, position in block.positions.items():
                if path.rsplit(".", 1)[-1] in keys:
                    escaped = doc.text.startswith('"', position.value_start) and "\\" in doc.text[position.value_start : position.value_end]
                    for start, end in _outside_markup(doc.text, position.value_start, position.value_end):
                        if escaped:
                            passages.append(Passage(start, end, *decode_double_quoted(doc.text, start, end)))
                        else:
                            passages.append(Passage(start, end, doc.text[start:end]))
        doc.memo["displayed"] = sorted(passages, key=lambda passage: passage.start)
    return doc.memo["displayed"]


_VALUE_MARKUP = re.compile(r"<[^<>]*>|\b(?:https?|ftp)://\S+|\{\{.*?\}\}|\{%.*?%\}|&[#\w]+;")


def _outside_markup(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    for match in _VALUE_MARKUP.finditer(text, start, end):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, end))
    return [(left, right) for left, right in spans if right > left]


def prose(doc) -> list[tuple[int, int]]:
    """The file spans of the displayed passages that are English, computed once per page."""
    return [(passage.start, passage.end) for passage, _ in _tokens(doc)]


def _lowered(text: str) -> str:
    """`text.lower()` one character for one (`İ` lowers to two), so that offsets still match."""
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else "".join(char if len(char.lower()) > 1 else char.lower() for char in text)


def _mostly_latin(text: str) -> bool:
    """False for a paragraph in Japanese, Chinese, Russian..."""
    if text.isascii():
        return True
    letters = len(_LETTER.findall(text))
    return not letters or len(_ASCII_LETTER.findall(text)) >= letters / 2


def _tokens(doc) -> list[tuple[Passage, list[str]]]:
    """Per English passage: the passage and its words in lower case. Computed once per page
    and shared by the rules of this family; positions are looked up only for findings.

    A page whose `lang` or folder names another language has none. Each passage is judged by
    its own words (`language.evidence`); one without any (a short title, a heading) is in the
    page's language, that of a page with more words of other languages than English ones
    being another, else in the site's."""
    if "tokens" not in doc.memo:
        spans = []
        if language.page_language(doc) in ("", "en"):
            judged = [(passage, *language.evidence(passage.text)) for passage in displayed(doc)]
            english_total, foreign_total = sum(item[1] for item in judged), sum(item[2] for item in judged)
            foreign_page = foreign_total > max(PAGE_FOREIGN_EVIDENCE, english_total)
            default_english = not foreign_page and language.default_language(doc) == "en"
            for passage, english, foreign in judged:
                is_english = english >= foreign if english or foreign else default_english
                if is_english and _mostly_latin(passage.text):
                    spans.append((passage, _WORD.findall(_lowered(passage.text))))
        doc.memo["tokens"] = spans
    return doc.memo["tokens"]


def english_passages(doc) -> list[Passage]:
    """The displayed passages that are in English."""
    return [passage for passage, _ in _tokens(doc)]


def _positions(passage: Passage) -> list[tuple[int, int, str]]:
    """(file start, file end, word) of the words of one passage, in the order `_tokens` lists them."""
    return [(passage.at(match.start()), passage.at(match.end()), match.group()) for match in _WORD.finditer(passage.text)]


def _lower_words(doc) -> frozenset[str]:
    """Every word of the page's English prose, lower-cased: a cheap test before a rule looks
    for positions."""
    if "lower_words" not in doc.memo:
        doc.memo["lower_words"] = frozenset(word for _, lowered in _tokens(doc) for word in lowered)
    return doc.memo["lower_words"]


def _safe_to_correct(doc) -> bool:
    """Data files are records, often generated (al-folio's `citations.yml`) and holding the
    titles of others' works as they were published: a correction there is the owner's call."""
    return doc.kind != "data"


def _same_case(word: str, model: str) -> str:
    if word.isupper() and len(word) > 1:
        return model.upper()
    if word[:1].isupper():
        return model[:1].upper() + model[1:]
    return model


class Misspelling(Rule):
    code = "S001"
    name = "misspelling"
    summary = "Known misspelling (`accpeted`, `Univeristy`, `recieved`)"
    rationale = (
        "A list of words that are misspellings and nothing else, with academic vocabulary "
        "first (accepted, received, university, research, proceedings, Massachusetts...). Names "
        "are never on it, so it cannot flag one. The correction is left to `--unsafe-fixes` beside the "
        "word it corrects to (`repell repel`: which one is left over?) and in data files, which are "
        "records, often generated, of others' works as they were published."
    )
    bad = "Our paper was accpeted at the Univeristy workshop.\n"
    good = "Our paper was accepted at the University workshop.\n"
    fixable = True

    def check(self, doc, options):
        table = lexicons.misspellings()
        if not _lower_words(doc) & table.keys():
            return
        accepted = None
        safe = _safe_to_correct(doc)
        for passage, lowered in _tokens(doc):
            if table.keys().isdisjoint(lowered):
                continue
            for index, ((start, end, word), lower) in enumerate(zip(_positions(passage), lowered, strict=False)):
                correction = table.get(lower)
                if correction is not None:
                    accepted = accepted_words(doc) if accepted is None else accepted
                    if word not in accepted:
                        fixed = _same_case(word, correction)
                        # `repell repel`: the correction beside it would make a repeated word (S004);
                        # which of the two is left over is the writer's to say.
                        beside = correction in lowered[max(0, index - 1) : index] + lowered[index + 1 : index + 2]
                        yield self.diagnostic(
                            doc, start, end, f"`{word}` is a misspelling of `{fixed}`", replacement=fixed, safe=safe and not beside,
                        )


@cache
def _phrases_by_word() -> dict[str, list[tuple[str, ...]]]:
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in lexicons.academic_phrases():
        for word in {word.lower() for word in phrase} - {"of", "the", "and", "for", "in"}:
            index.setdefault(word, []).append(phrase)
    return index


def _inflected(written: str, expected: str) -> bool:
    """Plurals and the like: `sciences`, `analyses` for `analysis`, `studies`."""
    forms = {expected + "s", expected + "es", expected[:-2] + "es", expected[:-1] + "ies", expected.rstrip("s")}
    return written in forms or expected in {written + "s", written + "es", written[:-2] + "es", written.rstrip("s")}


@cache
def _lowered_phrase(phrase: tuple[str, ...]) -> list[str]:
    return [word.lower() for word in phrase]


class _Lazy:
    """The word positions of a passage, found on first access."""

    def __init__(self, passage: Passage):
        self.passage = passage
        self._words: list[tuple[int, int, str]] | None = None

    def __getitem__(self, index):
        if self._words is None:
            self._words = _positions(self.passage)
        return self._words[index]

    def __len__(self):
        if self._words is None:
            self._words = _positions(self.passage)
        return len(self._words)


class PhraseNearMiss(Rule):
    code = "S002"
    name = "phrase-near-miss"
    summary = "A real word in the wrong place of a known phrase (`Date Science`, `Machine Leaning`)"
    rationale = (
        "`Date`, `Leaning` and `Sience` pass every spell checker or look like names, but in "
        "`Institute of Date Science` or `Machine Leaning` they are typos that a hiring committee "
        "reads first. A phrase of academic life (fields, degrees, departments, awards) with one "
        "word one letter off is reported; plurals and other listed phrases are not."
    )
    bad = "PhD student at the Institute of Date Science, working on Machine Leaning.\n"
    good = "PhD student at the Institute of Data Science, working on Machine Learning.\n"
    fixable = True

    def check(self, doc, options):
        index = _phrases_by_word()
        if not _lower_words(doc) & index.keys():
            return
        known = {tuple(word.lower() for word in phrase) for phrase in lexicons.academic_phrases()}
        for passage, lowered in _tokens(doc):
            if index.keys().isdisjoint(lowered):
                continue
            tokens = _Lazy(passage)
            reported_until = -1
            for position, word in enumerate(lowered):
                for phrase in index.get(word, ()):
                    found = self._near_miss(doc, tokens, lowered, position, phrase, known)
                    if found and found[0] >= reported_until:
                        yield found[2]
                        reported_until = found[1]
                        break

    def _near_miss(self, doc, tokens, lowered, position, phrase, known):
        words = _lowered_phrase(phrase)
        anchor = words.index(lowered[position])
        first = position - anchor
        if first < 0 or first + len(words) > len(lowered):
            return None
        window = lowered[first : first + len(words)]
        if tuple(window) in known:
            return None
        different = [index for index in range(len(words)) if window[index] != words[index]]
        if len(different) != 1:
            return None
        index = different[0]
        written, expected = window[index], words[index]
        if _inflected(written, expected) or len(expected) < 4 or not one_edit_apart(written, expected):
            return None
        if written in lexicons.misspellings():
            return None  # S001 reports it
        start, end = tokens[first][0], tokens[first + len(words) - 1][1]
        gaps = doc.text[start:end]
        if "\n\n" in gaps or any(char in gaps for char in ",.;:()"):
            return None
        token_start, token_end, original = tokens[first + index]
        fixed = _same_case(original, phrase[index])
        phrase_text = " ".join(phrase)
        diagnostic = self.diagnostic(
            doc, token_start, token_end, f"`{original}` in `{doc.text[start:end]}`: did you mean `{phrase_text}`?",
            replacement=fixed, safe=False,
        )
        return start, end, diagnostic


class CanonicalCasing(Rule):
    code = "S003"
    name = "canonical-casing"
    summary = "Venue, journal, degree or publisher written with the wrong casing (`Neurips`, `Physical review letters`, `PH.D.`)"
    rationale = (
        "Venues, journals, degrees and the publishers that name venues have one spelling: NeurIPS, "
        "SIGMOD, Physical Review Letters, IEEE, Ph.D. (or PhD). In a CV or a publication list "
        "`Neurips` and `PH.D.` are errors that committees notice. The venue lexicon and the list "
        "of terms are data files; a word that is also an ordinary English word (`DATE`, `Nature`) "
        "is not checked, nor is text written all in capitals, nor a name in an author list "
        "(`Meng Pang` is no MEng). Products and companies are S007's."
    )
    bad = "A second year PH.D. student; papers at Neurips and in Physical review letters.\n"
    good = "A second year Ph.D. student; papers at NeurIPS and in Physical Review Letters.\n"
    fixable = True
    lexicon: ClassVar[str] = "cv"  # which terms: see lexicons.casing_table

    def check(self, doc, options):
        single, multi, every = _casing_tables(self.lexicon)
        for passage, lowered, candidates in _displayed_tokens(doc):
            keys = [key for key in candidates if key in single or key.rstrip(".") in single]
            keys += [phrase for first, phrases in multi.items() if first in lowered for phrase in phrases if phrase in lowered]
            found = []
            for key in keys:
                key = key if key in single or " " in key else key.rstrip(".")
                position = lowered.find(key)
                while position >= 0:
                    if _bounded(lowered, position, position + len(key)):
                        found.append((position, position + len(key)))
                    position = lowered.find(key, position + 1)
            for begin, stop in sorted(set(found)):
                yield from self._judge(doc, every, passage.at(begin), passage.at(stop), passage.text[begin:stop])

    def _judge(self, doc, every, start, end, written):
        term = every[written.lower()]
        if written == term.canonical or written in term.accepted:
            return
        if written.islower() and term.canonical.isupper():
            return  # `tip`, `acl`: a word in lower case, not the acronym
        if (written.isupper() and _shouting(doc.text, start, end)) or written in accepted_words(doc):
            return
        if written.islower() and (_lower_case_style(doc, start, end) or _quoted(doc.text, start, end)):
            return
        if written[:1].isupper() and written[1:].islower() and vocabulary.in_author_list(doc, start, end):
            return  # `Meng Pang, Yang Lu`: a name
        right = next((variant for variant in term.accepted if variant.lower() == written.lower()), term.canonical)
        yield self.diagnostic(doc, start, end, f"`{written}` is written `{right}`", replacement=right, safe=_safe_to_correct(doc))


def _quoted(text: str, start: int, end: int) -> bool:
    """`"bibtex"`: a value quoted as it is typed, not a name in running text."""
    return start > 0 and text[start - 1] in "\"'“‘" and text[end : end + 1] in ("\"", "'", "”", "’")


class BrandCasing(CanonicalCasing):
    code = "S007"
    name = "brand-casing"
    summary = "Product, site or company written otherwise than its owner writes it (`Github`, `Pytorch`, `Bibtex`)"
    rationale = (
        "GitHub, PyTorch, BibTeX, arXiv and LaTeX are written so by their owners, and a careful "
        "page follows them; but `Github` in prose misleads no one, so this is information, not "
        "a warning. The list of names is a data file (brands.txt); the exceptions are S003's."
    )
    bad = "Code on Github, written in Pytorch; the Bibtex is on Arxiv.\n"
    good = "Code on GitHub, written in PyTorch; the BibTeX is on arXiv.\n"
    severity = Severity.INFO
    lexicon = "brands"


def _lower_case_style(doc, start: int, end: int) -> bool:
    """A link label or a line written without capitals (`[arxiv] [code]`, al-folio's `title:
    publications`) is a style, not a slip."""
    label = next((link for link in doc.links if link.text_start <= start and end <= link.text_end), None)
    if label is not None:
        return doc.text[label.text_start : label.text_end].islower()
    line = doc.line_text(doc.position(start)[0])
    return line == line.lower()


def _bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start else " "
    after = text[end : end + 2] + "  "
    return not (_joins(before) or before in "_.@/-") and not (
        _joins(after[0]) or after[0] in "_@/-" or (after[0] == "." and _joins(after[1]))
    )


def _joins(char: str) -> bool:
    """Whether a letter or digit beside a term makes it part of a longer word. Chinese and
    Japanese set Latin words among their characters without spaces (`LaTex是`): those do not."""
    return char.isalnum() and unicodedata.east_asian_width(char) not in ("W", "F")


_SIMPLE_TOKEN = re.compile(r"[a-z0-9][a-z0-9&+]*(?:[.-][a-z0-9&+]+)*\.?")


def _displayed_tokens(doc) -> list[tuple[Passage, str, set[str]]]:
    """Each displayed passage, in lower case, and the set of its simple tokens: shared by the
    casing rules of every lexicon."""
    if "displayed_tokens" not in doc.memo:
        doc.memo["displayed_tokens"] = [
            (passage, lowered, set(_SIMPLE_TOKEN.findall(lowered)))
            for passage in displayed(doc)
            for lowered in (_lowered(passage.text),)
        ]
    return doc.memo["displayed_tokens"]


@cache
def _casing_tables(lexicon: str):
    """(one-word spellings, first word -> multi-word spellings, every spelling -> its term)."""
    every: dict[str, lexicons.Term] = {}
    for term in lexicons.casing_table(lexicon).values():
        for spelling in (term.canonical, *term.accepted):
            every.setdefault(spelling.lower(), term)
    single = {key: term for key, term in every.items() if " " not in key}
    multi: dict[str, list[str]] = {}
    for key in every:
        if " " in key:
            multi.setdefault(key.split()[0], []).append(key)
    return single, multi, every


def _shouting(text: str, start: int, end: int) -> bool:
    """Capitals that stand among words in capitals (a heading or title in upper case)."""
    before = _WORD.findall(text[max(0, start - 40) : start])
    after = _WORD.findall(text[end : end + 40])
    neighbours = [word for word in (before[-1:] + after[:1]) if len(word) > 1]
    return any(word.isupper() for word in neighbours)


_ALLOWED_REPEATS = frozenset({"had", "that", "is", "bye", "so", "very", "ha", "no", "yeah", "knock", "tsk", "la", "chop", "ping"})


class RepeatedWord(Rule):
    code = "S004"
    name = "repeated-word"
    summary = "The same word twice in a row (`the the`, `There there`)"
    rationale = (
        "A doubled word is the commonest slip of a last-minute edit. Repeats that English allows "
        "(`had had`, `that that`) are not reported, nor pairs of capitalised words (`Bora "
        "Bora`, a name), a word before a compound it starts (`on on-chain`) or repeats across a line break."
    )
    bad = "There there is a new paper on the the topic.\n"
    good = "There is a new paper on the topic.\n"
    fixable = True

    def check(self, doc, options):
        for passage, lowered in _tokens(doc):
            if not any(lowered[index] == lowered[index - 1] for index in range(1, len(lowered))):
                continue
            words = _positions(passage)
            index, count = 1, len(words)
            while index < count:
                if lowered[index] != lowered[index - 1] or not self._repeats(doc.text, words[index - 1], words[index]):
                    index += 1
                    continue
                last = index
                while last + 1 < count and lowered[last + 1] == lowered[index] and self._repeats(doc.text, words[last], words[last + 1]):
                    last += 1
                if last == index:  # three or more in a row is deliberate (`testing testing testing`)
                    (first_start, _, first), (_, second_end, second) = words[index - 1], words[index]
                    yield self.diagnostic(
                        doc, first_start, second_end, f"`{second}` is repeated", replacement=first, safe=False,
                    )
                index = last + 1

    @staticmethod
    def _repeats(text: str, previous: tuple[int, int, str], current: tuple[int, int, str]) -> bool:
        word = current[2]
        if word.lower() in _ALLOWED_REPEATS:
            return False
        gap = text[previous[1] : current[0]]
        # `There there` is a slip; `in In Silico`, `Bora Bora` and `on on-chain` are not.
        compound = text[current[1] : current[1] + 1] == "-" and text[current[1] + 1 : current[1] + 2].isalpha()
        return bool(gap) and gap.strip(" ") == "" and not word[0].isupper() and not compound


_MODALS = frozenset({"could", "should", "would", "must", "might"})
_CONFUSABLES = (
    (re.compile(r"\b(?:he|she|He|She)\s+(lead)\s+(?:the|a|an|his|her|our|their|several|multiple|many|two|three|four|five|six|this|that|these|those)\b"),
     "led", "`{word}` after he/she is the past tense `led` (or `leads`)"),
    # `find out more then you can read`: an `if` left out, `then` starting its consequence
    (re.compile(
        r"\b(?:(?<!out )(?<!learn )(?<!know )(?<!read )(?<!hear )more"
        r"|less|better|worse|rather|larger|smaller|higher|lower|faster|slower|greater|fewer)\s+(then)\b",
        re.IGNORECASE,
    ),
     "than", "`{word}` in a comparison is `than`"),
    (re.compile(r"\b(it's)\s+own\b", re.IGNORECASE), "its", "`{word}` is `its` (possessive)"),
    (re.compile(r"\b(?:could|should|would|must|might)\s+(of)\s+(?:been|had|done|seen|made|gone|taken|known)\b", re.IGNORECASE),
     "have", "`could of` and the like are `could have`"),
)


class Confusable(Rule):
    code = "S005"
    name = "confusable"
    summary = "A real word used for another (`he lead the group`, `better then`, `it's own`)"
    rationale = (
        "A few confusions are certain from their context: `he lead the group` (led), `more "
        "then` (than), `it's own` (its), `could of been` (could have). Only such patterns are "
        "checked, so that correct sentences are not reported."
    )
    bad = "In 2023 he lead the systems group; the model is faster then before and has it's own cache.\n"
    good = "In 2023 he led the systems group; the model is faster than before and has its own cache.\n"
    fixable = True

    def check(self, doc, options):
        words = _lower_words(doc)
        if not words & {"lead", "then", "it's"} and not ("of" in words and words & _MODALS):
            return
        for passage, _ in _tokens(doc):
            for pattern, right, message in _CONFUSABLES:
                for match in pattern.finditer(passage.text):
                    word = match.group(1)
                    fixed = _same_case(word, right) if word != "it's" else ("Its" if word[0].isupper() else "its")
                    yield self.diagnostic(
                        doc, passage.at(match.start(1)), passage.at(match.end(1)), message.format(word=word),
                        replacement=fixed, safe=False,
                    )


class UnknownWord(Rule):
    code = "S006"
    name = "unknown-word"
    summary = "Word in no English dictionary and not learned from the site (off by default)"
    rationale = (
        "A dictionary check for the typos no list foresees (`Galvatorn`, `optimisaiton`), with "
        "suggestions. The dictionary is SCOWL's (size 70, American, British, Canadian and "
        "Australian spellings) plus academic words; names are learned from the page and the site (link "
        "labels, author lists, `_config.yml`, capitalised words that recur) and from "
        "`.pagelint-words.txt`, which `pagelint words --add-unknown` fills from the current "
        "findings. Words in capitals, with inner capitals or outside ASCII are not checked."
    )
    bad = "We studied the theorie of graphs.\n"
    good = "We studied the theory of graphs.\n"
    enabled_by_default = False
    severity = Severity.INFO

    def check(self, doc, options):
        dictionary = lexicons.english_words()
        unknown = {word for word in _lower_words(doc) if _bare(word) not in dictionary}
        if unknown:
            misspelled = lexicons.misspellings()
            known = vocabulary.known_words(doc)
            unknown = {
                word for word in unknown
                if word not in misspelled and _bare(word) not in known and not _compound(_bare(word), dictionary)
            }
        if not unknown:
            return
        for passage, lowered in _tokens(doc):
            if unknown.isdisjoint(lowered):
                continue
            for (start, end, word), lower in zip(_positions(passage), lowered, strict=False):
                if lower in unknown and len(word) > 2 and word[1:].islower() and not _glued(doc.text, start, end):
                    guesses = suggestions(_bare(word), dictionary)
                    hint = f"; did you mean {', '.join(f'`{guess}`' for guess in guesses)}?" if guesses else ""
                    yield self.diagnostic(doc, start, end, f"`{word}` is not in the dictionary{hint}")


COMMON_SIZE = 35  # SCOWL sizes up to this are common words (size 70 holds the rare ones)
TYPO_MIN_LENGTH = 6  # shorter unknown words are mostly abbreviations and names
_SUFFIXES = ("s", "es", "ed", "er", "ers", "ing", "ings", "ist", "ists", "ize", "ized", "ised", "ly", "ness", "ation", "ations")


class DictionaryTypo(Rule):
    code = "S009"
    name = "dictionary-typo"
    summary = "A word one slip inside it from exactly one common word, found once (`recommondations`, `scedules`)"
    rationale = (
        "The high-confidence tier of S006, on by default: a lower-case word of six letters or more, "
        "in no dictionary and not learned from the page or the site, written once on the page, one "
        "edit (a letter wrong, missing, added, or two swapped) from exactly one common word, the edit "
        "inside the word: a different first letter or ending is a name, another language's word "
        "(`detectar`) or a derived word (`rewritings`, `frequentist`), left to S006."
    )
    bad = "We give recommondations for shift scedules.\n"
    good = "We give recommendations for shift schedules, in silico and in memoriam.\n"

    def check(self, doc, options):
        candidates = {word for word in _lower_words(doc) if len(word) >= TYPO_MIN_LENGTH and word.isalpha()}
        if not candidates:
            return
        dictionary = lexicons.english_words()
        unknown = {word for word in candidates if word not in dictionary}
        if unknown:
            misspelled = lexicons.misspellings()
            unknown = {
                word for word in unknown
                if word not in misspelled and not _derived(word, dictionary) and not _two_words(word, dictionary)
            }
        if not unknown:
            return
        known: frozenset[str] | None = None  # the site's vocabulary reads every page: asked last, for a word about to be reported
        counts = Counter(word for _, lowered in _tokens(doc) for word in lowered if word in unknown)
        for passage, lowered in _tokens(doc):
            if unknown.isdisjoint(lowered):
                continue
            for (start, end, word), lower in zip(_positions(passage), lowered, strict=False):
                if lower not in unknown or counts[lower] > 1 or not word.islower() or _glued(doc.text, start, end):
                    continue
                common = [guess for guess in suggestions(word, dictionary, limit=5) if dictionary[guess.lower()] <= COMMON_SIZE]
                certain = len(common) == 1 and _inner_edit(word, common[0])
                if certain and not _foreign_sentence(doc.text, start, end) and not vocabulary.in_author_list(doc, start, end):
                    known = vocabulary.known_words(doc) if known is None else known
                    if lower not in known:
                        yield self.diagnostic(doc, start, end, f"`{word}` is not a word; did you mean `{common[0]}`?")


_SENTENCE_EDGE = re.compile(r"[.!?¿¡\[\]*\n–]")


def _foreign_sentence(text: str, start: int, end: int) -> bool:
    """A quoted title or sentence of another language inside English prose (`¿Es posible ...?`)."""
    left = max((match.end() for match in _SENTENCE_EDGE.finditer(text, max(0, start - 200), start)), default=max(0, start - 200))
    right = next((match.start() for match in _SENTENCE_EDGE.finditer(text, end, end + 200)), end + 200)
    english, foreign = language.evidence(text[left:right])
    if not english and not foreign:  # too short to tell: the line tells
        line_start, line_end = text.rfind("\n", 0, start) + 1, text.find("\n", end)
        english, foreign = language.evidence(text[line_start : line_end if line_end >= 0 else len(text)])
    return foreign > 0 and foreign >= english


def _derived(word: str, dictionary: dict[str, int]) -> bool:
    """`deteriorations`, `inlining`, `recommender`: a dictionary word and a suffix."""
    return any(
        word.endswith(suffix) and (word[: -len(suffix)] in dictionary or word[: -len(suffix)] + "e" in dictionary)
        for suffix in _SUFFIXES if len(word) - len(suffix) >= 4
    )


def _two_words(word: str, dictionary: dict[str, int]) -> bool:
    """`skillset`: two common words of three letters or more."""
    return any(dictionary.get(word[:cut], 99) <= COMMON_SIZE and dictionary.get(word[cut:], 99) <= COMMON_SIZE for cut in range(3, len(word) - 2))


def _inner_edit(word: str, correction: str) -> bool:
    """Whether the letters that differ lie inside the word: the first letter and the last two agree."""
    word, correction = word.lower(), correction.lower()
    head = next((index for index, (a, b) in enumerate(zip(word, correction, strict=False)) if a != b), min(len(word), len(correction)))
    tail = next((index for index, (a, b) in enumerate(zip(reversed(word), reversed(correction), strict=False)) if a != b), 0)
    return head >= 1 and tail >= 2


def _glued(text: str, start: int, end: int) -> bool:
    """Part of a domain, file name, hashtag or obfuscated address (`cs.example.edu`, `me [at]
    uni`), or of a word cut by emphasis (`**P**iece**w**ise`)."""
    before, after = text[max(0, start - 12) : start].lower(), text[end : end + 12].lower()
    return (
        before[-1:] in (".", "@", "/", "\\", "_", "#", ":") or after[:1] in ("@", "_")
        or (after[:1] in (".", "/", "*") and after[1:2].isalnum()) or before.rstrip("*")[-1:].isalnum()
        or any(mark in after or mark in before for mark in ("[at]", "(at)", "{at}", "[dot]", "(dot)"))
    )


def _bare(word: str) -> str:
    """`Hetu's` is looked up as `hetu`."""
    return word[:-2] if word.endswith("'s") else word


def _compound(word: str, dictionary: dict[str, int]) -> bool:
    """`pretrained`, `codebase`, `multimodal`: a common word or prefix of three letters or more
    (not `the`, `and`: `withthis` is a slip) and a common word of four letters or more."""
    return any(
        dictionary.get(word[:cut], 99) <= 50 and dictionary.get(word[cut:], 99) <= 50 and word[:cut] not in language.english_function_words()
        for cut in range(3, len(word) - 3)
    )


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def suggestions(word: str, dictionary: dict[str, int], limit: int = 3) -> list[str]:
    """Dictionary words one edit away, the most common first, in the word's case."""
    lower = word.lower()
    splits = [(lower[:cut], lower[cut:]) for cut in range(len(lower) + 1)]
    edits = {head + tail[1:] for head, tail in splits if tail}
    edits |= {head + tail[1] + tail[0] + tail[2:] for head, tail in splits if len(tail) > 1}
    edits |= {head + letter + tail[1:] for head, tail in splits if tail for letter in _LETTERS}
    edits |= {head + letter + tail for head, tail in splits for letter in _LETTERS}
    found = sorted((dictionary[edit], edit) for edit in edits - {lower} if edit in dictionary)
    return [_same_case(word, edit) for _, edit in found[:limit]]


RULES = (Misspelling(), PhraseNearMiss(), CanonicalCasing(), RepeatedWord(), Confusable(), UnknownWord(), BrandCasing(), DictionaryTypo())
