"""Bibliography rules (B): the `.bib` files that jekyll-scholar renders as al-folio's
publication list and that Hugo Blox offers beside each publication as `cite.bib`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path, PurePosixPath

from pagelint.data import load_json
from pagelint.diagnostics import Severity
from pagelint.model.bib_names import top_level
from pagelint.rules.base import Rule
from pagelint.rules.links import _DOI, arxiv_problem

_EXAMPLE_PATH = "_bibliography/papers.bib"
_EXAMPLE_SITE = {"_config.yml": "scholar:\n  source: /_bibliography/\n"}
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_NAME_SUFFIX = re.compile(r"^(?:jr|sr|ii|iii|iv)\.?$", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*")
_DOI_URL = re.compile(r"^\s*https?://(?:dx\.)?doi\.org/(10\.\S+?)\s*$", re.IGNORECASE)


@cache
def _tables() -> dict:
    return load_json("bibliography.json")


def _bibliography(doc):
    return doc.bibliography if doc.syntax == "bibtex" else None


def _entries(doc) -> Iterator:
    bibliography = _bibliography(doc)
    return iter(bibliography.entries) if bibliography is not None else iter(())


class BibliographyRule(Rule):
    example_path = _EXAMPLE_PATH
    example_site = _EXAMPLE_SITE


class MalformedEntry(BibliographyRule):
    code = "B001"
    name = "bibtex-syntax"
    summary = "A BibTeX block that does not parse: jekyll-scholar drops it, or the whole bibliography"
    rationale = (
        "An unbalanced brace, a missing comma after the key or an entry that runs into the next "
        "one makes jekyll-scholar skip the entry or fail the build, and the paper disappears from "
        "the publication list. Reported at the block's first line; the rest of the file is still checked."
    )
    bad = "@article{lovelace1843,\n  title = {Notes on the Analytical Engine,\n  journal = {Scientific Memoirs},\n}\n"
    good = "@article{lovelace1843,\n  title = {Notes on the Analytical Engine},\n  journal = {Scientific Memoirs},\n}\n"
    severity = Severity.ERROR

    def check(self, doc, options):
        bibliography = _bibliography(doc)
        if bibliography is None:
            return
        for failure in bibliography.failures:
            end = doc.text.find("\n", failure.start)
            yield self.diagnostic(doc, failure.start, end if end >= 0 else len(doc.text), f"entry does not parse: {failure.message}")


class DuplicateKey(BibliographyRule):
    code = "B002"
    name = "duplicate-citation-key"
    summary = "Two entries with one citation key: jekyll-scholar shows only one of them"
    rationale = (
        "jekyll-scholar keeps one entry of a key and drops the other without a word, so one paper "
        "is missing from the list and `{% cite %}` may point at the wrong one."
    )
    bad = "@misc{hopper1952, title = {The Education of a Computer}}\n@misc{hopper1952, title = {Compiling Routines}}\n"
    good = "@misc{hopper1952, title = {The Education of a Computer}}\n@misc{hopper1953, title = {Compiling Routines}}\n"

    def check(self, doc, options):
        first_line: dict[str, int] = {}
        for entry in _entries(doc):
            if entry.key in first_line:
                yield self.diagnostic(
                    doc, entry.key_start, entry.key_start + len(entry.key),
                    f"citation key `{entry.key}` is used already on line {first_line[entry.key]}; jekyll-scholar shows one of them",
                )
            else:
                first_line[entry.key] = doc.position(entry.start)[0]


class MissingRequiredField(BibliographyRule):
    code = "B003"
    name = "missing-required-field"
    summary = "An entry without a field its type requires (`@article` without `journal`)"
    rationale = (
        "The bibliography styles print the venue from the field the entry type requires: an "
        "`@article` without `journal` or an `@inproceedings` without `booktitle` is listed with no "
        "venue (and BibTeX warns); biblatex's `journaltitle` counts as `journal`. Often the venue "
        "is in the wrong field (`booktitle` of an `@article`)."
    )
    bad = "@article{noether1921,\n  title = {Idealtheorie in Ringbereichen},\n  booktitle = {Mathematische Annalen},\n}\n"
    good = "@article{noether1921,\n  title = {Idealtheorie in Ringbereichen},\n  journal = {Mathematische Annalen},\n}\n"

    def check(self, doc, options):
        required = _tables()["required_fields"]
        for entry in _entries(doc):
            for names in required.get(entry.kind, ()):  # each a field and its biblatex synonyms
                if all(entry.get(name) is None for name in names):
                    yield self.diagnostic(
                        doc, entry.start, entry.key_start + len(entry.key),
                        f"`@{entry.kind}{{{entry.key}` has no `{names[0]}`: its venue is not shown",
                    )


class AuthorList(BibliographyRule):
    code = "B004"
    name = "unparseable-author-list"
    summary = "An author list that does not split into names: a stray comma, an `and` missing or doubled"
    rationale = (
        "BibTeX splits `author` at each ` and ` and reads each part as `First Last` or `Last, "
        "First` (`Last, Jr, First` with a suffix). A part with more commas, an empty part or a "
        "trailing comma is a list whose `and` is missing: the styles print mangled names."
    )
    bad = "@article{curie1898,\n  author = {Curie, Marie, Curie, Pierre},\n  title = {Sur une substance nouvelle},\n  journal = {CR},\n}\n"
    good = "@article{curie1898,\n  author = {Curie, Marie and Curie, Pierre},\n  title = {Sur une substance nouvelle},\n  journal = {CR},\n}\n"

    def check(self, doc, options):
        for entry in _entries(doc):
            for name in ("author", "editor"):
                item = entry.get(name)
                if item is None or not item.delimited:
                    continue
                problem = _author_problem(top_level(item.value))
                if problem:
                    yield self.diagnostic(doc, item.start, item.end, f"`{name}` {problem}")


def _author_problem(value: str) -> str:
    text = " ".join(value.split())
    if not text:
        return ""
    parts = _AND.split(" " + text + " ")
    if any(not part.strip() for part in parts[1:-1]) or re.search(r"(?:^|\s)and\s+and(?:\s|$)", text, re.IGNORECASE):
        return "has an empty name (`and` doubled, or at the start or end)"
    for part in (part.strip() for part in parts):
        if not part:
            continue
        pieces = [piece.strip() for piece in part.split(",")]
        if part.endswith(","):
            return f"has a name that ends with a comma (`{part}`)"
        if "=" in part:  # biblatex's extended name format, `family=..., given=...`
            continue
        if len(pieces) > 3 or (len(pieces) == 3 and not _NAME_SUFFIX.match(pieces[1])):
            return f"has `{part}`, more commas than one name has: an `and` is missing between names"
    return ""


class UnprotectedTitleWord(BibliographyRule):
    code = "B005"
    name = "unprotected-title-word"
    summary = "An acronym or proper noun in a title without braces, which bibliography styles lower-case"
    rationale = (
        "Styles that write titles in sentence case (APA, IEEE, many BibTeX styles) lower-case "
        "every word not in braces: `BERT` becomes `bert`, and an `italian` written in lower case "
        "stays wrong in every style. The known proper nouns of the data file written in lower case "
        "are reported everywhere; words of two or more capitals (acronyms, model names) where the "
        "BibTeX is offered to readers to cite (Hugo Blox's `cite.bib`, al-folio's `bibtex_show`), "
        "since al-folio's own list prints titles as written. The fix puts an acronym in braces."
    )
    bad = "@article{turing1950,\n  title = {Teaching BERT to read italian poetry},\n  journal = {Mind},\n  bibtex_show = {true},\n}\n"
    good = "@article{turing1950,\n  title = {Teaching {BERT} to read {Italian} poetry},\n  journal = {Mind},\n  bibtex_show = {true},\n}\n"
    fixable = True

    def check(self, doc, options):
        tables = _tables()
        acronyms = set(tables["acronyms"])
        proper = {word.lower(): word for word in tables["proper_nouns"]}
        offered_file = doc.site is not None and doc.site.generator.offers_bibtex(PurePosixPath(doc.path).name)
        for entry in _entries(doc):
            shown = entry.get("bibtex_show")
            offered = offered_file or (shown is not None and shown.value.strip().lower() == "true")
            item = entry.get("title")
            if item is None or not item.delimited:
                continue
            visible = top_level(item.value)
            words = [match for match in _WORD.finditer(visible) if "x" not in visible[match.start() : match.end()] or match.group(0) in acronyms]
            if _shouting(words):
                continue
            for match in words:
                word = item.value[match.start() : match.end()]
                if word != visible[match.start() : match.end()] or _after_command(item.value, match.start()):
                    continue
                start = item.start + match.start()
                if offered and (word in acronyms or _is_acronym(word)):
                    yield self.diagnostic(
                        doc, start, start + len(word), f"`{word}` in the title is not in braces: sentence-case styles print it `{word.lower()}`",
                        replacement="{" + word + "}",
                    )
                elif word in proper:
                    yield self.diagnostic(
                        doc, start, start + len(word), f"`{word}` in the title is a proper noun: write it `{{{proper[word]}}}`",
                        replacement="{" + proper[word] + "}", safe=False,
                    )


def _is_acronym(word: str) -> bool:
    capitals = sum(char.isupper() for char in word)
    return capitals >= 2 and not any(char.islower() for char in word) and any(char.isalpha() for char in word) and "-" not in word


def _shouting(words: list[re.Match]) -> bool:
    """A title written all in capitals: its case is the author's choice, word by word."""
    letters = [match.group(0) for match in words if len(match.group(0)) > 3]
    return bool(letters) and sum(word.isupper() for word in letters) * 2 > len(letters)


