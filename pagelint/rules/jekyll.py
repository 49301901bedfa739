"""Jekyll rules (J): what makes `jekyll build` fail, or silently publish something else.

Each rule follows what Jekyll 4.3 itself does (bench/jekyll_compare.py builds every case with
the real `jekyll build`): dates are read as Psych and Ruby's `Time.parse` read them
(pagelint.model.generators.ruby_dates), Liquid as Liquid 5 parses it (pagelint.model.liquid).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import cache
from pathlib import Path, PurePosixPath

from pagelint.bounded_io import read_regular_file
from pagelint.data import load_json
from pagelint.diagnostics import Severity
from pagelint.model import liquid
from pagelint.model.front_matter import locate_displaced
from pagelint.model.generators.jekyll_reading import named_files, scholar_folder
from pagelint.model.generators.ruby_dates import JekyllDate, build_zone, read_date
from pagelint.rules.base import Rule, SiteRule
from pagelint.text.distance import near_index

# Pages, configuration and data files are no Jekyll documents: their `date` is never parsed.
_DATED_KINDS_EXCLUDED = frozenset({"page", "config", "data", "unpublished"})
# Jekyll's DATE_FILENAME_MATCHER: a document whose file name starts with a date takes it.
_DATED_NAME = re.compile(r"^(\d{2,4}-\d{1,2}-\d{1,2})-([^/]*)(\.[^.]+)$")


def _is_document(doc) -> bool:
    return doc.kind not in _DATED_KINDS_EXCLUDED


def _read(doc, value, quoted: bool) -> JekyllDate:
    config = doc.site.config if doc.site is not None else {}
    return read_date(value, quoted=quoted, zone=build_zone(config.get("timezone")), now=datetime.now(UTC))


def _front_matter_date(doc) -> tuple[JekyllDate, int, int] | None:
    """How Jekyll reads the document's `date`, and the span of its value."""
    block = doc.front_matter
    if block is None or not isinstance(block.data, dict) or not _is_document(doc) or "date" not in block.data:
        return None
    position = block.positions.get("date")
    if position is None:
        return None
    start, end = position.value_start, position.value_end
    quoted = end > start and doc.text[start] in "'\""
    return _read(doc, block.data["date"], quoted), start, end


class InvalidDate(Rule):
    code = "J001"
    generator = "jekyll"
    name = "invalid-date"
    summary = "Front matter date that stops `jekyll build`"
    rationale = (
        "Jekyll parses the `date` of posts and collection documents with Ruby's `Time.parse`. A "
        "date it cannot read stops the whole build with \"Invalid date\", so the site is not updated "
        "at all, and GitHub Pages only says the build failed. Ruby reads more than it seems, and "
        "less: `2023` is month 20, day 23; `02/13/2023` is month 13; `TBD` and an empty `date:` "
        "are no date."
    )
    bad = "---\ntitle: EvoX\ndate: 2020-13-01\n---\n"
    good = "---\ntitle: EvoX\ndate: 2020-12-01\n---\n"
    example_path = "_publications/evox.md"
    example_site = {"_config.yml": "title: Ada\ncollections:\n  publications:\n    output: true\n"}
    severity = Severity.ERROR

    def check(self, doc, options):
        found = _front_matter_date(doc)
        if found is not None and found[0].verdict == "fails":
            reading, start, end = found
            text = str(doc.data.get("date") if doc.data.get("date") is not None else "")
            yield self.diagnostic(doc, start, end, f"`jekyll build` stops with \"Invalid date '{text}'\": {reading.explanation}")


