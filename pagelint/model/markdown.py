"""Body structure: which regions are prose, code and HTML, and every link with its exact span.

markdown-it-py parses the block structure (CommonMark, with tables). It gives line ranges
but no inline positions, so inline constructs are found by a linear scanner over the source
of each block, which keeps exact offsets. The scanner never backtracks: every construct is
found with `str.find` or with regular expressions that cannot backtrack catastrophically.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.html_blocks import block_names
from markdown_it.common.utils import normalizeReference


@dataclass(frozen=True, slots=True)
class Link:
    """A link or image as written in the source. Offsets index the document's text.

    kind: "inline" `[t](u)`, "reference" `[t][r]`, "definition" `[r]: u`, "autolink" `<u>`,
    "html" (an `href`/`src` attribute), "bare" (a URL in running text).
    `rendered` is False for Markdown syntax that Jekyll will not convert (inside an HTML
    block or an HTML file). For reference links `url` is the resolved target, if any.
    """

    kind: str
    url: str
    url_start: int
    url_end: int
    start: int
    end: int
    text: str = ""
    text_start: int = -1
    text_end: int = -1
    is_image: bool = False
    rendered: bool = True
    attribute: str = ""

    @property
    def embeds(self) -> bool:
        """Whether the page shows the target (an image, an `src`) rather than links to it."""
        return self.is_image or self.attribute == "src"


@dataclass(frozen=True, slots=True)
class HtmlTag:
    name: str  # lower case
    start: int
    end: int
    closing: bool
    self_closing: bool
    attributes: tuple[tuple[str, str, int, int], ...]  # (name, value, value_start, value_end)


@dataclass(frozen=True, slots=True)
class Region:
    """A run of source lines of one kind: "inline" (paragraphs, headings, table rows),
    "html" (an HTML block or HTML file body) or "code" (fenced or indented code, or a Liquid
    `highlight` or `raw` block, which may also start or end within a line)."""

    kind: str
    start: int
    end: int


@dataclass(slots=True)
class BodyScan:
    regions: list[Region]
    links: list[Link]
    tags: list[HtmlTag]
    comments: list[tuple[int, int]]
    prose: list[tuple[int, int]]
    entities: list[tuple[int, int]]  # `&name;` and `&#NNN;` outside code
    # Code of every kind, merged, in order: code regions (fenced, indented, Liquid `highlight`
    # and `raw` blocks), code spans, HTML comments and the content of `<pre>`, `<code>`, `<script>`...
    code: list[tuple[int, int]] = field(default_factory=list)


@lru_cache(maxsize=1)
def block_parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark").enable("table")
    parser.disable("inline")  # inline positions come from our scanner
    return parser


def block_regions(text: str, body_start: int, line_starts: list[int], kramdown: bool = True) -> tuple[list[Region], dict]:
    """Regions of the body (which begins at offset `body_start`), and markdown-it's env. HTML
    blocks end as kramdown ends them, or, for a CommonMark engine (Goldmark), at a blank line."""
    body = text[body_start:]
    first_line = _line_of(line_starts, body_start)
    env: dict = {}
    tokens = block_parser().parse(body, env)
    spans: dict[tuple[int, int], str] = {}
    for token in tokens:
        if token.map is None:
            continue
        kind = {"inline": "inline", "html_block": "html", "fence": "code", "code_block": "code"}.get(token.type)
        if kind is None:
            continue
        spans.setdefault((token.map[0], token.map[1]), kind)
    regions: list[Region] = []
    for (first, last), kind in sorted(spans.items()):
        start = line_starts[first_line + first] if first_line + first < len(line_starts) else len(text)
        end = line_starts[first_line + last] if first_line + last < len(line_starts) else len(text)
        start = max(start, body_start)
        if regions and start < regions[-1].end:
            continue  # table cells share their row's lines
        if kind == "html" and kramdown:
            regions.extend(_kramdown_html_block(text, start, end))
        else:
            regions.append(Region(kind, start, end))
    return regions, env


_OPENING = re.compile(r"[ \t]*<([A-Za-z][A-Za-z0-9-]*)[\s>/]")
# A line that opens a block-level element (CommonMark's list, which kramdown's follows): after
# Markdown lines inside one CommonMark HTML block, such a line starts an element again.
_BLOCK_LINE = re.compile(rf"^(?=[ \t]*<(?:{'|'.join(block_names)})[\s>/])", re.MULTILINE | re.IGNORECASE)
_COMMENT_START = re.compile(r"[ \t]*<!--")
_DECLARATION = re.compile(r"[ \t]*<[!?]")  # `<!DOCTYPE html>`, `<?xml ...?>`: a line of its own
_CLOSING_LINE = re.compile(r"[ \t]*(?:</[A-Za-z][A-Za-z0-9-]*\s*>[ \t]*)+(?:\n|$)")
_MARKDOWN_ON = re.compile(r"""<([A-Za-z][A-Za-z0-9-]*)\b[^>]*?\smarkdown\s*=\s*["']?(?:1|block|span)\b[^>]*>""", re.IGNORECASE)


