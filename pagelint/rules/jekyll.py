"""Jekyll rules (J): what makes `jekyll build` fail, or silently publish something else.

Jekyll reads YAML with Ruby's Psych and dates with Ruby's `Time.parse`, whose rules differ
from Python's: the date rules emulate Ruby, not PyYAML.
"""

from __future__ import annotations

import calendar
import re
from pathlib import Path, PurePosixPath

from pagelint.diagnostics import Severity
from pagelint.rules.base import Rule, SiteRule
from pagelint.text.distance import near

# Psych resolves a scalar to a Date only when it matches this (one-digit months allowed).
_PSYCH_DATE = re.compile(r"^\d{4}-(?:1[012]|0\d|\d)-(?:[12]\d|3[01]|0\d|\d)$")
_PSYCH_TIME = re.compile(
    r"^-?\d{4}-\d{1,2}-\d{1,2}(?:[Tt]|\s+)\d{1,2}:\d\d:\d\d(?:\.\d*)?(?:\s*(?:Z|[-+]\d{1,2}:?(?:\d\d)?))?$"
)
_LEADING_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})")
_DATED_KINDS_EXCLUDED = frozenset({"page", "config", "data", "unpublished"})


def jekyll_date(value: str) -> tuple[str, str]:
    """How Jekyll reads a front matter date: ("ok" | "fails" | "shifts", explanation)."""
    text = value.strip()
    leading = _LEADING_DATE.match(text)
    if leading and _PSYCH_TIME.match(text):
        return _check_calendar(leading)
    if not leading:
        if not re.search(r"\d", text):
            return "fails", f"`{text}` is no date: `jekyll build` stops with \"Invalid date\""
        return "ok", ""  # Ruby's Time.parse reads many other forms ("May 3, 2021")
    verdict, explanation = _check_calendar(leading)
    if verdict != "ok":
        return verdict, explanation
    rest = text[leading.end() :]
    if rest and not re.match(r"^(?:[Tt ]\d{1,2}:\d\d(?::\d\d)?(?:\.\d+)?\s*(?:Z|[-+]\d{1,2}:?\d\d)?)?$", rest):
        return "shifts", f"Jekyll reads `{text}` as {leading.group()} and ignores `{rest.strip()}`"
    return "ok", ""


def _check_calendar(date: re.Match[str]) -> tuple[str, str]:
    year, month, day = (int(part) for part in date.groups())
    if not 1 <= month <= 12:
        return "fails", f"month {month} does not exist: `jekyll build` stops with \"Invalid date\""
    if day == 0 or day > 31:
        return "fails", f"day {day} does not exist: `jekyll build` stops with \"Invalid date\""
    last = calendar.monthrange(year, month)[1]
    if day > last:
        shifted_month, shifted_day = (month % 12) + 1, day - last
        shifted_year = year + (month == 12)
        return (
            "shifts",
            f"{year}-{month:02d} has {last} days: Ruby moves the date to {shifted_year}-{shifted_month:02d}-{shifted_day:02d}",
        )
    return "ok", ""


def _date_position(doc):
    block = doc.front_matter
    if block is None or not isinstance(block.data, dict) or doc.kind in _DATED_KINDS_EXCLUDED:
        return None
    value = block.data.get("date")
    position = block.positions.get("date")
    if not isinstance(value, str) or position is None:
        return None
    return value, position


class InvalidDate(Rule):
    code = "J001"
    name = "invalid-date"
    summary = "Front matter date that stops `jekyll build`"
    rationale = (
        "Jekyll parses the `date` of posts and collection documents with Ruby's rules. A date it "
        "cannot read (`2020-13-01`, `TBD`) stops the whole build with \"Invalid date\", so the "
        "site is not updated at all, and GitHub Pages only says the build failed."
    )
    bad = "---\ntitle: EvoX\ndate: 2020-13-01\n---\n"
    good = "---\ntitle: EvoX\ndate: 2020-12-01\n---\n"
    example_path = "_publications/evox.md"
    example_site = {"_config.yml": "title: Ada\ncollections:\n  publications:\n    output: true\n"}
    severity = Severity.ERROR

    def check(self, doc, options):
        found = _date_position(doc)
        if found is not None:
            verdict, explanation = jekyll_date(found[0])
            if verdict == "fails":
                yield self.diagnostic(doc, found[1].value_start, found[1].value_end, explanation)