class AmbiguousDate(Rule):
    code = "J002"
    generator = "jekyll"
    name = "ambiguous-date"
    summary = "Front matter date that Jekyll reads as another day, or only in part"
    rationale = (
        "Ruby's date parser is forgiving: `2019-02-30` becomes March 2, `11/1/2016` is read day "
        "first, `14-Sep` takes the year of the build and the first of the month, and a time with a "
        "time zone can fall on another day in the time zone the site is built in (UTC on GitHub "
        "Pages, unless `timezone:` says otherwise). The page builds, but is dated, sorted and "
        "published under a day the author did not write: a warning names that day. A value that "
        "holds more than a date (`1993-10-12-15` for a three-day talk) is dated on its first date, "
        "usually what was meant: that is information."
    )
    bad = "---\ntitle: Workshop talk\ndate: 2019-02-30\n---\n"
    good = "---\ntitle: Workshop talk\ndate: 2019-02-28\n---\n"
    example_path = "_talks/workshop.md"
    example_site = {"_config.yml": "title: Ada\ncollections:\n  talks:\n    output: true\n"}

    def check(self, doc, options):
        found = _front_matter_date(doc)
        if found is None:
            return
        reading, start, end = found
        if reading.verdict in ("shifts", "ignores"):
            severity = Severity.INFO if reading.verdict == "ignores" else None
            yield self.diagnostic(doc, start, end, f"Jekyll {_dates(doc)} {reading.published}: {reading.explanation}", severity=severity)


def _dates(doc) -> str:
    return "publishes this post on" if doc.kind == "post" else "dates this page"


class PostFilename(Rule):
    code = "J003"
    generator = "jekyll"
    name = "post-filename"
    summary = "`_posts` file not named `YYYY-MM-DD-title.md`, or a file-name date Jekyll cannot read"
    rationale = (
        "Jekyll only publishes files in `_posts` whose names start with a date: any other name "
        "is skipped without a warning, and the post never appears. A document without a front "
        "matter `date` takes the date of its file name, read with Ruby's rules: `2023-13-01-x.md` "
        "stops the build, `2019-02-30-x.md` is dated March 2. A file date that differs from the "
        "front matter `date` is reported as information (the front matter wins)."
    )
    bad = "---\ntitle: New paper\n---\nOut now.\n"
    good = "---\ntitle: New paper\n---\nOut now.\n"
    example_path = "_posts/new-paper.md"
    good_example_path = "_posts/2024-05-02-new-paper.md"
    example_site = {"_config.yml": "title: Ada\n"}

    def check(self, doc, options):
        if not _is_document(doc) or doc.syntax not in ("markdown", "html"):
            return
        name = PurePosixPath(doc.path).name
        match = _DATED_NAME.match(name)
        is_draft = PurePosixPath(doc.path).parent.name == "_drafts"
        if match is None:
            if doc.kind == "post" and not is_draft:
                yield self.diagnostic(doc, 0, 0, f"`{name}` does not start with YYYY-MM-DD-: Jekyll skips this post silently")
            return
        if "date" not in doc.data:
            yield from self._file_date(doc, match.group(1))
            return
        found = _front_matter_date(doc)
        leading = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", str(doc.data["date"]).strip())
        file_date = tuple(int(part) for part in match.group(1).split("-"))
        if doc.kind == "post" and found is not None and leading and tuple(int(part) for part in leading.groups()) != file_date:
            yield self.diagnostic(
                doc, found[1], found[2], f"the file name says {match.group(1)} but `date` says {leading.group()}: the front matter wins",
                severity=Severity.INFO,
            )

    def _file_date(self, doc, written: str):
        reading = _read(doc, written, quoted=True)
        if reading.verdict == "fails":
            yield self.diagnostic(
                doc, 0, 0, f"the file name's date stops `jekyll build` with \"Invalid date '{written}'\": {reading.explanation}",
                severity=Severity.ERROR,
            )
        elif reading.verdict == "shifts":
            yield self.diagnostic(doc, 0, 0, f"Jekyll {_dates(doc)} {reading.published}, not {written}: {reading.explanation}")


@cache
def _placeholders(kind: str) -> frozenset[str]:
    return frozenset(load_json("jekyll.json")["permalink_placeholders"][kind])


_EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