def _kramdown_html_block(text: str, start: int, end: int) -> list[Region]:
    """Regions of what CommonMark calls one HTML block, as kramdown, which Jekyll uses, reads it.
    CommonMark ends the block at a blank line; kramdown ends an element at its closing tag,
    after which the lines are Markdown again (an `<h3>2024</h3>` line followed by a list), and
    a line of closing tags alone closes an element opened above a blank line (`</div>` then
    `---` and a heading). An HTML comment runs to its `-->`. Inside an element, the content of a
    tag with `markdown="1"` is Markdown."""
    regions: list[Region] = []
    position = start
    while position < end:
        closing = _CLOSING_LINE.match(text, position, end)
        if closing is not None:
            regions.append(Region("html", position, closing.end()))
            position = closing.end()
            continue
        comment = _COMMENT_START.match(text, position, end)
        if comment is not None or _DECLARATION.match(text, position, end):
            close = text.find("-->", comment.end(), end) if comment is not None else position
            stop = end if close < 0 else _after_line(text, close, end)
            regions.append(Region("html", position, stop))
            position = stop
            continue
        opening = _OPENING.match(text, position, end)
        if opening is None or opening.group(1).lower() not in block_names:
            block = _BLOCK_LINE.search(text, position + 1, end)
            markdown_end = end if block is None else block.start()
            regions.append(Region("inline", position, markdown_end))
            position = markdown_end
            continue
        element_end = _element_end(text, position, end, opening.group(1))
        regions.extend(_markdown_inside(text, position, element_end))
        position = element_end
    return regions


def _element_end(text: str, start: int, end: int, name: str) -> int:
    """The end of the line that closes the element opened at `start`, or `end`."""
    closing = _closing_tag(text, start, end, name, depth=0)
    return end if closing is None else _after_line(text, closing[1], end)


def _after_line(text: str, offset: int, end: int) -> int:
    """The start of the line after the one `offset` is on, or `end`."""
    line_end = text.find("\n", offset, end)
    return end if line_end < 0 else line_end + 1


def _markdown_inside(text: str, start: int, end: int) -> list[Region]:
    """An element's regions: HTML, but Markdown between a `markdown="1"` tag and its end tag."""
    regions: list[Region] = []
    position = start
    while (opening := _MARKDOWN_ON.search(text, position, end)) is not None:
        closing = _closing_tag(text, opening.end(), end, opening.group(1), depth=1)
        content_end = end if closing is None else closing[0]
        regions.append(Region("html", position, opening.end()))
        if content_end > opening.end():
            regions.append(Region("inline", opening.end(), content_end))
        position = content_end
    if position < end:
        regions.append(Region("html", position, end))
    return regions


def _closing_tag(text: str, start: int, end: int, name: str, depth: int) -> tuple[int, int] | None:
    """The span of the end tag that brings the `name` elements open at `start` (`depth` of
    them) down to none, or None."""
    for tag in re.finditer(rf"<(/?){re.escape(name)}\b[^>]*>", text[start:end], re.IGNORECASE):
        if tag.group().endswith("/>"):
            continue
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return start + tag.start(), start + tag.end()
    return None


