"""Hugo's shortcodes in a page, as Hugo 0.111 extracts them before it renders the Markdown (seen
with the real `hugo`, see bench/hugo_compare.py): everywhere in the body, code spans and HTML
comments included, but for the escaped form `{{</* name */>}}`. `{{< name >}}` and `{{% name %}}`
open, `{{< /name >}}` closes, `{{< name />}}` is self-closed. Which shortcodes need closing
depends on whether their template reads `.Inner`: the site's own templates are read for it,
Hugo's and the known templates' are listed in `pagelint/data/hugo_shortcodes.json`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pagelint.bounded_io import read_regular_file
from pagelint.data import load_json

_OPENING = re.compile(r"\{\{([<%])")
_NAME = re.compile(r"\s*(/)?\s*([\w.-]+(?:/[\w.-]+)*)")
_ARGUMENT = re.compile(r'"(?:[^"\\\n]|\\.)*"|`[^`]*`|[^\s"`]+')


@dataclass(frozen=True, slots=True)
class Shortcode:
    name: str
    start: int
    end: int
    closing: bool = False
    self_closed: bool = False
    arguments: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Problem:
    message: str
    start: int
    end: int


def scan(text: str, start: int) -> Iterator[Shortcode | Problem]:
    """Every shortcode tag of `text` from offset `start`, or the problem that stops the build there."""
    position = start
    while (match := _OPENING.search(text, position)) is not None:
        kind = match.group(1)
        close = ">}}" if kind == "<" else "%}}"
        after = match.end()
        if re.match(r"\s*/\*", text[after : after + 40]):  # `{{</* ... */>}}` is printed as written
            end = text.find("*/" + close, after)
            position = end + 2 + len(close) if end >= 0 else after
            continue
        name = _NAME.match(text, after)
        if name is None:
            position = after
            continue  # `{{<` not followed by a name is text
        end = text.find(close, name.end())
        newline_break = text.find("\n\n", name.end())
        if end < 0 or (0 <= newline_break < end):
            yield Problem(f"`{text[match.start():name.end()]}` is never closed with `{close}`", match.start(), name.end())
            position = name.end()
            continue
        inner = text[name.end() : end].strip()
        self_closed = inner.endswith("/")
        arguments = tuple(argument.strip('"`') for argument in _ARGUMENT.findall(inner.rstrip("/").strip()))
        yield Shortcode(name.group(2), match.start(), end + len(close), bool(name.group(1)), self_closed, arguments)
        position = end + len(close)


@cache
def known_shortcodes(template: str) -> dict[str, str]:
    """Name -> "paired", "single" or "either" of the shortcodes Hugo and `template` provide."""
    table = load_json("hugo_shortcodes.json")
    return {**table["hugo"], **table.get(template, {})}


def own_shortcode(root: Path, theme_folders: tuple[str, ...], name: str, max_size: int) -> str | None:
    """"paired", "single", or None when neither the site nor its local themes have the template."""
    for folder in ("layouts/shortcodes", *(f"themes/{theme}/layouts/shortcodes" for theme in theme_folders)):
        for suffix in (".html", ".md", ".ace", ".amber"):
            path = root / folder / (name + suffix)
            try:
                template = read_regular_file(path, max_size).decode("utf-8", "replace")
            except OSError:
                continue
            return "paired" if ".Inner" in template else "single"
    return None