class Permalink(Rule):
    code = "J004"
    generator = "jekyll"
    name = "permalink"
    summary = "Permalink that is a URL, does not start with `/`, has spaces, ends in `.md`, or uses an unknown placeholder"
    rationale = (
        "A permalink is the page's path on this site. A full URL (`https://...`) is published as a "
        "folder of this site (`/https:/...`): link to the other site instead, or redirect to it with "
        "jekyll-redirect-from's `redirect_to`. Without a leading `/` the path is resolved in ways "
        "that differ between Jekyll versions; spaces stay raw in the URL of every link to the page; "
        "ending in `.md` publishes the page under a Markdown "
        "name that browsers download instead of showing. An unknown `:placeholder` stops the build "
        "in a post's or a collection's permalink; a page knows only `:path`, `:basename` and "
        "`:output_ext`, and publishes any other placeholder literally."
    )
    bad = "---\npermalink: publication/evox.md\n---\n"
    good = "---\npermalink: /publication/evox/\n---\n"
    fixable = True

    def check(self, doc, options):
        block = doc.front_matter
        if block is None or not isinstance(block.data, dict):
            return
        targets = list(_config_permalinks(block.data)) if doc.kind == "config" else [("permalink", block.data.get("permalink"))]
        placeholders = "page" if doc.kind == "page" else "document"
        for path, value in targets:
            position = block.positions.get(path)
            if not isinstance(value, str) or position is None or value in ("pretty", "date", "ordinal", "none"):
                continue
            start, end = _value_span(doc, position)
            yield from self._check_one(doc, value, start, end, placeholders)

    def _check_one(self, doc, value, start, end, placeholders):
        if _EXTERNAL.match(value):
            # Jekyll keeps the URL as a path: one leading `/`, repeated slashes squeezed.
            published = re.sub("/+", "/", "/" + value.replace("..", "/").replace("./", ""))
            yield self.diagnostic(
                doc, start, end,
                f"a permalink is a path on this site, not a URL: Jekyll publishes this page at `{published}`; "
                f"link to {value} instead, or redirect there with `redirect_to` (jekyll-redirect-from)",
            )
            return
        if not value.startswith("/"):
            yield self.diagnostic(doc, start, end, f"permalink `{value}` should start with `/`", replacement="/" + value)
        if " " in value.strip():
            # Seen with jekyll 4.3: the file is written with the spaces and `page.url` keeps them raw in every link.
            yield self.diagnostic(
                doc, start, end,
                f"permalink `{value.strip()}` has spaces: every link to it holds them raw "
                "(invalid in an `href`, cut where the URL is pasted); write hyphens",
            )
        if value.endswith((".md", ".markdown")):
            fixed = re.sub(r"\.(md|markdown)$", "/", value if value.startswith("/") else "/" + value)
            yield self.diagnostic(
                doc, start, end, f"permalink `{value}` publishes the page under a Markdown file name; browsers download it",
                replacement=fixed,
            )
        known = _placeholders(placeholders)
        for placeholder in dict.fromkeys(re.findall(r":([a-z_]+)", value)):
            if placeholder in known or placeholder.removesuffix("_") in known:
                continue
            if placeholders == "page":
                yield self.diagnostic(
                    doc, start, end,
                    f"`:{placeholder}` means nothing in a page's permalink (pages know :path, :basename and :output_ext): "
                    f"Jekyll publishes this page at `{value}` literally",
                )
            else:
                yield self.diagnostic(
                    doc, start, end,
                    f"`:{placeholder}` is not a permalink placeholder of posts and collections: `jekyll build` stops with "
                    f"\"The URL template doesn't have {placeholder} keys\"",
                    severity=Severity.ERROR,
                )


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
        relative = site.relative(Path(doc.path))
        clashes = site.permalinks.clashes.get(relative.as_posix()) if relative is not None else None
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


def _renders_liquid(doc) -> bool:
    """Whether Jekyll runs this file through Liquid: a file of a Jekyll site (the rules that ask
    run only there: another generator's `{{` is not Liquid); posts, includes and layouts always, other files only when front matter
    starts them (else they are copied as they are, and a byte order mark before `---` makes them
    so too); never with `render_with_liquid: false`."""
    if doc.site is None or doc.is_data_file or doc.data.get("render_with_liquid") is False:
        return False
    if doc.kind == "post" or _site_folder(doc) in ("_includes", "_layouts"):
        return True
    block = doc.front_matter
    return block is not None and block.closed and not doc.has_bom


