"""Where each page of a site is published, computed as Jekyll does, cheaply.

The index reads only the head of each page (its front matter), once per site and only when
a rule asks, so that a one-file pre-commit run on a large site does not parse every page.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import PurePosixPath
from urllib.parse import unquote

from pagelint.model import front_matter
from pagelint.model.document import HTML_SUFFIXES, MARKDOWN_SUFFIXES, with_lf_line_breaks

HEAD_BYTES = 4096
PAGE_SUFFIXES = MARKDOWN_SUFFIXES | HTML_SUFFIXES
_POST_NAME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$")
_STYLE_PATTERNS = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}


@dataclass(frozen=True, slots=True)
class PageUrl:
    source: str  # the file, relative to the site root
    url: str
    explicit: bool  # from a `permalink:` in the page's own front matter
    lang: str = ""  # the page's `lang:`: multilingual sites publish one URL per language


def normalize(url: str) -> str:
    """The form under which two URLs of one site are the same page: no query, fragment,
    `index.html`, `.html` or trailing slash."""
    url = unquote(url.split("#", 1)[0].split("?", 1)[0])
    if not url.startswith("/"):
        url = "/" + url
    for suffix in ("/index.html", "/index.htm", ".html", ".htm"):
        if url.endswith(suffix):
            url = url[: -len(suffix)]
            break
    return url.rstrip("/") or "/"


def output_path(url: str) -> str:
    """The file Jekyll writes for a URL: `/a/` is `/a/index.html`, `/a` is `/a.html`."""
    url = unquote(url.split("#", 1)[0].split("?", 1)[0])
    if not url.startswith("/"):
        url = "/" + url
    if url.endswith("/"):
        return url + "index.html"
    return url if PurePosixPath(url).suffix else url + ".html"


_HEAD_KEYS = re.compile(r"^(permalink|lang|date|slug|categories|category|redirect_from|published)[ \t]*:[ \t]*(.*?)[ \t]*$", re.MULTILINE)
_LIST_ITEM = re.compile(r"^[ \t]+-[ \t]*(.*?)[ \t]*$")


def read_front_matter(raw: bytes) -> dict:
    """The keys of a file's front matter that decide its URL, from a bounded read of its head.

    A line scan, not a YAML parse: the index reads every page of a site, and these keys are
    plain scalars (or, for `redirect_from`, a list of them) in practice."""
    head, _ = with_lf_line_breaks(raw.decode("utf-8", "replace"))
    block = front_matter.locate(head)
    if block is None or not block.closed:
        return {}
    content = head[block.content_start : block.content_end]
    data: dict = {}
    for match in _HEAD_KEYS.finditer(content):
        key, value = match.group(1), _scalar(match.group(2))
        if key == "redirect_from" and not value:
            items = []
            for line in content[match.end() + 1 :].split("\n"):
                item = _LIST_ITEM.match(line)
                if not item:
                    break
                items.append(_scalar(item.group(1)))
            data[key] = items
        elif key == "redirect_from" and value.startswith("["):
            data[key] = [_scalar(part) for part in value.strip("[]").split(",") if part.strip()]
        elif key == "published":
            data[key] = value.lower() not in ("false", "no", "off")  # YAML 1.1's false words, as Psych reads them
        else:
            data[key] = value  # a key given twice: Psych keeps the last
    return data


def _scalar(raw: str) -> str:
    raw = raw.split(" #", 1)[0].strip()
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
        return raw[1:-1]
    return raw


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def expand(pattern: str, relative: PurePosixPath, data: dict, collection: str | None) -> str:
    """A permalink pattern (`/:collection/:path/`, `/:year/:title/`) filled in for a file."""
    pattern = _STYLE_PATTERNS.get(pattern, pattern)
    if ":" not in pattern:
        return pattern
    stem = relative.stem
    post = _POST_NAME.match(stem)
    title = post.group(4) if post else stem
    date = str(data.get("date", ""))
    year, month, day = (post.group(1), post.group(2), post.group(3)) if post else (date[:4], date[5:7], date[8:10])
    inner = relative.relative_to(relative.parts[0]) if collection and len(relative.parts) > 1 else relative
    categories = data.get("categories") or data.get("category") or ""
    if isinstance(categories, list):
        categories = "/".join(str(item) for item in categories)
    values = {
        "collection": collection or "",
        "path": str(inner.with_suffix("")),
        "name": _slug(stem),
        "title": str(data.get("slug") or title),
        "slug": str(data.get("slug") or title),
        "year": year,
        "month": month,
        "i_month": month.lstrip("0"),
        "day": day,
        "i_day": day.lstrip("0"),
        "short_year": year[2:],
        "categories": str(categories).lower().replace(" ", "-"),
        "output_ext": ".html",
        "basename": stem,
    }
    url = re.sub(r":([a-z_]+)", lambda match: values.get(match.group(1), match.group(0)), pattern)
    return re.sub(r"/{2,}", "/", url)


class PermalinkIndex:
    """Every page's URL (and redirect_from URLs) of one site."""

    def __init__(self, site, one_url_per_language: bool = False):
        self.site = site
        self.one_url_per_language = one_url_per_language  # the generator publishes each page once per language

    @cached_property
    def pages(self) -> list[PageUrl]:
        site = self.site
        collections = site.collections
        site_pattern = site.config.get("permalink") if isinstance(site.config.get("permalink"), str) else "date"
        result: list[PageUrl] = []
        reading_rules = site.reading_rules
        for relative_name in sorted(site.files):
            if os.path.splitext(relative_name)[1].lower() not in PAGE_SUFFIXES:
                continue
            relative = PurePosixPath(relative_name)
            reading = reading_rules.by_path(relative)
            if not reading.has_url:
                continue  # not read (excluded, drafts, folders Jekyll skips), or no page of its own
            data = read_front_matter(site.head(relative_name, HEAD_BYTES))
            if not reading_rules.with_front_matter(reading, relative, data).has_url:
                continue
            top, nested, _ = relative_name.partition("/")
            collection = top[1:] if top.startswith("_") and nested else None
            lang = str(data.get("lang") or "")
            explicit = data.get("permalink")
            if isinstance(explicit, str) and explicit:
                result.append(PageUrl(relative_name, expand(explicit, relative, data, collection), True, lang))
            elif collection == "posts" or collection == "drafts":
                result.append(PageUrl(relative_name, expand(site_pattern, relative, data, "posts"), False, lang))
            elif collection and collection != "pages":
                pattern = collections.get(collection, {}).get("permalink") or "/:collection/:path:output_ext"
                result.append(PageUrl(relative_name, expand(str(pattern), relative, data, collection), False, lang))
            else:
                path = relative.relative_to("_pages") if collection == "pages" else relative
                result.append(PageUrl(relative_name, "/" + str(path.with_suffix(".html")), False, lang))
            redirects = data.get("redirect_from")
            for redirect in redirects if isinstance(redirects, list) else [redirects] if isinstance(redirects, str) else []:
                if isinstance(redirect, str):
                    result.append(PageUrl(relative_name, redirect, True, lang))
        return result

    @cached_property
    def by_url(self) -> dict[str, list[PageUrl]]:
        table: dict[str, list[PageUrl]] = {}
        for page in self.pages:
            table.setdefault(normalize(page.url), []).append(page)
        return table

    @cached_property
    def clashes(self) -> dict[str, list[tuple[str, list[str]]]]:
        """The files published at the same place as another file of the same language: each
        one's clashing URLs (in the order of its pages: its permalink, then its redirects)
        with the other files. Only clashing files are kept."""
        if self.one_url_per_language:
            return {}
        by_output: dict[str, list[tuple[int, PageUrl]]] = {}
        for index, page in enumerate(self.pages):
            by_output.setdefault(output_path(page.url), []).append((index, page))
        found: dict[str, list[tuple[int, str, list[str]]]] = {}
        for pages in by_output.values():
            for index, page in pages if len(pages) > 1 else ():
                others = sorted({other.source for _, other in pages if other.source != page.source and other.lang == page.lang})
                if others:
                    found.setdefault(page.source, []).append((index, page.url, others))
        return {source: [(url, others) for _, url, others in sorted(urls)] for source, urls in found.items()}

    def source_of(self, url: str) -> str | None:
        """The file published at `url` (a site-absolute path), if any page is."""
        pages = self.by_url.get(normalize(url))
        return pages[0].source if pages else None
