"""Columns as pagelint counts them (Unicode code points) and as an LSP client does (the
negotiated `positionEncoding`: UTF-32 code units, which are code points, or UTF-16 ones,
the protocol's default, where a character beyond U+FFFF counts twice)."""

from __future__ import annotations

import re

UTF16, UTF32 = "utf-16", "utf-32"

# The line breaks LSP counts lines by (and pagelint's Document reads as one "\n").
LINE_BREAK = re.compile(r"\r\n|\r|\n")


def choose_encoding(offered: list[str] | None) -> str:
    """UTF-32 where the client offers it (columns are then pagelint's own), else UTF-16,
    which every client must understand. UTF-8 is never chosen: UTF-16 is always there."""
    return UTF32 if offered and UTF32 in offered else UTF16


def lines_of(text: str) -> list[str]:
    return LINE_BREAK.split(text)


def to_client(line: str, column: int, encoding: str) -> int:
    """The client's character offset of the 0-based code point `column` of `line`."""
    prefix = line[:column]
    if encoding == UTF32:
        return len(prefix)
    return len(prefix) + sum(1 for character in prefix if ord(character) > 0xFFFF)

