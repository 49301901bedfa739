"""Typography rules (T): text that renders otherwise than its writer saw it, most of it pasted
from a PDF or a LaTeX source (ligature characters, words split at a line end, LaTeX quotes)."""

from __future__ import annotations

import re
import unicodedata

from pagelint.diagnostics import Fix, Severity
from pagelint.rules.base import Rule
from pagelint.rules.spelling import COMMON_SIZE, Passage, displayed, english_passages, prose
from pagelint.text import lexicons, vocabulary

_LIGATURE = re.compile("[\ufb00-\ufb06]")


class PdfLigature(Rule):
    code = "T001"
    name = "pdf-ligature"
    summary = "Ligature character pasted from a PDF (`ﬁ` in `stratiﬁed`)"
    rationale = (
        "PDFs set `fi`, `fl`, `ff`, `ffi`, `ffl` and `st` as one character (U+FB00 to U+FB06); "
        "copied into a page it is one glyph that search, screen readers and spell checkers do not "
        "read as letters. The fix writes the letters, which is certain."
    )
    bad = "We study strati\ufb01ed \ufb02ows.\n"
    good = "We study stratified flows.\n"
    fixable = True

    def check(self, doc, options):
        if not _LIGATURE.search(doc.text):
            return
        for passage in displayed(doc):
            for match in _LIGATURE.finditer(passage.text):
                letters = unicodedata.normalize("NFKC", match.group())
                start = passage.at(match.start())
                yield self.diagnostic(doc, start, start + 1, f"ligature `{match.group()}` pasted from a PDF: write `{letters}`", replacement=letters)


# `experimen- tal` or `experimen-` at a line end and `tal` on the next: the hyphen of a PDF's line break.
_SPLIT = re.compile(r"\b([A-Za-z]{2,})-(?: |[ \t]*\n[ \t]*)([a-z]{2,})\b")
_SUSPENDED = frozenset({"and", "or", "to", "nor", "vs", "versus"})  # `pre- and post-training`


class PdfHyphenation(Rule):
    code = "T002"
    name = "pdf-hyphenation"
    summary = "A word split by a PDF's line-end hyphen (`experimen- tal`)"
    rationale = (
        "Text copied from a PDF keeps the hyphens of its line breaks: `experimen-` at the end of a "
        "line and `tal` at the start of the next, or `experimen- tal` once joined, are shown as "
        "written. Reported only where the joined word is in the dictionary and the two parts are "
        "not both words (`soft- ware` is left alone, `pre- and post-` is a suspended hyphen); "
        "the fix joins them."
    )
    bad = "We ran an experimen-\ntal study of scal- able systems.\n"
    good = "We ran an experimental study of scalable, well-known systems.\n"
    fixable = True

    def check(self, doc, options):
        text = doc.text
        if "- " not in text and "-\n" not in text:
            return
        dictionary = None
        for start, end in prose(doc):
            for match in _SPLIT.finditer(text, start, end):
                head, tail = match.group(1), match.group(2)
                if tail in _SUSPENDED:
                    continue
                dictionary = lexicons.english_words() if dictionary is None else dictionary
                joined = head + tail
                if joined.lower() not in dictionary or (head.lower() in dictionary and tail in dictionary):
                    continue
                yield self.diagnostic(
                    doc, match.start(), match.end(), f"`{match.group().replace(chr(10), ' ')}` is `{joined}` split by a PDF's line-end hyphen",
                    replacement=joined,
                )


_LATEX_QUOTES = re.compile(r"``([^`'\n][^`\n]{0,300}?)''")


class LatexQuotes(Rule):
    code = "T003"
    name = "latex-quotes"
    summary = "LaTeX quotes (``` ``like this'' ```) in Markdown, which render as a code span"
    rationale = (
        "In LaTeX ``` `` ``` and `''` make curly quotes; in Markdown the backticks open a code "
        "span, so the words show in a monospace box or with the backticks. The fix writes the "
        "curly quotes the writer meant."
    )
    bad = "Our paper ``Sparse Graphs'' won a prize.\n"
    good = "Our paper \u201cSparse Graphs\u201d won a prize.\n"
    fixable = True

    def check(self, doc, options):
        text = doc.text
        if "``" not in text or doc.syntax != "markdown":
            return
        starts = {start for start, _ in doc.code_spans}
        for match in _LATEX_QUOTES.finditer(text, doc.body_start):
            if doc.in_code(match.start()) and match.start() not in starts:
                continue  # inside a fenced block or another code span
            if text.rfind("\n```", 0, match.start()) > text.rfind("```\n", 0, match.start()):
                continue
            curly = f"\u201c{match.group(1)}\u201d"
            line, column = doc.position(match.start())
            end_line, end_column = doc.position(match.end())
            # The fix replaces the whole would-be code span, which the generic check refuses.
            fix = Fix(curly, match.start(), match.end(), line, column, end_line, end_column, True)
            message = f"LaTeX quotes render as code in Markdown: write {curly}"
            yield self.diagnostic_at(doc.display_path, line, column, end_line, end_column, message, fix)