class AmbiguousDate(Rule):
    code = "J002"
    name = "ambiguous-date"
    summary = "Front matter date that Jekyll silently reads as another date"
    rationale = (
        "Ruby's date parser is forgiving: `2024-04-10 to 2024-04-12` and `1999-11-26-27` become "
        "the first day, `2019-02-30` becomes March 2. The page builds, but sorts and displays "
        "under a date the author did not write. Write one valid date (put ranges in another key)."
    )
    bad = "---\ntitle: Workshop talk\ndate: 2024-04-10 to 2024-04-12\n---\n"
    good = "---\ntitle: Workshop talk\ndate: 2024-04-10\n---\n"
    example_path = "_talks/workshop.md"
    example_site = {"_config.yml": "title: Ada\ncollections:\n  talks:\n    output: true\n"}

    def check(self, doc, options):
        found = _date_position(doc)
        if found is not None:
            verdict, explanation = jekyll_date(found[0])
            if verdict == "shifts":
                yield self.diagnostic(doc, found[1].value_start, found[1].value_end, explanation)


_POST_NAME = re.compile(r"^(\d{2,4}-\d{1,2}-\d{1,2})-(.+)\.[^.]+$")


class PostFilename(Rule):
    code = "J003"
    name = "post-filename"
    summary = "`_posts` file not named `YYYY-MM-DD-title.md`"
    rationale = (
        "Jekyll only publishes files in `_posts` whose names start with a date: any other name "
        "is skipped without a warning, and the post never appears. A file date that differs from "
        "the front matter `date` is reported as information (the front matter wins)."
    )
    bad = "---\ntitle: New paper\n---\nOut now.\n"
    good = "---\ntitle: New paper\n---\nOut now.\n"
    example_path = "_posts/new-paper.md"
    good_example_path = "_posts/2024-05-02-new-paper.md"
    example_site = {"_config.yml": "title: Ada\n"}

    def check(self, doc, options):
        if doc.kind != "post" or PurePosixPath(doc.path).parent.name == "_drafts" or doc.syntax not in ("markdown", "html"):
            return
        name = PurePosixPath(doc.path).name
        match = _POST_NAME.match(name)
        if match is None:
            yield self.diagnostic(doc, 0, 0, f"`{name}` does not start with YYYY-MM-DD-: Jekyll skips this post silently")
            return
        found = _date_position(doc)
        if found is not None:
            leading = _LEADING_DATE.match(found[0].strip())
            file_date = tuple(int(part) for part in match.group(1).split("-"))
            if leading and tuple(int(part) for part in leading.groups()) != file_date:
                yield self.diagnostic(
                    doc, found[1].value_start, found[1].value_end,
                    f"the file name says {match.group(1)} but `date` says {leading.group()}: the front matter wins",
                    severity=Severity.INFO,
                )


_PLACEHOLDERS = frozenset(
    "collection path name title slug year month day i_month i_day short_year categories output_ext basename "
    "hour minute second y_day short_month long_month week short_day long_day num lang".split()
)


