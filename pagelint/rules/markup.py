"""Markup rules (M): HTML and Markdown that render badly or not at all."""

from __future__ import annotations

import re

from pagelint.data import load_json
from pagelint.diagnostics import Severity
from pagelint.rules.base import Rule


class DeprecatedHtml(Rule):
    code = "M001"
    name = "deprecated-html"
    summary = "Presentational HTML element removed from HTML5"
    rationale = (
        "Elements such as `<font>`, `<center>` and `<marquee>` were removed from HTML5. Browsers "
        "still guess what they mean, but themes cannot style them, screen readers ignore them, and "
        "they are usually left over from an old editor. Each opening tag is reported once, with "
        "what to write instead."
    )
    bad = "Hiring! <font color=red>Apply now</font>\n"
    good = 'Hiring! <span style="color: red">Apply now</span>\n'

    def check(self, doc, options):
        table = load_json("deprecated_html.json")
        for tag in doc.body.tags:
            if tag.closing:
                continue
            if tag.name in table["tags"]:
                yield self.diagnostic(doc, tag.start, tag.end, f"`<{tag.name}>` is not HTML5: {table['tags'][tag.name]}")
                continue
            for name, _, value_start, value_end in tag.attributes:
                if name in table["attributes"]:
                    start = doc.text.rfind(name, tag.start, value_start) if value_start > tag.start else tag.start
                    yield self.diagnostic(
                        doc, start, max(value_end, start + len(name)),
                        f"the `{name}` attribute is not HTML5: {table['attributes'][name]}", severity=Severity.INFO,
                    )


# Liquid that decides how often (or whether) the HTML inside it is output; `include`,
# `assign`, `bibliography` and the like do not change the pairing of the page's own tags.
_LIQUID_BRANCH = re.compile(r"\{%-?\s*(?:if|unless|case|for|tablerow|capture|comment|raw)\b")
# Block elements whose end tag is required: one left open swallows the rest of the layout.
_BLOCK_TAGS = frozenset(
    "div section article aside nav header footer main table thead tbody tfoot ul ol dl details figure blockquote "
    "center form fieldset pre".split()
)


class UnbalancedHtml(Rule):
    code = "M002"
    name = "unbalanced-html"
    summary = "Block HTML tag opened and never closed, or closed without being opened"
    rationale = (
        "A `<div>` left open swallows everything after it into itself, so the theme's sidebar "
        "and footer end up inside the page content; a stray `</div>` closes one of the theme's "
        "own containers. Openings and closings of block elements are paired, and each one left "
        "over is reported with its line."
    )
    bad = '<div class="news">\n<div class="item">First item</div>\n\nMore text.\n'
    good = '<div class="news">\n<div class="item">First item</div>\n</div>\n\nMore text.\n'
    severity = Severity.WARNING

    def check(self, doc, options):
        if _LIQUID_BRANCH.search(doc.text, doc.body_start):
            return  # tags inside Liquid branches or loops cannot be paired without rendering
        stack = []
        for tag in doc.body.tags:
            if tag.name not in _BLOCK_TAGS or tag.self_closing:
                continue
            if not tag.closing:
                stack.append(tag)
            elif any(open_tag.name == tag.name for open_tag in stack):
                while stack and stack[-1].name != tag.name:
                    yield self._unclosed(doc, stack.pop())
                stack.pop()
            else:
                yield self.diagnostic(doc, tag.start, tag.end, f"`</{tag.name}>` closes no open `<{tag.name}>`")
        for tag in stack:
            yield self._unclosed(doc, tag)

    def _unclosed(self, doc, tag):
        return self.diagnostic(doc, tag.start, tag.end, f"`<{tag.name}>` is never closed")


class ImageAlt(Rule):
    code = "M003"
    name = "image-alt"
    summary = "Image without alternative text"
    rationale = (
        "Screen readers read the alternative text instead of the image, and search engines "
        "index it. `![](photo.jpg)` and `<img src=...>` without `alt` give them nothing; write "
        "what the image shows (`alt=\"\"` marks a purely decorative image)."
    )
    bad = "![](images/group-photo.jpg)\n"
    good = "![The lab at the 2024 retreat](images/group-photo.jpg)\n"

    def check(self, doc, options):
        for link in doc.links:
            if link.is_image and link.kind in ("inline", "reference") and not link.text.strip():
                yield self.diagnostic(doc, link.start, link.end, "image has no alternative text")
        for tag in doc.body.tags:
            if tag.name == "img" and not tag.closing and not any(name == "alt" for name, *_ in tag.attributes):
                yield self.diagnostic(doc, tag.start, tag.end, "`<img>` has no `alt` attribute")