# `*Title *` or `**bold **`: the closer after a space does not close, and the asterisks show.
_SPACED_CLOSER = re.compile(r"(?<![*\w\\])(\*{1,2})(?=[^\s*])([^*\n]*?[^\s*])\s+\1(?!\*)(?=[\s,.;:)]|$)")
_EMPHASIS_KEYS = frozenset({"title", "excerpt", "venue", "citation", "publication", "description", "abstract", "summary"})


def _markdown_passages(doc) -> list[Passage]:
    """The displayed passages, and the front matter values a template renders as Markdown
    (Hugo Blox's `publication`, academicpages' `citation`); computed once per page."""
    if "markdown_passages" not in doc.memo:
        passages = list(displayed(doc))
        seen = {passage.start for passage in passages}
        block = doc.front_matter
        for path, position in block.positions.items() if block is not None else ():
            value = doc.text[position.value_start : position.value_end]
            if path.rsplit(".", 1)[-1] in _EMPHASIS_KEYS and position.value_start not in seen and "\n" not in value and "\\" not in value:
                passages.append(Passage(position.value_start, position.value_end, value))
        doc.memo["markdown_passages"] = passages
    return doc.memo["markdown_passages"]


class UnclosedEmphasis(Rule):
    code = "T004"
    name = "unclosed-emphasis"
    summary = "Emphasis whose closing `*` follows a space, so the asterisks show (`*Proceedings *`)"
    rationale = (
        "Markdown closes `*` or `**` only right after a non-space character: `*Proceedings of X *` "
        "shows both asterisks and no italics. The closer belongs against the last word."
    )
    bad = "Published in *Proceedings of the Graph Workshop *, 2021.\n"
    good = "Published in *Proceedings of the Graph Workshop*, 2021.\n"
    fixable = True

    def check(self, doc, options):
        if "*" not in doc.text:
            return
        for passage in _markdown_passages(doc):
            for match in _SPACED_CLOSER.finditer(passage.text):
                start, end = passage.at(match.start()), passage.at(match.end())
                mark = match.group(1)
                yield self.diagnostic(doc, start, end, f"`{mark}` after a space does not close the emphasis: the asterisks show",
                                      replacement=f"{mark}{match.group(2)}{mark}")


_DOUBLED_QUOTE = re.compile(r"(?<![\w\"\u201c])(\"\"|\u201c\u201c|\u201c\"|\"\u201c)(?=\w)")


class _PassagePattern(Rule):
    """A rule that reports each match of `pattern` in the text a visitor reads."""

    pattern: re.Pattern

    def describe(self, match: re.Match) -> tuple[str, str | None]:
        """The message and the replacement (None: no fix) of one match."""
        raise NotImplementedError

    def check(self, doc, options):
        for passage in _markdown_passages(doc):
            for match in self.pattern.finditer(passage.text):
                message, replacement = self.describe(match)
                start, end = passage.at(match.start()), passage.at(match.end())
                yield self.diagnostic(doc, start, end, message, replacement=replacement)


class DoubledQuote(_PassagePattern):
    code = "T005"
    name = "doubled-quote"
    summary = "Opening quotation mark written twice (`\"\"Title`)"
    rationale = "A doubled opening quote shows as two marks; it usually comes from a quote added around text that had one."
    bad = "---\ntitle: 'Sparse Graphs'\ncitation: 'Ada Lund. \"\"Sparse Graphs.\" Graph Journal.'\n---\n"
    good = "---\ntitle: 'Sparse Graphs'\ncitation: 'Ada Lund. \"Sparse Graphs.\" Graph Journal.'\n---\n"
    fixable = True
    pattern = _DOUBLED_QUOTE

    def describe(self, match):
        return "opening quotation mark written twice", match.group()[-1]


