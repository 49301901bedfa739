"""Front matter: find it the way Jekyll does, parse it safely, and keep every key's position.

Jekyll only reads front matter when a file *starts* with a `---` line, and ends it at the
next `---` or `...` line. YAML is parsed with Jekyll's semantics rather than PyYAML's
defaults: dates stay strings (Jekyll parses them with Ruby's rules, which the J rules
emulate), a key may be a sequence as Psych allows, and only safe tags are constructed. TOML (`+++`) is read with tomllib.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from pagelint.model.key_positions import KeyPosition, record_json, record_toml

_OPEN = re.compile(r"(---|\+\+\+)[ \t]*\r?\n")
_YAML_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)
_TOML_CLOSE = re.compile(r"^\+\+\+[ \t]*\r?$", re.MULTILINE)

MAX_FRONT_MATTER_CHARS = 1_000_000
MAX_POSITION_NODES = 100_000
MAX_DEPTH = 64  # real front matter nests a few levels; deeper is hostile or broken

_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class JekyllLoader(_SafeBase):  # type: ignore[misc, valid-type]
    """Safe YAML loader that leaves timestamps as strings, as Jekyll's date handling needs.

    It keeps the composed node graph (`root_node`) so that positions come from the same
    single parse as the data.
    """

    root_node: yaml.Node | None = None

    def construct_document(self, node: yaml.Node) -> Any:
        self.root_node = node
        return super().construct_document(node)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        """A mapping whose keys may be sequences or mappings, as Psych allows: Markdown's
        `[comment]: <> (...)` is, to YAML, the key `[comment]`. Such a key is kept as its text."""
        self.flatten_mapping(node)
        mapping = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)  # a sequence is filled in later unless deep
            if not isinstance(key, Hashable):
                key = _flow_text(key)
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


def _node_text(node: yaml.Node) -> str:
    """A key's text, as `_flow_text` writes a key that is not a scalar."""
    if isinstance(node, yaml.SequenceNode):
        return "[" + ", ".join(_node_text(item) for item in node.value) + "]"
    if isinstance(node, yaml.MappingNode):
        return "{" + ", ".join(f"{_node_text(key)}: {_node_text(item)}" for key, item in node.value) + "}"
    return str(node.value)


def _flow_text(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_flow_text(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_flow_text(key)}: {_flow_text(item)}" for key, item in value.items()) + "}"
    return str(value)


JekyllLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True, slots=True)
class FrontMatterError:
    message: str
    offset: int  # into the decoded text
    hint: str = ""


@dataclass(slots=True)
class FrontMatter:
    """The front matter block of a file.

    `start`/`end` delimit the whole block including its fences; `content_start`/`content_end`
    the text between them. `data` is None when the block does not parse (see `error`).
    """

    format: str  # "yaml", "toml" or "json"
    start: int
    end: int
    content_start: int
    content_end: int
    closed: bool
    data: Any = None
    error: FrontMatterError | None = None
    positions: dict[str, KeyPosition] = field(default_factory=dict)
    duplicate_keys: list[tuple[str, KeyPosition, KeyPosition]] = field(default_factory=list)
    # Offset of each key as written -> the keys of the mapping that holds it (one set object per
    # mapping, shared by its keys). One key path may name two mappings (a collection defined
    # twice), so a key's siblings are not found by path.
    sibling_keys: dict[int, frozenset[str]] = field(default_factory=dict)


def locate(text: str, json_allowed: bool = False) -> FrontMatter | None:
    """Find the front matter block at the start of `text`, or None if there is none. With
    `json_allowed` (Hugo), a file that starts with `{` opens a JSON object as front matter."""
    if json_allowed and text.startswith("{"):
        return _locate_json(text)
    opening = _OPEN.match(text)
    if not opening:
        return None
    fmt = "toml" if opening.group(1) == "+++" else "yaml"
    closing = (_TOML_CLOSE if fmt == "toml" else _YAML_CLOSE).search(text, opening.end())
    if closing is None:
        return FrontMatter(fmt, 0, len(text), opening.end(), len(text), closed=False)
    end = closing.end()
    if text.startswith("\n", end):
        end += 1
    return FrontMatter(fmt, 0, end, opening.end(), closing.start(), closed=True)