# Liquid blocks whose content Jekyll shows as code (`highlight`) or outputs untouched (`raw`).
# Liquid runs before Markdown, so such a block ends at its end tag, whatever blank lines or
# fences lie between.
_LIQUID_CODE = re.compile(r"\{%-?\s*(highlight|raw)\b[^%]{0,500}%\}")
_LIQUID_CODE_END = {
    "highlight": re.compile(r"\{%-?\s*endhighlight\s*-?%\}"),
    "raw": re.compile(r"\{%-?\s*endraw\s*-?%\}"),
}


def _liquid_code_blocks(text: str, start: int) -> list[tuple[int, int]]:
    blocks = []
    position = start
    while (opening := _LIQUID_CODE.search(text, position)) is not None:
        closing = _LIQUID_CODE_END[opening.group(1)].search(text, opening.end())
        stop = closing.end() if closing else len(text)  # unclosed, it stops the build: the rest is no prose either
        blocks.append((opening.start(), stop))
        position = stop
    return blocks


def _with_code_blocks(regions: list[Region], blocks: list[tuple[int, int]]) -> list[Region]:
    """The regions with the Liquid code blocks cut out of them, as code regions of their own
    (merged with the code regions they overlap)."""
    if not blocks:
        return regions
    code = _merged([(region.start, region.end) for region in regions if region.kind == "code"] + blocks)
    result = [Region("code", start, end) for start, end in code]
    for region in regions:
        if region.kind == "code":
            continue
        position = region.start
        for start, end in code[max(0, bisect.bisect_right(code, (region.start, region.start)) - 1) :]:
            if start >= region.end:
                break
            if start > position:
                result.append(Region(region.kind, position, start))
            position = max(position, end)
        if position < region.end:
            result.append(Region(region.kind, position, region.end))
    return sorted(result, key=lambda region: region.start)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        elif end > start:
            merged.append((start, end))
    return merged


def _line_of(line_starts: list[int], offset: int) -> int:
    return bisect.bisect_right(line_starts, offset) - 1


