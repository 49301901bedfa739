"""Spelling rules (S): typos that generic spell checkers miss, without crying wolf on names.

They read prose only (text outside code, URLs, HTML, Liquid and mathematics, plus the
front matter values a page displays), skip paragraphs that are not English, and accept the
words of the site's `.pagelint-words.txt` and of a page's `<!-- pagelint-words ... -->`.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from pagelint import lexicons
from pagelint.diagnostics import Severity
from pagelint.rules.base import Rule

DISPLAYED_KEYS = frozenset({"title", "excerpt", "venue", "citation", "description", "bio", "location", "type"})
_WORD = re.compile(r"(?<![\w])[A-Za-z]+(?:'[A-Za-z]+)?(?![\w])")
_PAGE_WORDS = re.compile(r"<!--\s*pagelint-words\s+(.*?)-->", re.DOTALL)
_ENGLISH = frozenset("the and of to in is for on with at by from my we our this that are was be as an i".split())
_FOREIGN = frozenset(
    "le la les des et est une du au aux der die das und ist ein eine nicht mit von zu el los las y es una por para "
    "il di che per della och är att det het van een ik je".split()
)


def displayed(doc) -> list[tuple[int, int]]:
    """Spans of text a visitor reads: body prose and displayed front matter values."""
    if "displayed" not in doc.memo:
        spans = list(doc.prose_spans)
        block = doc.front_matter
        if block is not None:
            for path, position in block.positions.items():
                if path.rsplit(".", 1)[-1] in DISPLAYED_KEYS:
                    spans.append((position.value_start, position.value_end))
        doc.memo["displayed"] = sorted(spans)
    return doc.memo["displayed"]


def prose(doc) -> list[tuple[int, int]]:
    """The displayed spans that are English, computed once per page."""
    if "spelling_prose" in doc.memo:
        return doc.memo["spelling_prose"]
    spans = displayed(doc)
    lang = str(doc.data.get("lang") or _folder_language(doc.path) or "en").lower()
    english = [] if not lang.startswith("en") else [span for span in spans if _is_english(doc.text[span[0] : span[1]])]
    doc.memo["spelling_prose"] = english
    return english


_LANGUAGE_FOLDERS = frozenset(
    "fr de es it pt pt-br jp ja zh zh-cn zh-tw ko ru nl sv da no fi pl cs tr el ar he fa hi vi id th uk hu ro".split()
)


def _folder_language(path: str) -> str:
    """`_pages/fr/cv.md` is in French: multilingual sites keep each language in a folder."""
    parts = Path(path).parts[:-1]
    return next((part for part in parts if part.lower() in _LANGUAGE_FOLDERS), "")


def _is_english(text: str) -> bool:
    letters = sum(char.isalpha() for char in text)
    if letters and sum(char.isascii() and char.isalpha() for char in text) < letters / 2:
        return False  # mostly Japanese, Chinese, Cyrillic...
    words = [word.lower() for word in _WORD.findall(text)]
    if len(words) < 6:
        return True
    return sum(word in _ENGLISH for word in words) >= sum(word in _FOREIGN for word in words)


@cache
def _site_words(root: str) -> frozenset[str]:
    path = Path(root) / ".pagelint-words.txt"
    try:
        lines = path.read_text("utf-8").splitlines()
    except OSError:
        return frozenset()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def accepted_words(doc) -> frozenset[str]:
    words = set(_site_words(str(doc.site.root))) if doc.site is not None else set()
    if "pagelint-words" in doc.text:
        for match in _PAGE_WORDS.finditer(doc.text):
            words.update(match.group(1).split())
    return frozenset(words)


def _words(doc):
    """(start, end, word) of every word of the page's English prose."""
    for start, end in prose(doc):
        for match in _WORD.finditer(doc.text, start, end):
            yield match.start(), match.end(), match.group()


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
        "are never on it, so it cannot flag one."
    )
    bad = "Our paper was accpeted at the Univeristy workshop.\n"
    good = "Our paper was accepted at the University workshop.\n"
    fixable = True

    def check(self, doc, options):
        table = lexicons.misspellings()
        accepted = None
        for start, end, word in _words(doc):
            correction = table.get(word.lower())
            if correction is None:
                continue
            accepted = accepted_words(doc) if accepted is None else accepted
            if word in accepted:
                continue
            fixed = _same_case(word, correction)
            yield self.diagnostic(doc, start, end, f"`{word}` is a misspelling of `{fixed}`", replacement=fixed)


def _one_edit(a: str, b: str) -> bool:
    from pagelint.rules.links import _one_edit_apart

    return _one_edit_apart(a, b)


@cache
def _phrases_by_word() -> dict[str, list[tuple[str, ...]]]:
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in lexicons.academic_phrases():
        for word in {word.lower() for word in phrase}:
            index.setdefault(word, []).append(phrase)
    return index