def _locate_json(text: str) -> FrontMatter:
    """The JSON object that starts the file, to its matching `}` (strings skipped)."""
    depth, index, in_string = 0, 0, False
    while index < len(text):
        char = text[index]
        if in_string:
            if char == "\\":
                index += 1
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                end = index + 1
                line_end = text.find("\n", end)
                block_end = len(text) if line_end < 0 else line_end + 1
                return FrontMatter("json", 0, block_end, 0, end, closed=True)
        index += 1
    return FrontMatter("json", 0, len(text), 0, len(text), closed=False)


_LEADING_BLANKS = re.compile(r"(?:[ \t]*\r?\n)*[ \t]*")


def locate_displaced(text: str) -> FrontMatter | None:
    """A front matter block that would be one if it started the file: after blank lines or
    spaces, closed, and a YAML mapping. Jekyll does not read it (see `locate`)."""
    leading = _LEADING_BLANKS.match(text)
    if leading is None or leading.end() == 0:
        return None
    block = locate(text[leading.end() :])
    if block is None or not block.closed or block.format != "yaml":
        return None
    shift = leading.end()
    displaced = FrontMatter("yaml", block.start + shift, block.end + shift, block.content_start + shift, block.content_end + shift, True)
    parse(text, displaced)
    return displaced if isinstance(displaced.data, dict) else None


def parse(text: str, fm: FrontMatter, positions: bool = True) -> None:
    """Fill in `fm.data`, `fm.positions` (unless `positions` is false: the data alone) and
    `fm.error` from the block's content."""
    content = text[fm.content_start : fm.content_end]
    if len(content) > MAX_FRONT_MATTER_CHARS:
        fm.error = FrontMatterError(
            f"front matter is {len(content):,} characters long; not parsed (limit {MAX_FRONT_MATTER_CHARS:,})",
            fm.content_start,
        )
        return
    if fm.format == "toml":
        _parse_toml(text, content, fm, positions)
    elif fm.format == "json":
        _parse_json(text, content, fm, positions)
    else:
        _parse_yaml(content, fm)


def parse_yaml_document(text: str, fm: FrontMatter) -> None:
    """Parse a whole YAML file (such as `_config.yml`) as if it were one front matter block."""
    _parse_yaml(text[fm.content_start : fm.content_end], fm)


_UNDECODABLE = re.compile("[\udc80-\udcff]")


