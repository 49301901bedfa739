"""Where Hugo publishes each page: a page's `url`, else its section's pattern of `permalinks`,
else its path in the content folder, a leaf bundle at its folder, `slug` in place of the last
part; lowercased, spaces made hyphens, under `/LANG/` for every language but the default one
(and for it too with `defaultContentLanguageInSubdir`), `/x.html` with `uglyURLs`; `aliases`
add redirect pages unless `disableAliases`. Every top-level folder of a content folder is a
section with a list page, and each taxonomy has pages of its own."""

from __future__ import annotations

import os
import re
import unicodedata
from functools import cached_property
from pathlib import PurePosixPath

from pagelint.model import front_matter
from pagelint.model.document import with_lf_line_breaks
from pagelint.model.generators.hugo_reading import PAGE_SUFFIXES, HugoReading
from pagelint.model.permalinks import PageUrl, PermalinkIndex, normalize

HEAD_BYTES = 16384


# The keys that decide whether and where a page is published, at the top level of its front matter.
_HEAD_KEYS = re.compile(
    r"^(title|slug|url|aliases|draft|date|publishdate|pubdate|published|expirydate|unpublishdate|headless|build|_build|cascade)"
    r"[ \t]*[:=][ \t]*(.*?)[ \t]*$",
    re.MULTILINE | re.IGNORECASE,
)
_TABLE = re.compile(r"^\[", re.MULTILINE)
_LIST_ITEM = re.compile(r"^[ \t]+-[ \t]*(.*?)[ \t]*$")


def read_head(raw: bytes) -> dict:
    """The keys of a page's front matter that decide whether and where it is published, from a
    bounded read of its head. A line scan for YAML and TOML, not a parse: the index reads every
    page of a site (parsing 2,000 TOML heads took 0.7 s of a one-file run); a `build` or
    `cascade` mapping, and JSON, are parsed."""
    head, _ = with_lf_line_breaks(raw.decode("utf-8", "replace"))
    block = front_matter.locate(head, json_allowed=True)
    if block is None or not block.closed:
        return {}
    content = head[block.content_start : block.content_end]
    if block.format == "toml" and (table := _TABLE.search(content)) is not None:
        content = content[: table.start()]  # keys after a table header are the table's
    data: dict = {}
    scanned = block.format != "json"
    for match in _HEAD_KEYS.finditer(content) if scanned else ():
        key, value = match.group(1).lower(), match.group(2)
        if key in ("build", "_build", "cascade"):
            scanned = False  # a mapping: parsed below
            break
        data[key] = _list(value, content[match.end() + 1 :]) if key == "aliases" else _scalar(value)
    if scanned:
        return data
    front_matter.parse(head, block, positions=False)
    return {str(key).lower(): value for key, value in block.data.items()} if isinstance(block.data, dict) else {}


def _scalar(raw: str) -> object:
    raw = raw.split(" #", 1)[0].strip()
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
        return raw[1:-1]
    return {"true": True, "false": False}.get(raw.lower(), raw)


def _list(value: str, rest: str) -> list:
    if value.startswith("["):
        return [_scalar(part) for part in value.strip("[]").split(",") if part.strip()]
    items = []
    for line in rest.split("\n"):
        item = _LIST_ITEM.match(line)
        if not item:
            break
        items.append(_scalar(item.group(1)))
    return items


_DROPPED = re.compile(r"[^\w./\\#~-]+")


def urlize(text: str, remove_accents: bool = False) -> str:
    """A path as Hugo writes it (seen with Hugo 0.111): spaces become hyphens, punctuation but
    `. / _ - # ~` is dropped, runs of hyphens are one, accents go with `removePathAccents`."""
    if remove_accents:
        text = "".join(char for char in unicodedata.normalize("NFD", text) if not unicodedata.combining(char))
    text = re.sub(r"\s+", "-", text.strip())
    return re.sub(r"-{2,}", "-", _DROPPED.sub("", text))


def _date_parts(data: dict) -> tuple[str, str, str]:
    date = str(data.get("date") or "")
    return date[:4], date[5:7], date[8:10]


def expand(pattern: str, path: PurePosixPath, section: str, data: dict) -> str:
    """A `permalinks` pattern filled in for a page at `path` in its content folder."""
    year, month, day = _date_parts(data)
    name = path.parent.name if path.stem in ("index", "_index") else path.stem
    title = str(data.get("title") or name)
    values = {
        "year": year, "month": month, "day": day, "section": section, "sections": str(path.parent),
        "filename": name, "contentbasename": name, "slug": str(data.get("slug") or title),
        "title": title, "slugorfilename": str(data.get("slug") or name),
    }
    return re.sub(r":([a-z]+)", lambda match: values.get(match.group(1), match.group(0)), pattern)