class Permalink(Rule):
    code = "J004"
    name = "permalink"
    summary = "Permalink that does not start with `/`, ends in `.md`, or uses an unknown placeholder"
    rationale = (
        "A permalink is the page's URL. Without a leading `/` it is resolved against the site in "
        "ways that differ between Jekyll versions; ending in `.md` publishes the page under a "
        "Markdown name that browsers download instead of showing; an unknown `:placeholder` is "
        "published literally."
    )
    bad = "---\npermalink: publication/evox.md\n---\n"
    good = "---\npermalink: /publication/evox/\n---\n"
    fixable = True

    def check(self, doc, options):
        block = doc.front_matter
        if block is None or not isinstance(block.data, dict):
            return
        if doc.kind == "config":
            targets = [(path, value) for path, value in _config_permalinks(block.data)]
        else:
            targets = [("permalink", block.data.get("permalink"))]
        for path, value in targets:
            position = block.positions.get(path)
            if not isinstance(value, str) or position is None or value in ("pretty", "date", "ordinal", "none"):
                continue
            start, end = _value_span(doc, position)
            yield from self._check_one(doc, value, start, end)

    def _check_one(self, doc, value, start, end):
        if not value.startswith("/"):
            yield self.diagnostic(doc, start, end, f"permalink `{value}` should start with `/`", replacement="/" + value)
        if value.endswith((".md", ".markdown")):
            fixed = re.sub(r"\.(md|markdown)$", "/", value if value.startswith("/") else "/" + value)
            yield self.diagnostic(
                doc, start, end, f"permalink `{value}` publishes the page under a Markdown file name; browsers download it",
                replacement=fixed,
            )
        for placeholder in re.findall(r":([a-z_]+)", value):
            if placeholder not in _PLACEHOLDERS:
                yield self.diagnostic(doc, start, end, f"`:{placeholder}` is not a Jekyll permalink placeholder; it is published literally")


def _config_permalinks(data):
    if isinstance(data.get("permalink"), str):
        yield "permalink", data["permalink"]
    collections = data.get("collections")
    if isinstance(collections, dict):
        for name, settings in collections.items():
            if isinstance(settings, dict) and "permalink" in settings:
                yield f"collections.{name}.permalink", settings["permalink"]


def _value_span(doc, position) -> tuple[int, int]:
    start, end = position.value_start, position.value_end
    if end - start >= 2 and doc.text[start] in "'\"" and doc.text[end - 1] == doc.text[start]:
        return start + 1, end - 1
    return start, end


class DuplicatePermalink(SiteRule):
    code = "J005"
    name = "duplicate-permalink"
    summary = "Two pages published at the same URL"
    rationale = (
        "When two files claim one URL (a permalink copied from the template's sample post, a "
        "`redirect_from` that is another page's address), Jekyll writes one over the other and "
        "a page silently disappears. Every file involved is named. Sites that are multilingual "
        "by design (jekyll-polyglot `languages:` in `_config.yml`, or pages with different "
        "`lang:`) may publish one permalink per language."
    )
    bad = "---\ntitle: Future post\npermalink: /posts/2012/08/blog-post-4/\n---\n"
    good = "---\ntitle: Future post\npermalink: /posts/2199/01/future-post/\n---\n"
    example_path = "_posts/2199-01-01-future-post.md"
    example_site = {
        "_config.yml": "title: Ada\nfuture: true\n",  # as academicpages, whose sample post is dated 2199
        "_posts/2015-08-14-blog-post-4.md": "---\ntitle: Post 4\npermalink: /posts/2012/08/blog-post-4/\n---\n",
    }

    def collect(self, doc, options):
        """The page's clash, found against the site's permalink index (built once per
        process), so that only pages that clash are kept until the end of the run."""
        site = doc.site
        if site is None or doc.kind in ("config", "data", "unpublished") or doc.syntax not in ("markdown", "html"):
            return None
        relative = Path(doc.path).resolve().relative_to(site.root.resolve()).as_posix()
        clashes = site.permalinks.clashes.get(relative)
        if not clashes:
            return None
        url, others = clashes[0]
        block = doc.front_matter
        position = block.positions.get("permalink") if block is not None else None
        line, column = doc.position(position.value_start if position else 0)
        return doc.display_path, line, column, f"{url} is also the URL of {', '.join(others)}: one of them is silently not published"

    def finish(self, collected, options):
        for display, line, column, message in filter(None, collected):
            yield self.diagnostic_at(display, line, column, line, column, message)