def _parse_yaml(content: str, fm: FrontMatter) -> None:
    base = fm.content_start
    if not content.isascii():
        # Bytes that were not UTF-8 are kept as lone surrogates, which the YAML parser cannot
        # encode; one replacement character each keeps every offset where it was.
        content = _UNDECODABLE.sub("\ufffd", content)
    loaders: list[JekyllLoader] = []

    def make_loader(stream: str) -> JekyllLoader:
        loaders.append(JekyllLoader(stream))
        return loaders[-1]

    try:
        fm.data = YAMLHandler().load(content, Loader=make_loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        offset = base + (mark.index if mark is not None else 0)
        problem = exc.problem or exc.context or "invalid YAML"
        fm.error = FrontMatterError(f"invalid YAML: {problem}", offset, _yaml_hint(content, mark))
        return
    except yaml.YAMLError as exc:
        fm.error = FrontMatterError(f"invalid YAML: {exc}", base)
        return
    except RecursionError:
        fm.error = FrontMatterError("invalid YAML: nested too deeply to parse", base)
        return
    node = loaders[0].root_node if loaders else None
    if node is not None and not _record_positions(node, base, fm):
        fm.data = None
        fm.positions.clear()
        fm.error = FrontMatterError(f"invalid YAML: nested more than {MAX_DEPTH} levels deep", base)


def _yaml_hint(content: str, mark: yaml.Mark | None) -> str:
    if mark is None:
        return ""
    lines = content.split("\n")
    line = lines[mark.line] if mark.line < len(lines) else ""
    previous = lines[mark.line - 1] if 0 < mark.line <= len(lines) else ""
    if "\t" in line[: len(line) - len(line.lstrip())] or "\t" in previous[: len(previous) - len(previous.lstrip())]:
        return "YAML does not allow TAB characters for indentation; use spaces"
    stripped = line.lstrip()
    if "<!--" in stripped or re.match(r"\[[^\]]*\]: *<", stripped) or stripped.startswith(("* ", "**", "> ")):
        return "front matter is YAML, not Markdown: write comments as `# comment`"
    if re.search(r":\s*'[^']*'[^'\s#]", line):
        return "a single-quoted value ends at the next `'`: write an apostrophe as `''` or use double quotes"
    if re.search(r":\s*\"[^\"]*\"\s*[^\s#]", line):
        return "text follows the closing quote: quote the whole value"
    if re.search(r"^\s*[\w-]+:\s+[^'\"{\[].*: ", line):
        return "a value that contains `: ` must be quoted"
    return ""


def _parse_toml(text: str, content: str, fm: FrontMatter, positions: bool) -> None:
    try:
        fm.data = tomllib.loads(content)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        column = getattr(exc, "colno", None)
        offset = fm.content_start
        if line:
            offset += sum(len(row) + 1 for row in content.split("\n")[: line - 1]) + max((column or 1) - 1, 0)
        fm.error = FrontMatterError(f"invalid TOML: {getattr(exc, 'msg', exc)}", offset)
        return
    if positions:
        record_toml(text, fm)


def _parse_json(text: str, content: str, fm: FrontMatter, positions: bool) -> None:
    try:
        fm.data = json.loads(content)
    except json.JSONDecodeError as exc:
        fm.error = FrontMatterError(f"invalid JSON: {exc.msg}", fm.content_start + exc.pos)
        return
    except RecursionError:
        fm.error = FrontMatterError("invalid JSON: nested too deeply to parse", fm.content_start)
        return
    if positions and isinstance(fm.data, dict):
        record_json(text, fm)


def _record_positions(root: yaml.Node, base: int, fm: FrontMatter) -> bool:
    """Walk the composed YAML graph once, bounded, recording each key path's position.
    Returns False when the graph nests deeper than MAX_DEPTH.

    Aliases are not followed: a YAML alias bomb composes to a small graph that would
    expand to billions of paths.
    """
    budget = MAX_POSITION_NODES
    stack: list[tuple[yaml.Node, str, int]] = [(root, "", 0)]
    seen: set[int] = set()
    while stack and budget > 0:
        node, path, depth = stack.pop()
        if id(node) in seen:
            continue
        if depth > MAX_DEPTH:
            return False
        seen.add(id(node))
        budget -= 1
        if isinstance(node, yaml.MappingNode):
            first_seen: dict[str, KeyPosition] = {}
            siblings = frozenset(str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?" for key_node, _ in node.value)
            for key_node, value_node in node.value:
                key = _node_text(key_node)
                child = f"{path}.{key}" if path else key
                position = KeyPosition(
                    base + key_node.start_mark.index,
                    base + key_node.end_mark.index,
                    base + value_node.start_mark.index,
                    base + value_node.end_mark.index,
                )
                # A `[comment]` key is no key a page can use: Markdown comments may repeat.
                if key in first_seen and isinstance(key_node, yaml.ScalarNode):
                    fm.duplicate_keys.append((child, first_seen[key], position))
                else:
                    first_seen.setdefault(key, position)
                fm.positions[child] = position
                fm.sibling_keys[position.key_start] = siblings
                stack.append((value_node, child, depth + 1))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                child = f"{path}[{index}]"
                fm.positions[child] = KeyPosition(
                    base + item.start_mark.index,
                    base + item.end_mark.index,
                    base + item.start_mark.index,
                    base + item.end_mark.index,
                )
                stack.append((item, child, depth + 1))
    return True
