"""Text bound for a terminal or a CI log, with control characters shown as escapes instead of
sent: a file name or a quoted line holding ESC would recolour or clear the screen, and CR
overwrite the line, in a finding, a table or a note; a byte of a file name that is not UTF-8
(kept as a surrogate) would stop a strict UTF-8 stdout."""

from __future__ import annotations

import re

# C0 controls but tab, DEL, C1 controls, surrogates.
_HIDDEN = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff]")


def visible(text: str) -> str:
    r"""`text` with each control character written as its escape (`\x1b`, `\r`, `\n`) and each
    byte of a file name that is not UTF-8 as `\xff`."""
    if text.isprintable():  # nearly always: no control character, no surrogate
        return text
    return _HIDDEN.sub(_escape, text)


def _escape(match: re.Match) -> str:
    char = match.group()
    if "\udc80" <= char <= "\udcff":  # os.fsdecode's stand-in for such a byte
        return f"\\x{ord(char) - 0xdc00:02x}"
    return char.encode("unicode_escape").decode("ascii")