_FULL_WIDTH = {"\uff0c": ",", "\uff1a": ":", "\uff1b": ";", "\uff08": "(", "\uff09": ")", "\uff01": "!", "\uff1f": "?"}
_FULL_WIDTH_MARK = re.compile(r"[ \t]*([\uff0c\uff1a\uff1b\uff08\uff09\uff01\uff1f])[ \t]*")
_WIDE_SCRIPT = re.compile(r"[\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f\u3000-\u303f]")


class FullWidthPunctuation(Rule):
    code = "T006"
    name = "full-width-punctuation"
    summary = "Full-width punctuation (`，` `：` `（`) inside English text"
    rationale = (
        "Chinese, Japanese and Korean input methods type full-width commas, colons and parentheses, "
        "which in an English sentence show as wide marks with space around them. Reported only in "
        "passages with no Chinese, Japanese or Korean characters, where the ASCII mark is certain."
    )
    bad = "Interests\uff1amachine learning\uff0coptimisation\uff08convex\uff09.\n"
    good = "Interests: machine learning, optimisation (convex).\n"
    fixable = True

    def check(self, doc, options):
        if not any(mark in doc.text for mark in _FULL_WIDTH):
            return
        english = set(prose(doc))  # a page or passage in Chinese, Japanese or Korean keeps its marks
        for passage in displayed(doc):
            if (passage.start, passage.end) not in english or _WIDE_SCRIPT.search(passage.text):
                continue
            for match in _FULL_WIDTH_MARK.finditer(passage.text):
                mark = match.group(1)
                before, after = passage.text[: match.start()], passage.text[match.end() :]
                if not re.search(r"[A-Za-z)]$", before) and not re.match(r"[A-Za-z(]", after):
                    continue  # between numbers (`6.2，5.3`): a table of data, not an English sentence
                start, end = passage.at(match.start()), passage.at(match.end())
                if _WIDE_SCRIPT.search(doc.text, doc.text.rfind("\n", 0, start) + 1, _line_end(doc.text, end)):
                    continue  # the line is partly Chinese, Japanese or Korean (a cell, a file name): whose mark it is, is a guess
                ascii_mark = _FULL_WIDTH[mark]
                if ascii_mark == "(":
                    replacement = " (" if before else "("
                else:
                    replacement = ascii_mark + (" " if after and not after[0].isspace() and after[0] not in ",.;:)!?" else "")
                yield self.diagnostic(doc, start, end, f"full-width `{mark}` in English text: write `{ascii_mark}`", replacement=replacement)


def _line_end(text: str, offset: int) -> int:
    end = text.find("\n", offset)
    return len(text) if end < 0 else end


# `2021..` (not `...`, not `../`) and `, .`
_DOUBLED_STOP = re.compile(r"(?<=[\w)*_])(\.\.|,\s*\.)(?![.\w/])")
_LATEX_COMMAND = re.compile(r"\\(?:textbf|textit|emph|texttt|textsc|cite|citep|citet)\{")


class StrayPunctuation(_PassagePattern):
    code = "T007"
    name = "stray-punctuation"
    summary = "Doubled full stop or a comma before a full stop (`pp. 1-9..`, `2019, .`)"
    rationale = "A full stop written twice, or after a comma with nothing between, is a slip of editing a citation."
    bad = "Ada Lund. Sparse Graphs. Graph Journal, 2021..\n"
    good = "Ada Lund. Sparse Graphs. Graph Journal, 2021. See also ../notes and so on...\n"
    fixable = True
    pattern = _DOUBLED_STOP

    def describe(self, match):
        return f"`{match.group()}`: one full stop is enough", "."


class LatexCommand(_PassagePattern):
    code = "T008"
    name = "latex-command"
    summary = "LaTeX command in Markdown text (`\\textbf{...}`), shown as written"
    rationale = (
        "Outside mathematics, Markdown does not read LaTeX: `\\textbf{Deep Knockoffs}` shows its "
        "backslash and braces. Write `**Deep Knockoffs**` (or `*...*` for `\\emph`)."
    )
    bad = "We propose \\textbf{Sparse Knockoffs} for graphs.\n"
    good = "We propose **Sparse Knockoffs** for graphs.\n"
    pattern = _LATEX_COMMAND

    def describe(self, match):
        return f"LaTeX `{match.group()[:-1]}` is shown as written in Markdown", None