def _after_command(value: str, at: int) -> bool:
    """Whether the word is a LaTeX command's name (`\\emph`) or directly follows one."""
    return at > 0 and value[at - 1] == "\\"


class MonthOrYear(BibliographyRule):
    code = "B006"
    name = "invalid-month-or-year"
    summary = "A `month` that is no month, or a `year` that is no year"
    rationale = (
        "The styles sort and print the publication list by `year` and `month`: a year of two "
        "digits, a date in `year`, or a month such as `13` puts the paper in the wrong place or "
        "prints the text as it is."
    )
    bad = "@misc{hamilton1969,\n  title = {Apollo Guidance Software},\n  year = {69},\n  month = {13},\n}\n"
    good = "@misc{hamilton1969,\n  title = {Apollo Guidance Software},\n  year = {1969},\n  month = jul,\n}\n"

    def check(self, doc, options):
        tables = _tables()
        months = set(tables["months"])
        for entry in _entries(doc):
            year = entry.get("year")
            if year is not None and (year.delimited or year.value.isdigit()):
                text = year.value.strip().strip("{}").strip()
                # A word (`in press`, `submitted`) is printed as it is, by choice; digits that are no year are a mistake.
                if re.search(r"\d", text) and not re.fullmatch(r"\d{4}", text) and "#" not in text:
                    yield self.diagnostic(doc, year.start, year.end, f"`year = {text}` is not a year of four digits")
            month = entry.get("month")
            if month is not None and "#" not in month.value:
                text = month.value.strip().strip("{}").strip().lower().rstrip(".")
                tokens = re.split(r"[\s~/,.\-–]+", text)
                if text and not any(token in months or (token.isdigit() and 1 <= int(token) <= 12) for token in tokens):
                    yield self.diagnostic(doc, month.start, month.end, f"`month = {month.value.strip()}` is not a month")


