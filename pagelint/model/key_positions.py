"""Where each key of a TOML or JSON front matter stands, for messages and fixes at the key.

The data itself comes from tomllib and json, which keep no positions; this scanner walks the
same text once more and records, for each key path (`title`, `image.caption`, `links[0].url`,
as the YAML positions are written), the key's and its value's offsets: tables, arrays of
tables, dotted keys, inline tables, arrays and every kind of string included. It runs only on
text the parser has accepted, so it need not report errors; on anything it does not follow it
stops, keeping what it found.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class KeyPosition:
    """Where a key and its value stand in the file (offsets into the decoded text)."""

    key_start: int
    key_end: int
    value_start: int
    value_end: int


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SPACE = re.compile(r"[ \t]*")
_SPACE_AND_LINES = re.compile(r"(?:[ \t\r\n]+|#[^\n]*)*")
_SCALAR_END = re.compile(r"[,\]}\n#]")


class _Stop(Exception):
    """Text the scanner does not follow: keep the positions found so far."""


class _Scanner:
    def __init__(self, text: str, start: int, end: int, fm: Any, json: bool):
        self.text = text
        self.position = start
        self.end = end
        self.fm = fm
        self.json = json

    # Pieces ------------------------------------------------------------------------

    def skip(self, lines: bool = True) -> None:
        self.position = (_SPACE_AND_LINES if lines else _SPACE).match(self.text, self.position).end()  # type: ignore[union-attr]

    def peek(self, token: str) -> bool:
        return self.text.startswith(token, self.position)

    def expect(self, token: str) -> None:
        if not self.peek(token):
            raise _Stop
        self.position += len(token)

    def string(self) -> str:
        text, start = self.text, self.position
        for quote in ('"""', "'''"):
            if text.startswith(quote, start):
                close = text.find(quote, start + 3)
                while quote == '"""' and close > 0 and _escaped(text, close):
                    close = text.find(quote, close + 1)
                if close < 0:
                    raise _Stop
                while text.startswith(quote[0], close + 3):  # up to two quotes may end the content
                    close += 1
                self.position = close + 3
                return text[start + 3 : close]
        quote = text[start]
        index = start + 1
        while index < self.end and text[index] != quote:
            index += 2 if quote == '"' and text[index] == "\\" else 1
        if index >= self.end:
            raise _Stop
        self.position = index + 1
        return text[start + 1 : index]

    def key(self) -> tuple[list[str], int, int]:
        """A (dotted) key: its parts, and the span of its last part."""
        parts: list[str] = []
        while True:
            self.skip(lines=False)
            start = self.position
            if self.peek('"') or self.peek("'"):
                parts.append(self.string())
                start, end = start + 1, self.position - 1  # the key's name, within its quotes
                self.skip(lines=False)
                if self.json or not self.peek("."):
                    return parts, start, end
                self.position += 1
                continue
            else:
                match = _BARE_KEY.match(self.text, self.position)
                if match is None:
                    raise _Stop
                parts.append(match.group())
                self.position = match.end()
            end = self.position
            self.skip(lines=False)
            if self.json or not self.peek("."):
                return parts, start, end
            self.position += 1

    # Values ------------------------------------------------------------------------

    def value(self, path: str) -> None:
        if self.peek("{"):
            self.position += 1
            self.pairs(path, "}")
        elif self.peek("["):
            self.array(path)
        elif self.peek('"') or self.peek("'"):
            self.string()
        else:
            match = _SCALAR_END.search(self.text, self.position, self.end)
            self.position = match.start() if match else self.end
            while self.position > 0 and self.text[self.position - 1] in " \t\r":
                self.position -= 1

    def array(self, path: str) -> None:
        self.expect("[")
        index = 0
        while True:
            self.skip()
            if self.peek("]"):
                self.position += 1
                return
            start = self.position
            item = f"{path}[{index}]"
            self.value(item)
            self.fm.positions.setdefault(item, KeyPosition(start, self.position, start, self.position))
            index += 1
            self.skip()
            if self.peek(","):
                self.position += 1

    def pairs(self, path: str, closing: str) -> None:
        """The `key = value` pairs of an inline table (or JSON object), up to `closing`."""
        keys: list[tuple[int, str]] = []
        while True:
            self.skip()
            if self.peek(closing):
                self.position += 1
                break
            keys.append(self.pair(path, ":" if self.json else "="))
            self.skip()
            if self.peek(","):
                self.position += 1
        self.siblings(keys)

    def pair(self, table: str, separator: str) -> tuple[int, str]:
        parts, key_start, key_end = self.key()
        self.expect(separator)
        self.skip(lines=self.json)
        value_start = self.position
        path = ".".join(part for part in (table, *parts) if part)
        self.value(path)
        self.record(path, KeyPosition(key_start, key_end, value_start, self.position))
        return key_start, parts[-1]

    def record(self, path: str, position: KeyPosition) -> None:
        if path in self.fm.positions and not path.endswith("]"):
            first = self.fm.positions[path]
            if first.key_start != position.key_start:
                self.fm.duplicate_keys.append((path, first, position))
                return
        self.fm.positions.setdefault(path, position)

    def siblings(self, keys: list[tuple[int, str]]) -> None:
        names = frozenset(name for _, name in keys)
        self.fm.sibling_keys.update((offset, names) for offset, _ in keys)

    # Documents ---------------------------------------------------------------------

    def toml(self) -> None:
        table = ""
        counters: dict[str, int] = {}
        keys: dict[str, list[tuple[int, str]]] = {}
        while True:
            self.skip()
            if self.position >= self.end:
                break
            if self.peek("["):
                double = self.peek("[[")
                self.position += 2 if double else 1
                parts, start, end = self.key()
                self.expect("]]" if double else "]")
                name = ".".join(parts)
                line_end = self.text.find("\n", self.position)
                line_end = self.end if line_end < 0 or line_end > self.end else line_end
                position = KeyPosition(start, end, self.position, line_end)
                self.fm.positions.setdefault(name, position)
                if double:
                    counters[name] = counters.get(name, -1) + 1
                    table = f"{name}[{counters[name]}]"
                    self.fm.positions.setdefault(table, position)
                else:
                    table = name
                keys.setdefault(_parent(table), []).append((start, parts[-1]))
                continue
            keys.setdefault(table, []).append(self.pair(table, "="))
        for found in keys.values():
            self.siblings(found)


def _parent(table: str) -> str:
    return table.rpartition(".")[0]


def _escaped(text: str, index: int) -> bool:
    backslashes = 0
    while index - backslashes - 1 >= 0 and text[index - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _scan(fm: Any, text: str, walk: Callable[[_Scanner], None], json: bool) -> None:
    scanner = _Scanner(text, fm.content_start, fm.content_end, fm, json)
    with contextlib.suppress(_Stop, IndexError):
        walk(scanner)


def record_toml(text: str, fm: Any) -> None:
    _scan(fm, text, _Scanner.toml, json=False)


def record_json(text: str, fm: Any) -> None:
    def walk(scanner: _Scanner) -> None:
        scanner.skip()
        scanner.expect("{")
        scanner.pairs("", "}")

    _scan(fm, text, walk, json=True)