class HugoUrlIndex(PermalinkIndex):
    def __init__(self, site, reading: HugoReading):
        super().__init__(site)
        self.reading = reading

    @cached_property
    def _prefixes(self) -> dict[str, str]:
        config = self.site.config
        multilingual = len(self.reading.languages) > 1
        in_subdir = config.get("defaultcontentlanguageinsubdir") is True
        return {
            language: f"/{language}" if multilingual and (language != self.reading.default_language or in_subdir) else ""
            for language in self.reading.languages
        }

    def url_of(self, path: PurePosixPath, language: str, data: dict) -> str:
        config = self.site.config
        permalinks = config.get("permalinks") if isinstance(config.get("permalinks"), dict) else {}
        section = path.parts[0] if len(path.parts) > 1 else ""
        own = data.get("url")
        url = ("/" + own.lstrip("/")) if isinstance(own, str) and own else self._path_of(path, section, data, permalinks)
        return re.sub(r"/{2,}", "/", self._prefixes.get(language, "") + url)

    def _path_of(self, path: PurePosixPath, section: str, data: dict, permalinks: dict) -> str:
        """The URL a page without a `url` of its own gets from its place and its section's pattern."""
        config = self.site.config
        if section and path.stem != "_index" and isinstance(permalinks.get(section), str):
            url = expand(permalinks[section], path, section, data)
        else:
            folder = path.parent.as_posix() if path.parent.as_posix() != "." else ""
            if path.stem in ("index", "_index"):
                parts = folder.split("/") if folder else []
                if parts and data.get("slug") and path.stem == "index":
                    parts[-1] = str(data["slug"])
                url = "/" + "/".join(parts)
            else:
                url = f"/{folder}/{data.get('slug') or path.stem}" if folder else f"/{data.get('slug') or path.stem}"
        url = urlize(url, config.get("removepathaccents") is True)
        if config.get("disablepathtolower") is not True:
            url = url.lower()
        if config.get("uglyurls") is True and path.stem != "_index" and url != "/" and not url.endswith("/"):
            return url + ".html"
        return url if url.endswith("/") else url + "/"

    @cached_property
    def pages(self) -> list[PageUrl]:
        site = self.site
        result: list[PageUrl] = []
        sections: set[tuple[str, str]] = set()
        aliases = site.config.get("disablealiases") is not True
        for relative_name in sorted(site.files):
            if os.path.splitext(relative_name)[1].lower() not in PAGE_SUFFIXES:
                continue
            relative = PurePosixPath(relative_name)
            inside = self.reading.content_of(relative)
            if inside is None:
                continue
            folder, path = inside
            language = self.reading.content_dirs[folder]
            if len(path.parts) > 1:
                sections.add((path.parts[0], language))
            reading = self.reading.by_path(relative)
            if not reading.has_url:
                continue
            data = read_head(site.head(relative_name, HEAD_BYTES))
            if not self.reading.with_front_matter(reading, relative, data).has_url:
                continue
            suffix = path.suffixes[-2] if len(path.suffixes) > 1 else ""
            if suffix[1:].lower() in self.reading.languages:  # `about.fr.md` is the French `about`
                language = suffix[1:].lower()
                path = path.with_name(path.name.replace(suffix, "", 1))
            result.append(PageUrl(relative_name, self.url_of(path, language, data), "url" in data, language))
            for alias in data.get("aliases", []) if aliases and isinstance(data.get("aliases"), list) else []:
                if isinstance(alias, str):
                    result.append(PageUrl(relative_name, alias if alias.startswith("/") else "/" + alias, True, language))
        published = {normalize(page.url) for page in result}
        for section, language in sorted(sections):  # a list page, whether or not it has an `_index.md`
            url = self._prefixes.get(language, "") + f"/{section.lower()}/"
            if normalize(url) not in published:
                result.append(PageUrl(f"{section}/", url, False, language))  # no file: never one of a clash
        return result

    @cached_property
    def generated_prefixes(self) -> tuple[str, ...]:
        """The URLs under which Hugo makes pages of its own: each taxonomy's."""
        config = self.site.config
        taxonomies = config.get("taxonomies")
        plurals = [str(plural) for plural in taxonomies.values()] if isinstance(taxonomies, dict) else ["tags", "categories"]
        permalinks = config.get("permalinks") if isinstance(config.get("permalinks"), dict) else {}
        prefixes = set()
        for plural in plurals:
            prefixes.add(f"/{plural}/")
            pattern = permalinks.get(plural)
            if isinstance(pattern, str) and pattern.strip("/"):
                prefixes.add("/" + pattern.strip("/").split("/")[0] + "/")
        return tuple(sorted(prefix for base in self._prefixes.values() for prefix in (base + p for p in prefixes)))
