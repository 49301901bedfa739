"""A file to lint: raw bytes, decoded text, front matter and body views, each computed once."""

from __future__ import annotations

import bisect
import codecs
from dataclasses import dataclass
from functools import cached_property
from pathlib import PurePosixPath

from pagelint.bounded_io import DEFAULT_MAX_FILE_SIZE
from pagelint.model.front_matter import FrontMatter, locate, parse, parse_yaml_document
from pagelint.model.markdown import BodyScan, Link, scan_body

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd", ".mkdn"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
YAML_SUFFIXES = frozenset({".yml", ".yaml"})
TOML_SUFFIXES = frozenset({".toml"})  # Hugo's configuration and data
# Files Jekyll processes for Liquid but whose body is neither Markdown nor HTML.
OTHER_TEXT_SUFFIXES = frozenset({".xml", ".scss", ".sass", ".css", ".js", ".json", ".txt", ".csv", ".tsv"})
BIBTEX_SUFFIXES = frozenset({".bib"})  # jekyll-scholar's bibliography, Hugo Blox's cite.bib


def syntax_for(path: str) -> str:
    suffix = PurePosixPath(path).suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in YAML_SUFFIXES:
        return "yaml"
    if suffix in TOML_SUFFIXES:
        return "toml"
    if suffix in BIBTEX_SUFFIXES:
        return "bibtex"
    if suffix in OTHER_TEXT_SUFFIXES - {".txt"}:
        return "text"
    return "markdown"


def with_lf_line_breaks(text: str) -> tuple[str, str]:
    """`text` with LF line breaks, and the line break it was written with. CR alone (old Mac
    files) is replaced one character for one, so that every offset holds; LF and CRLF are
    kept as they are, and a lone CR in a text with LF line breaks is no line break."""
    if "\n" not in text and "\r" in text:
        return text.replace("\r", "\n"), "\r"
    return text, "\n"


@dataclass(frozen=True, slots=True)
class DecodeProblem:
    byte_offset: int
    bad_bytes: bytes
    line: int
    column: int


