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
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from pagelint.data import load_json

_TOKEN = re.compile(r"\{%.*?%\}|\{\{.*?\}\}?|\{%|\{\{", re.DOTALL)
_TAG = re.compile(r"\A\{%-?(\s*)(#|\w+)(\s*)(.*?)-?%\}\Z", re.DOTALL)
_VARIABLE = re.compile(r"\A\{\{-?(.*?)-?\}\}\Z", re.DOTALL)
_RAW_END = re.compile(r"\A(.*)\{%\s*(\w+)\s*(.*)?%\}\Z", re.DOTALL)
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


def parse(text: str, start: int, tags: Tags) -> Iterator[Tag | Variable | Problem]:
    """The tags, variables and syntax errors of `text[start:]`, in order."""
    stack: list[_Frame] = []
    unclosed_raw = False
    matches = _TOKEN.finditer(text, start)
    for match in matches:
        token, position, end = match.group(), match.start(), match.end()
        in_comment = any(frame.name == "comment" for frame in stack)
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
            closed = _skip_raw(matches)
            if not closed:
                unclosed_raw = True
                yield Problem(position, end, _raw_never_closed(text, end))
            continue
        yield Tag(name, markup, position, end, in_comment)
        top = stack[-1] if stack else None
        if name in tags.blocks:
            stack.append(_Frame(name, position, end))
        elif name in tags.inline:
            continue
        elif top is not None and name == "end" + top.name:
            stack.pop()
        elif top is not None and top.name == "comment":
            continue  # a comment ignores the tags it does not know
        elif top is not None and name in tags.branches.get(top.name, ()):
            continue
        elif name.startswith("end") and any(frame.name == name[3:] for frame in stack):
            while stack[-1].name != name[3:]:
                inner = stack.pop()
                yield Problem(inner.start, inner.end, f"`{{% {inner.name} %}}` is never closed: `{{% {name} %}}` comes first")
            stack.pop()
        elif name.startswith("end") or name in _GRAMMAR_WORDS:
            where = f"inside `{{% {top.name} %}}`" if top is not None else "outside any block"
            yield Problem(position, end, f"`{{% {name} %}}` is out of place {where}")
        else:
            yield Problem(position, end, f"`{{% {name} %}}` is not a tag of Liquid or Jekyll", unknown=name)
            if re.search(r"\{%-?\s*end" + re.escape(name) + r"\b", text[end:]):
                stack.append(_Frame(name, position, end))  # a plugin's block: its body is still Liquid
    if unclosed_raw:
        return  # Liquid reads everything after an unclosed `raw` as its text
    for frame in reversed(stack):
        yield Problem(frame.start, frame.end, f"`{{% {frame.name} %}}` is never closed with `{{% end{frame.name} %}}`")


def _skip_raw(matches: Iterator[re.Match[str]]) -> bool:
    for match in matches:
        closing = _RAW_END.match(match.group())
        if closing and closing.group(2) == "endraw":
            return True
    return False


def _raw_never_closed(text: str, after: int) -> str:
    if re.search(r"\{%-\s*endraw\b", text[after:]):
        return "`{% raw %}` is never closed: Liquid does not see `{%- endraw` (write `{% endraw %}` or `{% endraw -%}`)"
    return "`{% raw %}` is never closed with `{% endraw %}`"