class LiquidSyntax(Rule):
    code = "J006"
    name = "liquid-syntax"
    summary = "Unbalanced Liquid tags, or `{{` inside mathematics"
    rationale = (
        "Jekyll runs every page through Liquid before Markdown. An unclosed `{{`, `{%` or block "
        "tag (`if`, `for`, `capture`, `raw`, `comment`...) stops the build with a Liquid error; "
        "`{{` inside LaTeX (`\\frac{{a}}{b}`) is read as a Liquid variable and silently printed as "
        "nothing. Wrap such mathematics in `{% raw %}...{% endraw %}` or add spaces (`{ {`)."
    )
    bad = "{% if site.news %}\nNews: $\\frac{{a}}{b}$\n"
    good = "{% if site.news %}\nNews: {% raw %}$\\frac{{a}}{b}${% endraw %}\n{% endif %}\n"
    severity = Severity.ERROR

    BLOCKS = frozenset({"if", "unless", "case", "for", "capture", "raw", "comment", "tablerow", "highlight", "paginate"})

    def check(self, doc, options):
        text = doc.text
        if "{" not in text or doc.syntax == "yaml":
            return
        stack: list[tuple[str, int, int]] = []
        position = doc.body_start
        while True:
            start = _next_open(text, position)
            if start < 0:
                break
            closer = "}}" if text.startswith("{{", start) else "%}"
            end = text.find(closer, start + 2)
            newline_limit = text.find("\n\n", start)
            if end < 0 or (0 <= newline_limit < end and closer == "}}"):
                yield self.diagnostic(doc, start, start + 2, f"`{text[start:start + 2]}` is never closed with `{closer}`")
                position = start + 2
                continue
            position = end + 2
            if closer == "}}":
                if self._in_math(doc, start):
                    yield self.diagnostic(
                        doc, start, position,
                        f"`{text[start:position]}` inside mathematics is read by Liquid as a variable and printed as nothing",
                        severity=Severity.WARNING,
                    )
                continue
            tag = re.match(r"\{%-?\s*(\w+)", text[start:position])
            name = tag.group(1) if tag else ""
            if name in self.BLOCKS:
                if name in ("raw", "comment"):
                    close = re.compile(r"\{%-?\s*end" + name + r"\s*-?%\}").search(text, position)
                    if close is None:
                        yield self.diagnostic(doc, start, position, f"`{{% {name} %}}` has no `{{% end{name} %}}`")
                        return
                    position = close.end()
                    continue
                stack.append((name, start, position))
            elif name.startswith("end") and name[3:] in self.BLOCKS:
                if stack and stack[-1][0] == name[3:]:
                    stack.pop()
                else:
                    expected = f"`{{% end{stack[-1][0]} %}}`" if stack else "no open block"
                    yield self.diagnostic(doc, start, position, f"`{{% {name} %}}` closes nothing here (expected {expected})")
        for name, start, end in stack:
            yield self.diagnostic(doc, start, end, f"`{{% {name} %}}` is never closed with `{{% end{name} %}}`")

    @staticmethod
    def _in_math(doc, offset: int) -> bool:
        """Inside `$...$`, `$$...$$`, `\\(...\\)` or `\\[...\\]` on its line."""
        line_start = doc.line_starts[doc.position(offset)[0] - 1]
        before = doc.text[line_start:offset].replace("\\$", "")
        if before.count("$$") % 2 or before.replace("$$", "").count("$") % 2:
            return True
        return any(before.rfind(opening) > before.rfind(closing) for opening, closing in (("\\(", "\\)"), ("\\[", "\\]")))


def _next_open(text: str, position: int) -> int:
    first = text.find("{{", position)
    second = text.find("{%", position)
    candidates = [index for index in (first, second) if index >= 0]
    return min(candidates) if candidates else -1