# Two letter runs with one space between, read overlapping (`a bc de`: `a bc`, `bc de`); the
# first may be capitalised, as a title's words are (`Coas tal`), the second is a word's rest.
_WORD_PAIR = re.compile(r"(?<![\w'-])([A-Za-z][a-z]+) (?=([a-z]{2,})(?![\w'-]))")
SPLIT_MIN_LENGTH = 7  # shorter joined words are mostly two real abbreviations or names


class SplitWord(Rule):
    code = "T009"
    name = "split-word"
    summary = "A word split by a space pasted from a PDF (`exper iment`)"
    rationale = (
        "A PDF's justified lines can lose or gain the space between letters: `exper iment` is shown "
        "as written. Reported only where neither part is a word (in the dictionary, the page or the "
        "site) and the joined word is a common one of seven letters or more; no fix, since which "
        "space is wrong is a guess."
    )
    bad = "We ran an exper iment on graphs.\n"
    good = "We ran an experiment on graphs, in vivo, robust ness aside.\n"

    def check(self, doc, options):
        dictionary = None
        known: frozenset[str] | None = None
        for passage in english_passages(doc):
            for match in _WORD_PAIR.finditer(passage.text):
                written, tail = match.group(1), match.group(2)
                head = written.lower()
                if len(head) + len(tail) < SPLIT_MIN_LENGTH:
                    continue
                dictionary = lexicons.english_words() if dictionary is None else dictionary
                if head in dictionary or tail in dictionary or dictionary.get(head + tail, 99) > COMMON_SIZE:
                    continue
                start, end = passage.at(match.start()), passage.at(match.end() + len(tail))
                known = vocabulary.known_words(doc, venues=False) if known is None else known
                if head in known or tail in known or vocabulary.in_author_list(doc, start, end):
                    continue
                yield self.diagnostic(doc, start, end, f"`{written} {tail}` is `{written}{tail}` split by a space")


# The values a template puts inside a link or `<i>` before a comma, where an edge space shows
# (`<i>Venue </i>, 2021`); a citation is a paragraph of its own, whose spaces collapse.
_SPACED_KEYS = frozenset({"title", "venue"})
# Two spaces or more after a word (not an indentation, not the two spaces of a Markdown line
# break, not the wide gap some set after an emoji on purpose: `🎉  Special issue`).
_DOUBLED_SPACE = re.compile(r"(?<=[\w.,;:!?)\]'\"’”])[ \t]{2,}(?=\S)")


class ValueWhitespace(Rule):
    code = "T010"
    name = "value-whitespace"
    summary = "A title or venue with a space inside its quotes or doubled between words (`\" Sparse  Graphs\"`)"
    rationale = (
        "A title pasted from a PDF keeps its line breaks as doubled spaces, and a quoted title or "
        "venue keeps a space at its start or end, which shows where the template writes it inside "
        "a link or italics before a comma (`Graph Workshop , 2021`); feeds and citation metadata "
        "keep the doubled spaces. The fix removes the extra spaces."
    )
    bad = "---\ntitle: \" Sparse  Graphs\"\ncollection: publications\n---\nText.\n"
    good = "---\ntitle: \"Sparse Graphs\"\ncollection: publications\n---\nText.\n"
    default_severity = Severity.INFO
    fixable = True

    def check(self, doc, options):
        block = doc.front_matter
        for path, position in block.positions.items() if block is not None else ():
            value = doc.text[position.value_start : position.value_end]
            if path.rsplit(".", 1)[-1] not in _SPACED_KEYS or "\n" in value:
                continue
            quoted = len(value) > 1 and value[0] in "\"'" and value[-1] == value[0]
            start, end = position.value_start + quoted, position.value_end - quoted
            inner = doc.text[start:end]
            tidy = _DOUBLED_SPACE.sub(" ", inner.strip() if quoted else inner)
            if tidy == inner:
                continue
            message = "space inside the quotes of the value" if quoted and inner != inner.strip() else "spaces doubled between words"
            yield self.diagnostic(doc, start, end, message, replacement=tidy)


RULES = (
    PdfLigature(), PdfHyphenation(), LatexQuotes(), UnclosedEmphasis(), DoubledQuote(), FullWidthPunctuation(),
    StrayPunctuation(), LatexCommand(), SplitWord(), ValueWhitespace(),
)