class AlFolioField(BibliographyRule):
    code = "B007"
    name = "al-folio-field"
    summary = "An al-folio field (`pdf`, `preview`, `selected`, `bibtex_show`) whose value the template cannot use"
    rationale = (
        "al-folio links `pdf = {paper.pdf}` to `assets/pdf/paper.pdf` and shows `preview` from "
        "`assets/img/publication_preview/`: a file that is not there is a broken button or image "
        "(judged where the site has that folder: a checkout without it is partial). "
        "`selected` and `bibtex_show` are read as `true` only when written so."
    )
    bad = "@article{meitner1939,\n  title = {Disintegration of Uranium},\n  journal = {Nature},\n  pdf = {missing.pdf},\n  selected = {yes},\n}\n"
    good = "@article{meitner1939,\n  title = {Disintegration of Uranium},\n  journal = {Nature},\n  pdf = {meitner.pdf},\n  selected = {true},\n}\n"
    example_site = {**_EXAMPLE_SITE, "assets/pdf/meitner.pdf": "%PDF-1.4\n"}
    generator = "jekyll"

    def check(self, doc, options):
        if doc.site is None:
            return
        tables = _tables()
        kept = {folder for folder in set(tables["alfolio_file_fields"].values()) if Path(doc.site.root, folder).is_dir()}
        folders = {name: folder for name, folder in tables["alfolio_file_fields"].items() if folder in kept}
        for entry in _entries(doc):
            for item in entry.fields:
                value = item.value.strip()
                if item.name in tables["alfolio_boolean_fields"] and value.lower() not in ("true", "false"):
                    yield self.diagnostic(doc, item.start, item.end, f"`{item.name} = {{{value}}}`: al-folio reads only `true` or `false`")
                elif item.name in folders and value and "://" not in value and "{{" not in value:
                    path = Path(doc.site.root, folders[item.name], value.lstrip("/"))
                    if not path.is_file() and not Path(doc.site.root, value.lstrip("/")).is_file():
                        message = f"`{item.name}` names `{folders[item.name]}/{value}`, which the site does not have"
                        yield self.diagnostic(doc, item.start, item.end, message)