def _site_folder(doc) -> str:
    relative = doc.site.relative(Path(doc.path)) if doc.site is not None else None
    return relative.parts[0] if relative is not None and len(relative.parts) > 1 else ""


def _gemfile_plugins(root: Path) -> bool:
    """Jekyll also loads every gem of the Gemfile's `jekyll_plugins` group."""
    try:
        return "jekyll_plugins" in (root / "Gemfile").read_text("utf-8", "replace")
    except OSError:
        return False


def _uses_scholar(config: dict) -> bool:
    plugins = config.get("plugins") or config.get("gems") or ()
    return isinstance(config.get("scholar"), dict) or (isinstance(plugins, list) and "jekyll-scholar" in plugins)


def _top_folders(site) -> set[str]:
    return {name.split("/", 1)[0] for name in site.directories}


def _plugins(doc) -> tuple[str, ...]:
    config = doc.site.config if doc.site is not None else {}
    names = [name for key in ("plugins", "gems") if isinstance(config.get(key), list) for name in config[key]]
    return tuple(str(name) for name in names)


def _liquid_events(doc) -> list:
    """The page's Liquid, parsed once for the rules that read it."""
    if "liquid" not in doc.memo:
        known = liquid.tags_for(_plugins(doc))
        doc.memo["liquid"] = list(liquid.parse(doc.text, doc.body_start, known)) if "{" in doc.text else []
    return doc.memo["liquid"]


class LiquidSyntax(Rule):
    code = "J006"
    generator = "jekyll"
    name = "liquid-syntax"
    summary = "Liquid that stops `jekyll build`, or `{{` inside mathematics"
    rationale = (
        "Jekyll runs every page through Liquid before Markdown, and a Liquid syntax error stops "
        "the whole build: an unclosed `{{`, `{%` or block (`if`, `for`, `capture`, `raw`...), a "
        "branch out of place (`{% else %}` outside `if`), a tag neither Liquid nor Jekyll defines "
        "(unless a plugin of the site does), and broken Liquid inside `{% comment %}`, whose blocks "
        "are still parsed. Liquid does not see `{%- endraw`: end a raw block with `{% endraw %}`. "
        "`{{` inside LaTeX (`\\frac{{a}}{b}`) is read as a Liquid variable and silently printed as "
        "nothing: wrap such mathematics in `{% raw %}...{% endraw %}` or add spaces (`{ {`). Pages "
        "with `render_with_liquid: false`, and files Jekyll copies without front matter, are not Liquid."
    )
    bad = "---\ntitle: News\n---\n{% if site.news %}\nNews: $\\frac{{a}}{b}$\n"
    good = "---\ntitle: News\n---\n{% if site.news %}\nNews: {% raw %}$\\frac{{a}}{b}${% endraw %}\n{% endif %}\n"
    example_site = {"_config.yml": "title: Ada\n"}
    severity = Severity.ERROR

    def check(self, doc, options):
        if "{" not in doc.text or not _renders_liquid(doc):
            return
        for event in _liquid_events(doc):
            if isinstance(event, liquid.Problem):
                if event.unknown:
                    yield self._unknown_tag(doc, event)
                else:
                    yield self.diagnostic(doc, event.start, event.end, f"{event.message}: `jekyll build` stops with a Liquid syntax error")
            elif (
                isinstance(event, liquid.Variable) and not event.in_comment and self._in_math(doc, event.start)
                and not doc.in_code(event.start) and not _LIQUID_EXPRESSION.match(doc.text, event.start)
            ):
                yield self.diagnostic(
                    doc, event.start, event.end,
                    f"`{doc.text[event.start:event.end]}` inside mathematics is read by Liquid as a variable and printed as nothing",
                    severity=Severity.WARNING,
                )

    def _unknown_tag(self, doc, event):
        name = event.unknown
        unknown_plugins = [plugin for plugin in _plugins(doc) if plugin not in liquid.known_plugins()]
        has_own_plugins = "_plugins" in _top_folders(doc.site) or _gemfile_plugins(doc.site.root)
        if not unknown_plugins and not has_own_plugins:
            return self.diagnostic(doc, event.start, event.end, f"{event.message}: `jekyll build` stops with \"Unknown tag '{name}'\"")
        where = "`_plugins/`, the Gemfile or a plugin" if has_own_plugins else "a plugin"
        return self.diagnostic(
            doc, event.start, event.end,
            f"{event.message}, nor of a plugin pagelint knows: unless {where} of this site defines it, "
            f"`jekyll build` stops with \"Unknown tag '{name}'\"",
            severity=Severity.INFO,
        )

    @staticmethod
    def _in_math(doc, offset: int) -> bool:
        """Inside `$...$`, `$$...$$`, `\\(...\\)` or `\\[...\\]` on its line."""
        line_start = doc.line_starts[doc.position(offset)[0] - 1]
        before = doc.text[line_start:offset].replace("\\$", "")
        if before.count("$$") % 2 or before.replace("$$", "").count("$") % 2:
            return True
        return any(before.rfind(opening) > before.rfind(closing) for opening, closing in (("\\(", "\\)"), ("\\[", "\\]")))


