"""Personal names of a BibTeX `author` field as BibTeX splits them, and keys to compare them by.

BibTeX reads each name between top-level ` and `s as `Last, First`, `Last, Jr, First` or `First
von Last` (the `von` part: the words before the last that start in lower case). jekyll-scholar
(bibtex-ruby) splits the same way, and al-folio compares the parts it gets with
`scholar.last_name` and `scholar.first_name`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
# A LaTeX accent or letter command (`\"u`, `\'{e}`, `{\ss}`, `\c{c}`): kept out of comparison keys.
_LATEX_COMMAND = re.compile(r"\\(?:[`'^\"~=.]|[uvHckbdrt](?![A-Za-z])|[A-Za-z]+\s*)")
_LATEX_LETTERS = {
    "ss": "ss", "o": "o", "O": "O", "l": "l", "L": "L", "ae": "ae", "AE": "AE", "oe": "oe", "OE": "OE", "aa": "a", "AA": "A", "i": "i", "j": "j",
}
_LETTER_COMMAND = re.compile(r"\\(" + "|".join(sorted(_LATEX_LETTERS, key=len, reverse=True)) + r")(?![A-Za-z])")


@dataclass(frozen=True, slots=True)
class Name:
    first: str  # as written, LaTeX undecoded: "J{\"o}rg"
    last: str  # with its von part: "van der Berg"
    start: int  # offsets of the name within the field's value
    end: int

    @property
    def words(self) -> tuple[str, ...]:
        """The name's words in reading order, first names first: its split left out."""
        return tuple(self.first.split() + self.last.split())


def names(value: str) -> list[Name]:
    """The names of an `author` value; a name in braces (`{Lab of Tides}`) is an institution, kept whole."""
    top = top_level(value)
    found = []
    position = 0
    for separator in [*_AND.finditer(top), None]:
        end = separator.start() if separator else len(value)
        part = value[position:end]
        leading = len(part) - len(part.lstrip())
        name = _split(part.strip(), top[position:end].strip())
        if name is not None:
            found.append(Name(name[0], name[1], position + leading, position + leading + len(part.strip())))
        position = separator.end() if separator else len(value)
    return found


def _split(part: str, top: str) -> tuple[str, str] | None:
    if not part or (part.startswith("{") and part.endswith("}") and top.count("x") == len(top) - top.count(" ")):
        return None
    commas = [index for index, char in enumerate(top) if char == ","]
    if commas:
        last, first = part[: commas[0]].strip(), part[commas[-1] + 1 :].strip()
        return first, last
    words = part.split()
    if len(words) == 1:
        return "", words[0]
    # `First von Last`: the last word is the family name, with any lower-case words before it.
    cut = len(words) - 1
    while cut > 1 and words[cut - 1][:1].islower():
        cut -= 1
    return " ".join(words[:cut]), " ".join(words[cut:])


def top_level(value: str) -> str:
    """`value` with the text inside braces blanked as `x`, so a protected `{and}` or comma is kept out."""
    out, depth = [], 0
    for char in value:
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        out.append(char if depth == 0 and char != "}" else "x")
    return "".join(out)


def plain(text: str) -> str:
    """`text` with LaTeX commands and braces taken out (`M{\\"u}ller` gives `Muller`); Unicode
    letters stay as they are (`Müller`)."""
    text = _LETTER_COMMAND.sub(lambda match: _LATEX_LETTERS[match.group(1)], text)
    return " ".join(_LATEX_COMMAND.sub("", text).replace("{", "").replace("}", "").replace("~", " ").split())


def folded(text: str) -> str:
    """A key that two spellings of one name share when they differ only by case, accents (Unicode or
    LaTeX), dots and hyphens: `Dvořák`, `Dvo{\\v{r}}{\\'a}k` and `dvorak` all give `dvorak`."""
    decomposed = unicodedata.normalize("NFKD", plain(text))
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    letters = letters.replace("ø", "o").replace("Ø", "O").replace("ł", "l").replace("Ł", "L").replace("ß", "ss").replace("ı", "i")
    return " ".join(re.sub(r"[.\-‐]+", " ", letters).casefold().split())