class BibliographyIdentifier(BibliographyRule):
    code = "B008"
    name = "bibliography-identifier"
    summary = "A `doi` written as a URL, or a `doi` or `arxiv` field that is no valid identifier"
    rationale = (
        "Templates build the link from the field: al-folio writes `https://doi.org/` before `doi` "
        "and `https://arxiv.org/abs/` before `arxiv`, so a URL in `doi` or a mistyped identifier is "
        "a broken link. The fix keeps only the DOI of a DOI URL."
    )
    bad = (
        "@article{franklin1953,\n  title = {Molecular Configuration},\n  journal = {Nature},\n"
        "  doi = {https://doi.org/10.1038/171740a0},\n  arxiv = {5313.01234},\n}\n"
    )
    good = (
        "@article{franklin1953,\n  title = {Molecular Configuration},\n  journal = {Nature},\n"
        "  doi = {10.1038/171740a0},\n  arxiv = {2101.01234},\n}\n"
    )
    fixable = True

    def check(self, doc, options):
        for entry in _entries(doc):
            doi = entry.get("doi")
            if doi is not None and doi.value.strip():
                url = _DOI_URL.match(doi.value)
                if url:
                    yield self.diagnostic(doc, doi.start, doi.end, f"`doi` is a URL; write the DOI alone: {url.group(1)}", replacement=url.group(1))
                elif not _DOI.match(doi.value.strip()):
                    yield self.diagnostic(doc, doi.start, doi.end, f"`doi = {{{doi.value.strip()}}}` is not a DOI (`10.NNNN/...`)")
            arxiv = entry.get("arxiv")
            if arxiv is not None and arxiv.value.strip():
                problem = arxiv_problem(arxiv.value.strip().removeprefix("arXiv:"))
                if problem:
                    yield self.diagnostic(doc, arxiv.start, arxiv.end, f"`arxiv = {{{arxiv.value.strip()}}}`: {problem}")


class DuplicateField(BibliographyRule):
    code = "B009"
    name = "duplicate-bibtex-field"
    summary = "A field written twice in one entry: one of its values is dropped without a word"
    rationale = (
        "BibTeX keeps the first of two fields with one name and bibtex-ruby (jekyll-scholar) the "
        "last, so the publication list and the BibTeX a visitor copies may differ, and one value is "
        "never seen. Where both are written alike, the fix deletes the second, the rest of the "
        "file (alignment, order, comments) as it was."
    )
    bad = "@misc{lamarr1942,\n  title = {Secret Communication System},\n  year  = {1942},\n  year  = {1942},\n}\n"
    good = "@misc{lamarr1942,\n  title = {Secret Communication System},\n  year  = {1942},\n}\n"
    fixable = True

    def check(self, doc, options):
        for entry in _entries(doc):
            first_of: dict[str, int] = {}
            for index, item in enumerate(entry.fields):
                first_index = first_of.setdefault(item.name, index)
                if first_index == index:
                    continue
                first = entry.fields[first_index]
                end = item.end + item.delimited  # after the closing brace or quote
                line = doc.position(first.name_start)[0]
                if first.value.strip() == item.value.strip() and first.delimited == item.delimited:
                    message = f"`{item.name}` is written twice in `{entry.key}`, alike (first on line {line}): the fix deletes this one"
                    deletion = _field_deletion(doc.text, entry.fields, index, end)
                    yield self.diagnostic(doc, item.name_start, end, message, replacement="", fix_span=deletion)
                else:
                    message = (
                        f"`{item.name}` is written twice in `{entry.key}` with different values (first on line {line}): "
                        "BibTeX shows the first, jekyll-scholar the last"
                    )
                    yield self.diagnostic(doc, item.name_start, end, message)


def _field_deletion(text: str, fields: list, index: int, end: int) -> tuple[int, int]:
    """The span that deletes the field `fields[index]` (ending at `end`) and nothing of its neighbours:
    its whole line when it has one to itself, else up to the next field, else from the previous one's end."""
    line_start = text.rfind("\n", 0, fields[index].name_start) + 1
    rest = re.match(r"[ \t]*,?[ \t]*(?:\n|$)", text[end:])
    if not text[line_start : fields[index].name_start].strip() and rest is not None:
        return line_start, end + rest.end()
    if index + 1 < len(fields):
        return fields[index].name_start, fields[index + 1].name_start
    previous = fields[index - 1]
    return previous.end + previous.delimited, end


RULES = (
    MalformedEntry(), DuplicateKey(), MissingRequiredField(), AuthorList(), UnprotectedTitleWord(), MonthOrYear(), AlFolioField(),
    BibliographyIdentifier(), DuplicateField(),
)
