"""A page's Liquid as Liquid 5 parses it (the tokenizer and block parser Jekyll 4.3 runs before
Markdown): which tags and variables there are, and the syntax errors that stop `jekyll build`.

Liquid splits a page into text, `{{ ... }}` and `{% ... %}` tokens, each the shortest match (so
`{{ a }` ends at its first `}`), then parses blocks: a block ends at its `end` tag, accepts only
its own branches (`else` in `if`, `when` in `case`), and `{% comment %}` ignores tags it does not
know but still parses the blocks inside it. `{% raw %}` ends at the first `{% endraw %}` whose
`{%` is not followed by `-`. After an error Liquid stops; this parser recovers and goes on, so
that one run names every problem of the page.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from pagelint.data import load_json

_OPENING = re.compile(r"\{[{%]")
_END_TAG = re.compile(r"\{%-?\s*end(\w+)")
_TAG = re.compile(r"\A\{%-?(\s*)(#|\w+)(\s*)(.*?)-?%\}\Z", re.DOTALL)
_VARIABLE = re.compile(r"\A\{\{-?(.*?)-?\}\}\Z", re.DOTALL)
_RAW_END = re.compile(r"(.*)\{%\s*(\w+)\s*(.*)?%\}\Z", re.DOTALL)
_GRAMMAR_WORDS = frozenset({"else", "elsif", "when"})


@dataclass(frozen=True)
class Tags:
    """The tags one site's Liquid knows: Liquid's and Jekyll's, and those of its plugins."""

    blocks: frozenset[str]
    inline: frozenset[str]
    branches: dict[str, frozenset[str]]


@cache
def _table() -> dict:
    return load_json("jekyll.json")


@cache
def tags_for(plugins: tuple[str, ...]) -> Tags:
    """The tags known with these plugins (names as `plugins:` in `_config.yml` writes them)."""
    table = _table()
    blocks, inline = set(table["blocks"]), set(table["tags"])
    for plugin in plugins:
        provided = table["plugin_tags"].get(table["plugin_aliases"].get(plugin, plugin), {})
        blocks.update(provided.get("blocks", ()))
        inline.update(provided.get("tags", ()))
    branches = {name: frozenset(words) for name, words in table["branches"].items()}
    return Tags(frozenset(blocks), frozenset(inline), branches)


def known_plugins() -> frozenset[str]:
    """The plugins whose tags pagelint knows."""
    table = _table()
    return frozenset(table["plugin_tags"]) | frozenset(table["plugin_aliases"])


@dataclass(frozen=True)
class Tag:
    name: str
    markup: str
    start: int
    end: int
    in_comment: bool  # inside `{% comment %}`: parsed, never rendered


@dataclass(frozen=True)
class Variable:
    start: int
    end: int
    in_comment: bool


@dataclass(frozen=True)
class Problem:
    """A syntax error. `unknown` names a tag that is not Liquid's or Jekyll's: a plugin the
    site loads may define it."""

    start: int
    end: int
    message: str
    unknown: str = ""


@dataclass
class _Frame:
    name: str
    start: int
    end: int


def tokens(text: str, start: int) -> Iterator[tuple[int, int]]:
    """The spans of Liquid's `{%...%}` and `{{...}` tokens in `text[start:]`: from each `{%` to
    the next `%}` and from each `{{` to the next `}` (and one more `}`), else just the opening.
    Linear: the next closer is looked up again only once the scan has passed it."""
    closers = {"%}": -2, "}": -2}

    def closer(needle: str, after: int) -> int:
        if closers[needle] == -1 or closers[needle] >= after:
            return closers[needle]
        closers[needle] = text.find(needle, after)
        return closers[needle]

    position = start
    while (opening := _OPENING.search(text, position)) is not None:
        begin = opening.start()
        if text[begin + 1] == "%":
            close = closer("%}", begin + 2)
            end = close + 2 if close >= 0 else begin + 2
        else:
            close = closer("}", begin + 2)
            end = (close + 2 if text.startswith("}}", close) else close + 1) if close >= 0 else begin + 2
        yield begin, end
        position = end