_POST_NAME = re.compile(r"^(.+/)*(\d+-\d+-\d+)-(.*)$")
# `{{ honor.amount | remove: "$" }}`, `{{ tag.id }}`: an object's path or a filter is Liquid written
# on purpose beside a dollar sign; TeX's `{{a}}` is neither.
_LIQUID_EXPRESSION = re.compile(r"\{\{-?\s*(?:[A-Za-z_][\w-]*(?:\.[\w-]+|\[[^\]\n]*\])+[^}\n]*|[^}\n]*\|[^}\n]*)\}\}")


class MissingLiquidTarget(Rule):
    code = "J009"
    generator = "jekyll"
    name = "missing-liquid-target"
    summary = (
        "`{% include %}`, `{% include_relative %}`, `{% post_url %}`, `{% link %}`, `{% bibliography --file %}` of a file the site lacks, "
        "`{% cite %}` of a key"
    )
    rationale = (
        "Jekyll looks these files up while it builds, and one that is not there stops the whole "
        "build (\"Could not locate the included file\", \"Could not find post\", \"Could not find "
        "document\"; jekyll-scholar's `--file`, read from `scholar.source`: \"No such file or "
        "directory\", judged where that folder is there). A `{% cite %}` key the bibliography "
        "lacks does not stop the build: the page shows `(missing reference)` (a warning). An "
        "include may also come from the site's theme: when the site names a theme, or lacks its "
        "own `_layouts/`, pagelint cannot know, and says so as information."
    )
    bad = "---\ntitle: About\n---\n{% include sidebar.html %}\n"
    good = "---\ntitle: About\n---\n{% include note.html %}\n"
    example_site = {"_config.yml": "title: Ada\n", "_includes/note.html": "<p>note</p>\n", "_layouts/default.html": "{{ content }}\n"}
    severity = Severity.ERROR

    def check(self, doc, options):
        if doc.site is None or "{%" not in doc.text or not _renders_liquid(doc):
            return
        for event in _liquid_events(doc):
            if not isinstance(event, liquid.Tag) or event.in_comment or "{{" in event.markup or not event.markup:
                continue
            target = event.markup.split()[0]
            if event.name == "include":
                yield from self._include(doc, event, target)
            elif event.name == "include_relative":
                folder = PurePosixPath(doc.site.relative(Path(doc.path)) or "").parent
                path = (folder / target).as_posix() if str(folder) != "." else target
                if path not in doc.site.files:
                    yield self.diagnostic(
                        doc, event.start, event.end, f"`{path}` does not exist: `jekyll build` stops with \"Could not locate the included file\""
                    )
            elif event.name == "post_url":
                yield from self._post_url(doc, event, target)
            elif event.name == "link" and target.lstrip("/") not in doc.site.files:
                message = f"`{target}` is no file of this site: `jekyll build` stops with \"Could not find document '{target}'\""
                yield self.diagnostic(doc, event.start, event.end, message)
            elif event.name in ("bibliography", "bibliography_count") and _uses_scholar(doc.site.config):
                yield from self._bibliography(doc, event)
            elif event.name in ("cite", "cite_details") and _uses_scholar(doc.site.config):
                yield from self._cite(doc, event, target)

    def _include(self, doc, event, target):
        site = doc.site
        folder = str(site.config.get("includes_dir") or "_includes").strip("/")
        if f"{folder}/{target}" in site.files:
            return
        theme = site.config.get("remote_theme") or site.config.get("theme")
        folders = _top_folders(site)
        if not theme and {folder, "_layouts"} <= folders:
            yield self.diagnostic(
                doc, event.start, event.end,
                f"`{target}` is not in {folder}/ and no theme could provide it: "
                f"`jekyll build` stops with \"Could not locate the included file '{target}'\"",
            )
        elif folder in folders:
            provider = f"the theme (`{theme}`)" if theme else "GitHub Pages' default theme"
            yield self.diagnostic(
                doc, event.start, event.end,
                f"`{target}` is not in {folder}/: unless {provider} provides it, `jekyll build` stops with \"Could not locate the included file\"",
                severity=Severity.INFO,
            )

    def _bibliography(self, doc, event):
        folder = scholar_folder(doc.site.config)
        if folder not in doc.site.directories:
            return  # a copy of the site without its bibliography (the text of a site, without its data) cannot be judged
        markup_at = doc.text.find(event.markup, event.start, event.end)
        for name, offset in named_files(event.markup):
            # jekyll-scholar joins the name to `scholar.source` and adds `.bib` when that path is no file.
            candidates = {f"{folder}/{name.lstrip('/')}", f"{folder}/{name.lstrip('/')}.bib"}
            if candidates.isdisjoint(doc.site.files):
                start = markup_at + offset if markup_at >= 0 else event.start
                yield self.diagnostic(
                    doc, start, start + len(name),
                    f"`--file {name}`: `{folder}/` has no `{name}` nor `{name}.bib`: `jekyll build` stops (\"No such file or directory\")",
                )

    def _cite(self, doc, event, key):
        """A key the cited bibliography lacks: jekyll-scholar prints its `missing_reference` text,
        `(missing reference)` by default, in place of the citation (judged where that file is there)."""
        folder = scholar_folder(doc.site.config)
        files = named_files(event.markup)
        named = files[0][0] if files else doc.site.config["scholar"].get("bibliography") or "references.bib"
        if not isinstance(named, str) or "{{" in key:
            return
        path = next((candidate for candidate in (f"{folder}/{named}", f"{folder}/{named}.bib") if candidate in doc.site.files), None)
        bibliography = next((bib for bib in doc.site.bibliographies if bib.display_path == path), None)
        if bibliography is not None and key not in {entry.key for entry in bibliography.bibliography.entries}:
            yield self.diagnostic(
                doc, event.start, event.end, f"`{key}` is no entry of {path}: jekyll-scholar prints `(missing reference)` (its `missing_reference`)",
                severity=Severity.WARNING,
            )

    def _post_url(self, doc, event, target):
        match = _POST_NAME.match(target.lstrip("/"))
        if match is None:
            yield self.diagnostic(doc, event.start, event.end, f"`{target}` is no post name (YYYY-MM-DD-title): `jekyll build` stops")
            return
        path, day, slug = match.group(1) or "", match.group(2), match.group(3)
        exact = re.compile(rf"^(?:_posts/{re.escape(path)}|{re.escape(path)}_posts/?){re.escape(day)}-{re.escape(slug)}\.[^./]+$")
        # Jekyll still accepts, with a deprecation warning, a post of that date and title in any folder.
        anywhere = re.compile(rf"(?:^|/)_posts/(?:.+/)?{re.escape(day)}-{re.escape(slug)}\.[^./]+$")
        posts = [name for name in doc.site.files if "_posts/" in name]
        if not any(exact.match(name) or anywhere.search(name) for name in posts):
            yield self.diagnostic(
                doc, event.start, event.end, f"no post is named `{target}`: `jekyll build` stops with \"Could not find post \\\"{target}\\\"\""
            )