# Where something interesting may begin. Each alternative is a literal or a bounded class,
# so `finditer` stays linear.
_TRIGGER = re.compile(r"\\.|`+|<!--|<|!\[|\[|\]|\{\{|\{%|\$\$|\\\(|\\\[|https?://|www\.|&#?\w{1,31};|@")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s[^<>]*?)?)(/?)>")
_ATTRIBUTE = re.compile(r"""([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[\w.!#$%&'*+/=?^`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)>")
_BARE_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'`\]\[]*[^\s<>\"'`\]\[.,;:!?)*_]")
_LOCAL_PART = re.compile(r"[\w.+-]{1,64}$")
_EMAIL_DOMAIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9][A-Za-z0-9-]{0,62})+")
_LINK_ATTRIBUTES = frozenset({"href", "src", "srcset", "action", "poster", "data", "cite", "background", "formaction"})
_RAW_TEXT_TAGS = ("script", "style", "pre", "code", "kbd", "samp", "textarea")  # their content is not prose
# What follows `](` when it is no CommonMark link target but kramdown's, spaces and all
# (`[Slides](/files/Talk  2.pdf)`): a URL, not prose. Its parts exclude each other, so it
# cannot backtrack.
_SPACED_DESTINATION = re.compile(
    r"(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:|www\.|\.{0,2}/)[^\n()]{0,2000}(?:\([^\n()]{0,200}\)[^\n()]{0,2000}){0,5}\)"
)
# A label with no trigger in it up to its `]`.
_PLAIN_LABEL = re.compile(r"\[[^\\`<!\[\]{$&@:.\n]*+\]")
_LIQUID_SPAN = re.compile(r"\{%[^%]{0,500}%\}|\{\{[^}]{0,500}\}\}")
_INLINE_MATH = re.compile(r"\$(?=\S)[^$\n]{1,400}?(?<=\S)\$(?!\d)")


class _Scanner:
    """Scans one region of source text; appends to the shared result lists."""

    def __init__(self, text: str, references: dict, result: BodyScan):
        self.text = text
        self.references = references
        self.result = result
        self.excluded: list[tuple[int, int]] = []
        self.code: list[tuple[int, int]] = []  # code inside the regions scanned (also in `excluded`)

    def scan(self, start: int, end: int, markdown: bool, rendered: bool) -> None:
        text = self.text
        brackets: list[tuple[int, bool]] = []  # (offset of "[", is image)
        position = start
        raw_text_until = -1
        while position < end:
            match = _TRIGGER.search(text, position, end)
            if match is None:
                break
            here, position = match.span()
            token = text[here:position]
            if here < raw_text_until:
                position = raw_text_until
                continue
            if token[0] == "\\" and len(token) == 2 and token not in ("\\(", "\\["):
                continue
            if token[0] == "`" and markdown:
                position = self._code_span(here, len(token), end)
            elif token == "<!--":
                close = text.find("-->", position, end)
                stop = end if close < 0 else close + 3
                self.result.comments.append((here, stop))
                self.excluded.append((here, stop))
                self.code.append((here, stop))
                position = stop
            elif token == "<":
                position = self._angle(here, end, rendered and markdown)
                tag = self.result.tags[-1] if self.result.tags and self.result.tags[-1].start == here else None
                if tag and not tag.closing and tag.name in _RAW_TEXT_TAGS:
                    tag_end = _raw_text_end(tag.name).search(text, position, end)
                    raw_text_until = end if tag_end is None else tag_end.start()
                    self.excluded.append((position, raw_text_until))
                    self.code.append((position, raw_text_until))
            elif token in ("[", "!["):
                opening, is_image = here + len(token) - 1, token == "!["
                plain = _PLAIN_LABEL.match(text, opening, end)
                if plain is None:
                    brackets.append((opening, is_image))
                else:  # the next trigger is its `]`, which would pop this `[` again
                    closing = plain.end() - 1
                    position = self._link(opening, closing, end, is_image, markdown and rendered)
                    if position > closing + 1:
                        brackets.clear()  # links do not nest
            elif token == "]":
                if brackets:
                    opening, is_image = brackets.pop()
                    position = self._link(opening, here, end, is_image, markdown and rendered)
                    if position > here + 1:
                        brackets.clear()  # links do not nest
            elif token in ("{{", "{%"):
                close = text.find("}}" if token == "{{" else "%}", position, end)
                stop = end if close < 0 else close + 2
                self.excluded.append((here, stop))
                position = stop
            elif token in ("$$", "\\(", "\\["):
                closer = {"$$": "$$", "\\(": "\\)", "\\[": "\\]"}[token]
                close = text.find(closer, position, end)
                if close >= 0:
                    self.excluded.append((here, close + len(closer)))
                    position = close + len(closer)
            elif token[0] == "&":
                self.excluded.append((here, position))
                self.result.entities.append((here, position))
            elif token == "@":
                local = _LOCAL_PART.search(text, max(start, here - 64), here)
                domain = _EMAIL_DOMAIN.match(text, here + 1, end)
                if local and domain:
                    self.excluded.append((local.start(), domain.end()))
                    position = domain.end()
            else:  # a bare URL
                url = _BARE_URL.match(text, here, end)
                if url:
                    self._add(Link("bare", url.group(), here, url.end(), here, url.end(), rendered=rendered))
                    position = url.end()
        if markdown:
            for math in _INLINE_MATH.finditer(text, start, end):
                self.excluded.append(math.span())

    def _add(self, link: Link) -> None:
        self.result.links.append(link)
        self.excluded.append((link.url_start, link.url_end))

    def _code_span(self, here: int, length: int, end: int) -> int:
        text = self.text
        search = here + length
        while True:
            close = text.find("`" * length, search, end)
            if close < 0:
                return here + length
            run_end = close + length
            while run_end < end and text[run_end] == "`":
                run_end += 1
            if run_end - close == length:
                self.excluded.append((here, run_end))
                self.code.append((here, run_end))
                return run_end
            search = run_end

    def _angle(self, here: int, end: int, markdown: bool) -> int:
        text = self.text
        if markdown:
            auto = _AUTOLINK.match(text, here, end)
            if auto:
                self._add(Link("autolink", auto.group(1), here + 1, auto.end() - 1, here, auto.end()))
                return auto.end()
        tag = _TAG.match(text, here, min(end, here + 4000)) or self._liquid_tag(here, end)
        if not tag:
            return here + 1
        attributes = []
        attr_base = tag.start(3)
        for attribute in _ATTRIBUTE.finditer(tag.group(3)):
            group = next((g for g in (2, 3, 4) if attribute.group(g) is not None), None)
            name = attribute.group(1).lower()
            if group is None:
                attributes.append((name, "", attr_base + attribute.end(), attr_base + attribute.end()))
                continue
            value_start, value_end = attr_base + attribute.start(group), attr_base + attribute.end(group)
            attributes.append((name, attribute.group(group), value_start, value_end))
            if name in _LINK_ATTRIBUTES and not tag.group(1):
                self.result.links.append(
                    Link("html", attribute.group(group), value_start, value_end, tag.start(), tag.end(), attribute=name)
                )
        self.result.tags.append(
            HtmlTag(tag.group(2).lower(), tag.start(), tag.end(), bool(tag.group(1)), bool(tag.group(4)), tuple(attributes))
        )
        self.excluded.append((tag.start(), tag.end()))
        return tag.end()

    def _liquid_tag(self, here: int, end: int) -> re.Match | None:
        """A tag whose attributes hold Liquid with `<` or `>` in it (`class="{% if a < 2 %}x{% endif %}"`):
        blank the Liquid out (same length) and match again."""
        window_end = min(end, here + 4000)
        window = self.text[here:window_end]
        if "{%" not in window and "{{" not in window:
            return None
        blanked = _LIQUID_SPAN.sub(lambda match: " " * len(match.group()), window)
        tag = _TAG.match(blanked)
        if tag is None:
            return None
        return _TAG.match(self.text[: here] + blanked[: tag.end()], here)

    def _link(self, opening: int, closing: int, end: int, is_image: bool, rendered: bool) -> int:
        """`opening` is the offset of "[", `closing` of "]"; returns where scanning resumes."""
        text = self.text
        label = text[opening + 1 : closing]
        start = opening - 1 if is_image else opening
        after = closing + 1
        if after < end and text[after] == "(":
            destination = _destination(text, after + 1, end)
            if destination is None:
                spaced = _SPACED_DESTINATION.match(text, after + 1, end)
                if spaced:
                    self.excluded.append((after, spaced.end()))
                return closing + 1
            url_start, url_end, stop = destination
            url = text[url_start:url_end]
            if url.startswith("<") and url.endswith(">"):
                url_start, url_end, url = url_start + 1, url_end - 1, url[1:-1]
            self._add(Link("inline", url, url_start, url_end, start, stop, label, opening + 1, closing, is_image, rendered))
            # A title (`[t](u "Title")`) and an image's alt text are attributes, not prose.
            self.excluded.append((url_end, stop))
            if is_image:
                self.excluded.append((opening + 1, closing))
            return stop
        reference_end = closing + 1
        if after < end and text[after] == "[":
            close = text.find("]", after + 1, min(end, after + 1000))
            if close < 0:
                return closing + 1
            name = text[after + 1 : close] or label
            reference_end = close + 1
        else:
            name = label
        target = self.references.get(normalizeReference(name))
        if target is None:
            return closing + 1
        url = target.get("href", "")
        self.result.links.append(
            Link("reference", url, -1, -1, start, reference_end, label, opening + 1, closing, is_image, rendered)
        )
        return reference_end


# markdown-it gives up on a destination nested deeper than this; the bound also keeps a line of
# `[a](` repeated linear (each opening would otherwise walk to the end of the line).
_MAX_PARENTHESIS_DEPTH = 32


# The usual destination, a URL with no parenthesis, escape, `<` or title, read in one match; anything
# else is read character by character below.
_PLAIN_DESTINATION = re.compile(r"[ \t\n]*+([^\s()\\<]*+)[ \t\n]*+\)")


@cache
def _raw_text_end(tag_name: str) -> re.Pattern:
    # Searched case-insensitively in place: lowering the whole text at each such tag would read
    # the page once per tag.
    return re.compile(f"</{tag_name}", re.IGNORECASE)


def _destination(text: str, position: int, end: int) -> tuple[int, int, int] | None:
    """Parse `url "title")` from `position`; return (url_start, url_end, offset after ")")."""
    plain = _PLAIN_DESTINATION.match(text, position, end)
    if plain is not None:
        return plain.start(1), plain.end(1), plain.end()
    while position < end and text[position] in " \t\n":
        position += 1
    url_start = position
    if position < end and text[position] == "<":
        close = text.find(">", position, end)
        newline = text.find("\n", position, end)
        if close < 0 or (0 <= newline < close):
            return None
        url_end = position = close + 1
    else:
        depth = 0
        while position < end:
            char = text[position]
            if char == "\\" and position + 1 < end:
                position += 2
                continue
            if char in " \t\n":
                break
            if char == "(":
                depth += 1
                if depth > _MAX_PARENTHESIS_DEPTH:
                    return None
            elif char == ")":
                if depth == 0:
                    break
                depth -= 1
            position += 1
        url_end = position
    while position < end and text[position] in " \t\n":
        position += 1
    if position < end and text[position] in "\"'(":
        quote = ")" if text[position] == "(" else text[position]
        close = text.find(quote, position + 1, end)
        if close < 0:
            return None
        position = close + 1
        while position < end and text[position] in " \t\n":
            position += 1
    if position < end and text[position] == ")":
        return url_start, url_end, position + 1
    return None


_DEFINITION = re.compile(r"^ {0,3}\[([^\]\n]{1,999})\]:[ \t]*\n?[ \t]*(<[^>\n]*>|\S+)", re.MULTILINE)


def scan_body(
    text: str, body_start: int, line_starts: list[int], syntax: str, kramdown: bool = True
) -> BodyScan:
    """Find regions, links, tags, comments and prose spans of the body."""
    result = BodyScan([], [], [], [], [], [])
    references: dict = {}
    if syntax == "markdown":
        result.regions, env = block_regions(text, body_start, line_starts, kramdown)
        references = env.get("references", {})
    elif syntax == "html":
        result.regions = [Region("html", body_start, len(text))]
    if result.regions:
        result.regions = _with_code_blocks(result.regions, _liquid_code_blocks(text, body_start))
    scanner = _Scanner(text, references, result)
    for region in result.regions:
        if region.kind != "code":
            scanner.scan(region.start, region.end, markdown=True, rendered=region.kind == "inline")
    if syntax == "markdown" and references:
        _definitions_outside_regions(text, body_start, result.regions, scanner)
    result.links.sort(key=lambda link: link.start)
    result.prose = _prose(result.regions, scanner.excluded)
    result.code = _merged([(region.start, region.end) for region in result.regions if region.kind == "code"] + scanner.code)
    return result


def _definitions_outside_regions(text: str, body_start: int, regions: list[Region], scanner: _Scanner) -> None:
    """Reference definitions form no paragraph, so markdown-it gives them no region."""
    position = body_start
    for region in [*regions, Region("end", len(text), len(text))]:
        if position < region.start:
            for match in _DEFINITION.finditer(text, position, region.start):
                _add_definition(match, scanner)
        position = max(position, region.end)


def _add_definition(match: re.Match, scanner: _Scanner) -> None:
    url, url_start = match.group(2), match.start(2)
    if url.startswith("<") and url.endswith(">"):
        url, url_start = url[1:-1], url_start + 1
    scanner._add(Link("definition", url, url_start, url_start + len(url), match.start(), match.end(), match.group(1), match.start(1), match.end(1)))


def _prose(regions: list[Region], excluded: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of inline and HTML regions that are not code, markup, URLs or Liquid."""
    excluded = sorted(excluded)
    spans: list[tuple[int, int]] = []
    index = 0
    for region in regions:
        if region.kind == "code":
            continue
        position = region.start
        while index < len(excluded) and excluded[index][1] <= region.start:
            index += 1
        cursor = index
        while cursor < len(excluded) and excluded[cursor][0] < region.end:
            cut_start, cut_end = excluded[cursor]
            if cut_start > position:
                spans.append((position, cut_start))
            if cut_end > position:
                position = cut_end
            cursor += 1
        if position < region.end:
            spans.append((position, region.end))
    return spans