def parse(text: str, start: int, tags: Tags) -> Iterator[Tag | Variable | Problem]:
    """The tags, variables and syntax errors of `text[start:]`, in order."""
    stack: list[_Frame] = []
    open_names: Counter[str] = Counter()
    # Where each `{% endX %}` last appears: an unknown tag with one after it is a plugin's block.
    last_end = {match.group(1): match.start() for match in _END_TAG.finditer(text, start)}
    unclosed_raw = False
    spans = tokens(text, start)
    for position, end in spans:
        token = text[position:end]
        in_comment = open_names["comment"] > 0
        if token.startswith("{{"):
            if _VARIABLE.match(token):
                yield Variable(position, end, in_comment)
            else:
                shown = token if len(token) <= 40 else token[:37] + "..."
                yield Problem(position, position + 2, f"`{shown.strip()}` is never closed with `}}}}`")
            continue
        tag = _TAG.match(token)
        if tag is None:
            yield Problem(position, position + 2, "`{%` is never closed with `%}`")
            continue
        name, markup = tag.group(2), tag.group(4).strip()
        if name in ("#", "liquid"):
            continue  # an inline comment; `liquid` holds tags of its own, one a line
        if name == "raw":
            if markup:
                yield Problem(position, end, "`{% raw %}` takes no arguments")
            if not _skip_raw(text, spans):
                unclosed_raw = True
                yield Problem(position, end, _raw_never_closed(text, end))
            continue
        yield Tag(name, markup, position, end, in_comment)
        top = stack[-1] if stack else None
        if name in tags.blocks:
            stack.append(_Frame(name, position, end))
            open_names[name] += 1
        elif name in tags.inline:
            continue
        elif top is not None and name == "end" + top.name:
            open_names[stack.pop().name] -= 1
        elif top is not None and top.name == "comment":
            continue  # a comment ignores the tags it does not know
        elif top is not None and name in tags.branches.get(top.name, ()):
            continue
        elif name.startswith("end") and open_names[name[3:]] > 0:
            while stack[-1].name != name[3:]:
                inner = stack.pop()
                open_names[inner.name] -= 1
                yield Problem(inner.start, inner.end, f"`{{% {inner.name} %}}` is never closed: `{{% {name} %}}` comes first")
            open_names[stack.pop().name] -= 1
        elif name.startswith("end") or name in _GRAMMAR_WORDS:
            where = f"inside `{{% {top.name} %}}`" if top is not None else "outside any block"
            yield Problem(position, end, f"`{{% {name} %}}` is out of place {where}")
        else:
            yield Problem(position, end, f"`{{% {name} %}}` is not a tag of Liquid or Jekyll", unknown=name)
            if last_end.get(name, -1) > end:
                stack.append(_Frame(name, position, end))  # a plugin's block: its body is still Liquid
                open_names[name] += 1
    if unclosed_raw:
        return  # Liquid reads everything after an unclosed `raw` as its text
    for frame in reversed(stack):
        yield Problem(frame.start, frame.end, f"`{{% {frame.name} %}}` is never closed with `{{% end{frame.name} %}}`")


def _skip_raw(text: str, spans: Iterator[tuple[int, int]]) -> bool:
    for position, end in spans:
        closing = _RAW_END.match(text, position, end)
        if closing and closing.group(2) == "endraw":
            return True
    return False


def _raw_never_closed(text: str, after: int) -> str:
    if re.search(r"\{%-\s*endraw\b", text[after:]):
        return "`{% raw %}` is never closed: Liquid does not see `{%- endraw` (write `{% endraw %}` or `{% endraw -%}`)"
    return "`{% raw %}` is never closed with `{% endraw %}`"