class FrontMatterPosition(Rule):
    code = "J010"
    generator = "jekyll"
    name = "front-matter-position"
    summary = "Front matter that does not start the file"
    rationale = (
        "Jekyll reads front matter only when `---` is the very first line of the file. After a "
        "blank line (or spaces) it sees none: a page or collection document is copied to the site "
        "as it is, Markdown and all, and a post is built without its title, layout or date, its "
        "front matter printed as text."
    )
    bad = "\n---\ntitle: About\n---\nAbout me.\n"
    good = "---\ntitle: About\n---\nAbout me.\n"
    fixable = True

    def check(self, doc, options):
        if doc.is_data_file or doc.front_matter is not None or not doc.text[:1].isspace():
            return
        block = locate_displaced(doc.text)
        if block is None:
            return
        if doc.kind == "post":
            effect = "Jekyll builds this post without it: its front matter printed as text, without title or layout"
        else:
            effect = "Jekyll copies this file to the site as it is, unbuilt"
        yield self.diagnostic(
            doc, block.start, block.start + 3, f"front matter must start on the first line: {effect}", replacement="", fix_span=(0, block.start)
        )


class MissingPublicationCategory(Rule):
    code = "J007"
    generator = "jekyll"
    name = "missing-publication-category"
    summary = "Publication without a `category` listed in `publication_category`"
    rationale = (
        "When `_config.yml` has `publication_category`, academicpages' publications page lists "
        "publications group by group; one whose `category` is missing or not one of the groups "
        "is in no group, and silently missing from the page. A site whose own publications page "
        "lists every publication, reading no `publication_category`, is not judged."
    )
    bad = "---\ntitle: EvoX\ncollection: publications\n---\n"
    good = "---\ntitle: EvoX\ncollection: publications\ncategory: conferences\n---\n"
    example_path = "_publications/evox.md"
    example_site = {
        "_config.yml": "title: Ada\ncollections:\n  publications:\n    output: true\n"
        "publication_category:\n  books: {title: Books}\n  conferences: {title: Papers}\n",
        "_pages/publications.html": "{% for category in site.publication_category %}{{ category[1].title }}{% endfor %}\n",
    }

    def check(self, doc, options):
        if doc.kind != "publication" or doc.site is None or not isinstance(doc.data, dict) or not doc.front_matter:
            return
        groups = doc.site.config.get("publication_category")
        if not isinstance(groups, dict) or not groups or not _lists_by_category(doc.site):
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


@cache
def _lists_by_category(site) -> bool:
    """Whether a page of the site lists its publications by `publication_category`, as
    academicpages' own does; a site that wrote its own list of every publication does not."""
    for name in sorted(site.files):
        if "publication" in name.lower() and name.endswith((".md", ".markdown", ".html")) and not name.startswith("_publications/"):
            try:
                if "publication_category" in read_regular_file(site.root / name, site.max_file_size).decode("utf-8", "replace"):
                    return True
            except OSError:
                continue
    return False


class ConfigSemantics(Rule):
    code = "J008"
    generator = "jekyll"
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
            match = near_index(tuple(sorted(known))).first_near(folder)
            if match:
                position = block.positions.get("collections")
                start = position.key_start if position else 0
                yield self.diagnostic(
                    doc, start, start + len("collections"),
                    f"folder `{folder}` looks like a misspelt `{match}`: its files are never built",
                )


RULES = (
    InvalidDate(), AmbiguousDate(), PostFilename(), Permalink(), DuplicatePermalink(), LiquidSyntax(),
    MissingPublicationCategory(), ConfigSemantics(), MissingLiquidTarget(), FrontMatterPosition(),
)