class Document:
    """One file as the rules see it.

    `path` is the file on disk (or the stdin filename), `display_path` the path as the
    user gave it. The text is decoded from UTF-8 (a BOM is removed and remembered); bytes
    that are not UTF-8 are kept losslessly as surrogate escapes and reported. A file whose
    lines end with CR alone is read with LF (`newline` says which it was written with, for
    fixes). `max_file_size` is the limit it was read under, and that of the files read beside
    it (its word list).
    """

    def __init__(
        self, path: str, display_path: str, raw: bytes, kind: str = "page", site=None, max_file_size: int = DEFAULT_MAX_FILE_SIZE
    ):
        self.path = path
        self.display_path = display_path
        self.raw = raw
        self.kind = kind
        self.site = site
        self.max_file_size = max_file_size
        self.syntax = syntax_for(path)
        self.memo: dict = {}  # results that several rules of a family share, computed once
        self.has_bom = raw.startswith(codecs.BOM_UTF8)
        payload = raw[3:] if self.has_bom else raw
        try:
            self.text, self.newline = with_lf_line_breaks(payload.decode("utf-8"))
            self.decode_problem: DecodeProblem | None = None
        except UnicodeDecodeError as exc:
            self.text, self.newline = with_lf_line_breaks(payload.decode("utf-8", "surrogateescape"))
            prefix = payload[: exc.start].decode("utf-8")
            line = prefix.count(self.newline) + 1
            column = len(prefix) - (prefix.rfind(self.newline) + 1) + 1
            self.decode_problem = DecodeProblem(
                exc.start + (3 if self.has_bom else 0), payload[exc.start : exc.end], line, column
            )

    # Positions -------------------------------------------------------------------------

    @cached_property
    def line_starts(self) -> list[int]:
        starts = [0]
        find = self.text.find
        position = find("\n")
        while position >= 0:
            starts.append(position + 1)
            position = find("\n", position + 1)
        return starts

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of an offset; columns count code points."""
        line = bisect.bisect_right(self.line_starts, offset) - 1
        return line + 1, offset - self.line_starts[line] + 1

    def offset(self, line: int, column: int) -> int:
        return self.line_starts[line - 1] + column - 1

    def line_text(self, line: int) -> str:
        start = self.line_starts[line - 1]
        end = self.line_starts[line] - 1 if line < len(self.line_starts) else len(self.text)
        return self.text[start:end].rstrip("\r")

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    # Front matter ----------------------------------------------------------------------

    @cached_property
    def bibliography(self):
        """A `.bib` file's entries with their fields' positions (None for other files)."""
        if self.syntax != "bibtex":
            return None
        from pagelint.model.bibtex import read_bibliography

        return read_bibliography(self.text)

    @property
    def decoded_prose(self) -> list:
        """Text shown to readers that the file holds in another notation, decoded, with the file
        offset of each character: a `.bib` file's titles, venues and abstracts, LaTeX read."""
        return self.bibliography.prose if self.syntax == "bibtex" else []

    @property
    def is_data_file(self) -> bool:
        """A YAML or TOML file (configuration, data): all of it is data, none of it a page."""
        return self.syntax in ("yaml", "toml")

    @cached_property
    def front_matter(self) -> FrontMatter | None:
        """The front matter block, parsed; for a YAML or TOML file, the whole file."""
        if self.is_data_file:
            whole = FrontMatter(self.syntax, 0, len(self.text), 0, len(self.text), closed=True)
            if self.syntax == "yaml":
                parse_yaml_document(self.text, whole)
            else:
                parse(self.text, whole)
            return whole
        if self.syntax == "bibtex":
            return None
        json_allowed = self.site is not None and self.site.generator.json_front_matter
        block = locate(self.text, json_allowed)
        if block is not None and block.closed:
            parse(self.text, block)
        return block

    @property
    def data(self) -> dict:
        """Front matter as a mapping ({} when absent, unparsable or not a mapping)."""
        block = self.front_matter
        return block.data if block is not None and isinstance(block.data, dict) else {}

    @property
    def body_start(self) -> int:
        if self.is_data_file:
            return len(self.text)
        block = self.front_matter
        return block.end if block is not None and block.closed else 0

    # Body ------------------------------------------------------------------------------

    @cached_property
    def body(self) -> BodyScan:
        syntax = self.syntax if self.syntax in ("markdown", "html") else "none"
        kramdown = self.site is None or self.site.markdown_engine == "kramdown"
        return scan_body(self.text, self.body_start, self.line_starts, syntax, kramdown=kramdown)

    @property
    def links(self) -> list[Link]:
        return self.body.links

    @cached_property
    def link_targets(self) -> list:
        """Every URL of the page with its span: body links and URL-valued front matter keys."""
        from pagelint.model.links import link_targets

        return link_targets(self)

    @property
    def prose_spans(self) -> list[tuple[int, int]]:
        return self.body.prose

    @property
    def code_spans(self) -> list[tuple[int, int]]:
        """Code of every kind, merged and in order (see `BodyScan.code`)."""
        return self.body.code

    def edits_code(self, start: int, end: int) -> bool:
        """Whether replacing the text between `start` and `end` changes part of a code span.
        Replacing whole spans (deleting a comment, re-decoding the file) changes none partly,
        and an insertion at a span's edge is outside it. In a `.bib` file, LaTeX commands and
        accents are such spans."""
        if self.syntax == "bibtex":
            return self.bibliography.edits_markup(start, end)
        return self.in_code(start) or self.in_code(end)

    def in_code(self, offset: int) -> bool:
        """Whether the offset lies inside a code span (its start is the span's edge, outside it)."""
        spans = self.body.code
        index = bisect.bisect_left(spans, (offset,)) - 1  # the last span that starts before the offset
        return index >= 0 and offset < spans[index][1]

    @cached_property
    def tokens(self) -> list:
        """markdown-it's full token stream (with inline children) of the body, for rules
        that need emphasis or list structure. Token line maps are relative to the body."""
        from markdown_it import MarkdownIt

        return MarkdownIt("commonmark").enable("table").parse(self.text[self.body_start :])

    @cached_property
    def body_first_line(self) -> int:
        return self.position(self.body_start)[0]