class MissingImage(Rule):
    code = "M004"
    name = "missing-image"
    summary = "Image whose file does not exist in the site"
    rationale = (
        "An image path with a typo, or a photo never committed, shows as a broken icon. "
        "Internal image paths are resolved like links (with `baseurl` and `{{ base_path }}`)."
    )
    bad = "![Portrait](/images/portrait.jpeg)\n"
    good = "![Portrait](/images/portrait.jpg)\n"
    example_site = {"_config.yml": "title: Ada\n", "images/portrait.jpg": "JPEG"}

    def check(self, doc, options):
        if doc.site is None:
            return
        from pagelint.model import internal_links

        for link in doc.links:
            if link.url_start < 0 or not link.embeds:
                continue
            verdict = internal_links.resolve(doc.site, doc, link.url)
            if verdict is not None:
                yield self.diagnostic(doc, link.url_start, link.url_end, verdict[0].replace("points to", "shows"), replacement=verdict[1], safe=False)


_EMPHASIS = re.compile(r"(?<![*\w])\*\*[^*\n]{1,200}\*\*(?![*\w])|^ {0,3}#{1,6} \S.*$", re.MULTILINE)
_SHORTCODE_OPEN = re.compile(r"\{\{[<%]\s*[\w/.-]+")


class MarkdownInHtmlBlock(Rule):
    code = "M005"
    name = "markdown-in-html-block"
    summary = "Markdown syntax inside an HTML block, where Jekyll leaves it unconverted"
    rationale = (
        "kramdown does not convert Markdown inside an HTML block unless the block's opening tag "
        "has `markdown=\"1\"`: `**bold**` and `## headings` there are published with their "
        "asterisks and hashes. Add the attribute, or write HTML. Goldmark (Hugo) has no such attribute: "
        "like CommonMark it ends an HTML block at a blank line, after which Markdown is converted. "
        "(Links are reported by L001.)"
    )
    bad = "<div class=\"note\">\n**Hiring:** two PhD positions.\n</div>\n"
    good = "<div class=\"note\" markdown=\"1\">\n**Hiring:** two PhD positions.\n</div>\n"

    def check(self, doc, options):
        # Goldmark (Hugo) knows no `markdown="1"`: as in CommonMark, an HTML block ends at a blank line.
        goldmark = doc.site is not None and doc.site.markdown_engine == "goldmark"
        advice = "leave a blank line between the tag and the Markdown (Goldmark ends an HTML block there)" if goldmark else (
            "add `markdown=\"1\"` to the block's tag"
        )
        for region in doc.body.regions:
            if region.kind != "html" or doc.syntax != "markdown":
                continue
            for match in _EMPHASIS.finditer(doc.text, region.start, region.end):
                if doc.in_code(match.start()):
                    continue  # an HTML comment, `<pre>`, `<code>`, or raw text such as a reveal.js slide's `<textarea>`
                if _SHORTCODE_OPEN.search(doc.text, region.start, match.start()):
                    continue  # a shortcode renders its own content
                kind = "heading" if match.group().lstrip().startswith("#") else "bold text"
                yield self.diagnostic(
                    doc, match.start(), match.end(),
                    f"Markdown {kind} inside an HTML block is not converted: {advice}",
                )


_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+\S", re.MULTILINE)


class HeadingStructure(Rule):
    code = "M006"
    name = "heading-structure"
    summary = "Second top-level heading where the layout shows the title, or a skipped level"
    rationale = (
        "Themes render the front matter `title` as the page's top heading; another `#` heading "
        "makes two, and `##` followed by `####` skips a level. Screen-reader users navigate by "
        "these levels."
    )
    bad = "---\ntitle: Research\n---\n# Research\n\n## Projects\n\n#### Details\n"
    good = "---\ntitle: Research\n---\n## Projects\n\n### Details\n"
    severity = Severity.INFO

    def check(self, doc, options):
        if doc.syntax != "markdown":
            return
        previous = 1 if doc.data.get("title") else 0
        for region in doc.body.regions:
            if region.kind != "inline":
                continue
            heading = _ATX.match(doc.text, region.start, region.end)
            if heading is None:
                continue
            level = len(heading.group(1))
            if level == 1 and doc.data.get("title"):
                yield self.diagnostic(doc, heading.start(1), heading.end(1), "a second top-level heading: the layout already shows the page title")
            elif previous and level > previous + 1:
                yield self.diagnostic(doc, heading.start(1), heading.end(1), f"heading level {level} after level {previous} skips a level")
            previous = level