def _inflected(written: str, expected: str) -> bool:
    """Plurals and the like: `sciences`, `analyses` for `analysis`, `studies`."""
    forms = {expected + "s", expected + "es", expected[:-2] + "es", expected[:-1] + "ies", expected.rstrip("s")}
    return written in forms or expected in {written + "s", written + "es", written[:-2] + "es", written.rstrip("s")}


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
        known = {tuple(word.lower() for word in phrase) for phrase in lexicons.academic_phrases()}
        for span_start, span_end in prose(doc):
            tokens = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(doc.text, span_start, span_end)]
            lowered = [token[2].lower() for token in tokens]
            reported_until = -1
            for position, word in enumerate(lowered):
                for phrase in index.get(word, ()):
                    found = self._near_miss(doc, tokens, lowered, position, phrase, known)
                    if found and found[0] >= reported_until:
                        yield found[2]
                        reported_until = found[1]
                        break

    def _near_miss(self, doc, tokens, lowered, position, phrase, known):
        words = [word.lower() for word in phrase]
        anchor = words.index(lowered[position])
        first = position - anchor
        if first < 0 or first + len(words) > len(tokens):
            return None
        window = lowered[first : first + len(words)]
        if tuple(window) in known:
            return None
        different = [index for index in range(len(words)) if window[index] != words[index]]
        if len(different) != 1:
            return None
        index = different[0]
        written, expected = window[index], words[index]
        if _inflected(written, expected) or len(expected) < 4 or not _one_edit(written, expected):
            return None
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
    summary = "Venue or name written with the wrong casing (`Neurips`, `Github`, `PH.D.`)"
    rationale = (
        "Venues, degrees and well-known names have one spelling: NeurIPS, SIGMOD, arXiv, GitHub, "
        "LaTeX, PyTorch, Ph.D. (or PhD). Committees notice `Neurips` and `PH.D.`. The venue "
        "lexicon and the list of terms are data files; a word that is also an ordinary English "
        "word (`DATE`, `Nature`) is not checked, and nor is text written all in capitals."
    )
    bad = "A second year PH.D. student; papers at Neurips and on Github.\n"
    good = "A second year Ph.D. student; papers at NeurIPS and on GitHub.\n"
    fixable = True

    def check(self, doc, options):
        pattern, table = _casing_regex()
        for start, end in displayed(doc):
            for match in pattern.finditer(doc.text, start, end):
                written = match.group()
                term = table[written.lower()]
                if written == term.canonical or written in term.accepted:
                    continue
                if written.islower() and term.canonical.isupper():
                    continue  # `tip`, `acl`: a word in lower case, not the acronym
                if written.isupper() and _shouting(doc.text, match.start(), match.end()):
                    continue
                right = next((variant for variant in term.accepted if variant.lower() == written.lower()), term.canonical)
                if written in accepted_words(doc):
                    continue
                yield self.diagnostic(doc, match.start(), match.end(), f"`{written}` is written `{right}`", replacement=right)


@cache
def _casing_regex():
    table: dict[str, lexicons.Term] = {}
    for term in lexicons.casing_table().values():
        for spelling in (term.canonical, *term.accepted):
            table.setdefault(spelling.lower(), term)
    alternatives = "|".join(re.escape(key) for key in sorted(table, key=len, reverse=True))
    return re.compile(rf"(?<![\w.@/-])(?:{alternatives})(?![\w@/-]|\.\w)", re.IGNORECASE), table


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
        "Bora`, a name) or repeats across a line break."
    )
    bad = "There there is a new paper on the the topic.\n"
    good = "There is a new paper on the topic.\n"
    fixable = True

    def check(self, doc, options):
        for span_start, span_end in prose(doc):
            run: list[re.Match] = []
            for match in [*_WORD.finditer(doc.text, span_start, span_end), None]:
                if match is not None and run and self._repeats(doc.text, run[-1], match):
                    run.append(match)
                    continue
                if len(run) == 2:  # three or more in a row is deliberate (`testing testing testing`)
                    first, second = run
                    yield self.diagnostic(
                        doc, first.start(), second.end(), f"`{second.group()}` is repeated",
                        replacement=first.group(), safe=False,
                    )
                run = [match] if match is not None else []

    @staticmethod
    def _repeats(text: str, previous: re.Match, match: re.Match) -> bool:
        word, before = match.group(), previous.group()
        if word.lower() != before.lower() or word.lower() in _ALLOWED_REPEATS:
            return False
        gap = text[previous.end() : match.start()]
        # `There there` is a slip; `in In Silico` and `Bora Bora` are not.
        return bool(gap) and gap.strip(" ") == "" and not word[0].isupper()


_CONFUSABLES = (
    (re.compile(r"\b(?:he|she|He|She)\s+(lead)\s+(?:the|a|an|his|her|our|their|several|multiple|many|two|three|four|five|six|this|that|these|those)\b"),
     "led", "`{word}` after he/she is the past tense `led` (or `leads`)"),
    (re.compile(r"\b(?:more|less|better|worse|rather|larger|smaller|higher|lower|faster|slower|greater|fewer)\s+(then)\b", re.IGNORECASE),
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
        for start, end in prose(doc):
            text = doc.text[start:end]
            for pattern, right, message in _CONFUSABLES:
                for match in pattern.finditer(text):
                    word = match.group(1)
                    fixed = _same_case(word, right) if word != "it's" else ("Its" if word[0].isupper() else "its")
                    yield self.diagnostic(
                        doc, start + match.start(1), start + match.end(1), message.format(word=word),
                        replacement=fixed, safe=False,
                    )


RULES = (Misspelling(), PhraseNearMiss(), CanonicalCasing(), RepeatedWord(), Confusable())