class MissingPublicationCategory(Rule):
    code = "J007"
    name = "missing-publication-category"
    summary = "Publication without a `category` listed in `publication_category`"
    rationale = (
        "When `_config.yml` has `publication_category`, academicpages' publications page lists "
        "publications group by group; one whose `category` is missing or not one of the groups "
        "is in no group, and silently missing from the page."
    )
    bad = "---\ntitle: EvoX\ncollection: publications\n---\n"
    good = "---\ntitle: EvoX\ncollection: publications\ncategory: conferences\n---\n"
    example_path = "_publications/evox.md"
    example_site = {
        "_config.yml": "title: Ada\ncollections:\n  publications:\n    output: true\n"
        "publication_category:\n  books: {title: Books}\n  conferences: {title: Papers}\n"
    }

    def check(self, doc, options):
        if doc.kind != "publication" or doc.site is None or not isinstance(doc.data, dict) or not doc.front_matter:
            return
        groups = doc.site.config.get("publication_category")
        if not isinstance(groups, dict) or not groups:
            return
        listed = ", ".join(f"`{name}`" for name in groups)
        category = doc.data.get("category")
        block = doc.front_matter
        if category is None:
            yield self.diagnostic(
                doc, block.start, block.start + 3, f"no `category`: the publications page lists only {listed}"
            )
        elif str(category) not in groups:
            position = block.positions.get("category")
            start, end = (position.value_start, position.value_end) if position else (block.start, block.start + 3)
            yield self.diagnostic(
                doc, start, end, f"category `{category}` is not in publication_category ({listed}): the page is not listed"
            )


class ConfigSemantics(Rule):
    code = "J008"
    name = "config"
    summary = "`_config.yml` values Jekyll accepts but that break links or collections"
    rationale = (
        "`baseurl` must be empty or start with `/` and not end with it, and `url` needs a scheme "
        "and no trailing `/`, or every `relative_url` link is wrong. A collection whose folder "
        "does not exist publishes nothing, and a folder `_pulications` next to a collection "
        "`publications` is a misspelt collection whose pages are never built."
    )
    bad = "title: Ada\nurl: ada.github.io/\nbaseurl: /\n"
    good = "title: Ada\nurl: https://ada.github.io\nbaseurl: \"\"\n"
    example_path = "_config.yml"
    fixable = True

    def check(self, doc, options):
        if doc.kind != "config" or not isinstance(doc.data, dict):
            return
        block = doc.front_matter
        data = doc.data
        yield from self._baseurl(doc, block, data.get("baseurl"))
        yield from self._url(doc, block, data.get("url"))
        yield from self._collections(doc, block, data.get("collections"))

    def _baseurl(self, doc, block, value):
        position = block.positions.get("baseurl")
        if not isinstance(value, str) or not value or position is None:
            return
        start, end = _value_span(doc, position)
        fixed = "/" + value.strip("/") if value.strip("/") else ""
        if value != fixed:
            yield self.diagnostic(
                doc, start, end, f"baseurl `{value}` must be empty or start with `/` and not end with `/`",
                replacement=fixed,
            )

    def _url(self, doc, block, value):
        position = block.positions.get("url")
        if not isinstance(value, str) or not value or position is None:
            return
        start, end = _value_span(doc, position)
        if not re.match(r"^https?://", value):
            yield self.diagnostic(doc, start, end, f"url `{value}` needs a scheme (https://)", replacement="https://" + value.rstrip("/"), safe=False)
        elif value.endswith("/"):
            yield self.diagnostic(doc, start, end, f"url `{value}` must not end with `/`", replacement=value.rstrip("/"))

    def _collections(self, doc, block, collections):
        site = doc.site
        if site is None or not isinstance(collections, dict):
            return
        folders = {name for name in (part.split("/", 1)[0] for part in site.files) if name.startswith("_")}
        known = {f"_{name}" for name in collections} | {
            "_posts", "_drafts", "_pages", "_data", "_includes", "_layouts", "_sass", "_site", "_plugins", "_bibliography",
        }
        for name in collections:
            position = block.positions.get(f"collections.{name}")
            if f"_{name}" not in folders and position is not None:
                yield self.diagnostic(
                    doc, position.key_start, position.key_end, f"collection `{name}` has no folder `_{name}`: it publishes nothing",
                    severity=Severity.INFO,
                )
        for folder in sorted(folders - known):
            match = next((name for name in sorted(known) if near(folder, name)), None)
            if match:
                position = block.positions.get("collections")
                start = position.key_start if position else 0
                yield self.diagnostic(
                    doc, start, start + len("collections"),
                    f"folder `{folder}` looks like a misspelt `{match}`: its files are never built",
                )


RULES = (
    InvalidDate(), AmbiguousDate(), PostFilename(), Permalink(), DuplicatePermalink(), LiquidSyntax(),
    MissingPublicationCategory(), ConfigSemantics(),
)