# Between two words, not after sentence punctuation (two spaces there are a typing habit)
# and not in table rows, where spaces align the columns.
_MARKER_ONLY = re.compile(r"[ \t]*(?:(?:[-+*]|\d{1,9}[.)]|>)[ \t]*)+")
_DOUBLE_SPACE = re.compile(r"(?<=[\w,;)*\]])  (?=[\w(*\[])")
# After a word, lower-case letters closed at once are part of the word: `work(ed)`, `approach(es)`.
_NO_SPACE_PAREN = re.compile(r"(?:(?<=[A-Za-z]{3})\((?![a-z]+\))|(?<=[0-9]{4})\()(?=e\.g\.|i\.e\.|[A-Za-z]{2,}[ ,)])")


class Whitespace(Rule):
    code = "M007"
    name = "whitespace"
    summary = "Doubled spaces or a missing space before `(` in prose"
    rationale = (
        "Doubled spaces in author lists (`Li,  Xuanyu`) and a missing space before a parenthesis "
        "(`Model(e.g., ...)`) are small, but visible in copy-pasted citations. Reported as "
        "information, with fixes; pagelint is not a Markdown formatter."
    )
    bad = "Hao Li,  Xuanyu Wang. Efficient Video Generation Model(e.g., diffusion).\n"
    good = "Hao Li, Xuanyu Wang. Efficient Video Generation Model (e.g., diffusion).\n"
    severity = Severity.INFO
    fixable = True

    def check(self, doc, options):
        text = doc.text
        for start, end in doc.prose_spans:
            span = text[start:end]
            for match in _DOUBLE_SPACE.finditer(text, start, end) if "  " in span else ():
                line_start = text.rfind("\n", 0, match.start()) + 1
                line_end = text.find("\n", match.end())
                if "|" in text[line_start : line_end if line_end >= 0 else len(text)]:
                    continue
                if _MARKER_ONLY.fullmatch(text, line_start, match.start()):
                    continue  # `*  item`: the indentation of a list item, not prose
                yield self.diagnostic(doc, match.start(), match.end(), "doubled space", replacement=" ")
            for match in _NO_SPACE_PAREN.finditer(text, start, end) if "(" in span else ():
                yield self.diagnostic(doc, match.start(), match.start() + 1, "missing space before `(`", replacement=" (")


class UnusedSuppression(Rule):
    code = "M100"
    name = "unused-suppression"
    summary = "A pagelint-disable comment that suppresses nothing"
    rationale = (
        "A suppression comment that no longer matches any finding hides nothing today but will "
        "silently hide a real problem tomorrow. Remove it."
    )
    bad = "<!-- pagelint-disable-next-line M001 -->\nNothing deprecated here.\n"
    good = "<!-- pagelint-disable-next-line M001 -->\n<center>Old layout</center>\n"
    severity = Severity.INFO
    fixable = True
    engine_reported = True


class UnknownSuppression(Rule):
    code = "M101"
    name = "unknown-suppression"
    summary = "A pagelint-disable comment that names no known rule"
    rationale = (
        "A suppression comment names rules by code, name, code prefix or category. A name that "
        "matches none of them is a typo, and the finding it meant to silence is still reported."
    )
    bad = "<!-- pagelint-disable-next-line M999 -->\n<center>Old layout</center>\n"
    good = "<!-- pagelint-disable-next-line M001 -->\n<center>Old layout</center>\n"
    engine_reported = True


RULES = (
    DeprecatedHtml(), UnbalancedHtml(), ImageAlt(), MissingImage(), MarkdownInHtmlBlock(), HeadingStructure(),
    Whitespace(), UnusedSuppression(), UnknownSuppression(),
)
