"""The text a double-quoted YAML value displays, with the place in the file of each character.

`"Universit\\u00e9"` displays `Université`: read as written, `\\u00e9` cuts the word in two,
and a spelling rule that sees `na na\\u0161` sees a repeated word. Rules read the decoded text
and report at the file offsets of what they found.
"""

from __future__ import annotations

import re

_SIMPLE = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f", "r": "\r",
    "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029",
}
_HEX_DIGITS = {"x": 2, "u": 4, "U": 8}
_LINE_BREAK = re.compile(r"\r?\n[ \t]*")


def decode_double_quoted(text: str, start: int, end: int) -> tuple[str, tuple[int, ...]]:
    """The text of `text[start:end]` (part of a double-quoted scalar) with its escapes
    decoded, and the offset in `text` of each decoded character followed by `end`. An
    escape YAML does not know is kept as written (the front matter rules report it)."""
    decoded: list[str] = []
    offsets: list[int] = []
    position = start
    while position < end:
        backslash = text.find("\\", position, end)
        stop = end if backslash < 0 else backslash
        decoded.append(text[position:stop])
        offsets.extend(range(position, stop))
        if backslash < 0:
            break
        position = backslash + _escape(text, backslash, end, decoded, offsets)
    return "".join(decoded), (*offsets, end)


def _escape(text: str, backslash: int, end: int, decoded: list[str], offsets: list[int]) -> int:
    """Decode the escape at `backslash`; returns its length in the file."""
    kind = text[backslash + 1 : backslash + 2] if backslash + 1 < end else ""
    if kind in _SIMPLE:
        decoded.append(_SIMPLE[kind])
        offsets.append(backslash)
        return 2
    if kind in _HEX_DIGITS:
        digits = text[backslash + 2 : min(end, backslash + 2 + _HEX_DIGITS[kind])]
        if len(digits) == _HEX_DIGITS[kind] and all(char in "0123456789abcdefABCDEF" for char in digits):
            code = int(digits, 16)
            if code <= 0x10FFFF:
                decoded.append(chr(code))
                offsets.append(backslash)
                return 2 + len(digits)
    line_break = _LINE_BREAK.match(text, backslash + 1, end)
    if line_break:  # an escaped line break joins the lines
        return 1 + len(line_break.group())
    decoded.append("\\")
    offsets.append(backslash)
    return 1
