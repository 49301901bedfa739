"""Jekyll, as the academicpages and al-folio templates use it."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import yaml

from pagelint.bounded_io import read_regular_file
from pagelint.model.front_matter import JekyllLoader
from pagelint.model.generators.base import Generator, Site
from pagelint.model.generators.jekyll_reading import BIBLIOGRAPHY_TAG, JekyllReading, named_files

if TYPE_CHECKING:
    from pagelint.model.permalinks import PermalinkIndex

# Collections that academicpages and al-folio define; a site's own `collections:` adds more.
KNOWN_COLLECTION_KINDS = {
    "_posts": "post",
    "_drafts": "post",
    "_publications": "publication",
    "_talks": "talk",
    "_teaching": "teaching",
    "_portfolio": "portfolio",
    "_news": "news",
    "_projects": "project",
    "_pages": "page",
    "_data": "data",
}


_PAGE_SUFFIXES = (".md", ".markdown", ".html", ".htm", ".liquid")


def _bibliographies_named_by_pages(site: Site) -> frozenset[str]:
    """The names that the site's pages give `{% bibliography --file NAME %}` (each page's head read once)."""
    found: set[str] = set()
    for name in site.files:
        if name.endswith(_PAGE_SUFFIXES) and not name.startswith("_site/"):
            text = site.head(name, site.max_file_size).decode("utf-8", "replace")
            if "bibliography" in text:
                found.update(PurePosixPath(named).name for match in BIBLIOGRAPHY_TAG.finditer(text) for named, _ in named_files(match.group(1)))
    return frozenset(found)


class Jekyll(Generator):
    name = "jekyll"
    config_names = ("_config.yml", "_config.yaml")
    skipped_folders = frozenset({"_site", "vendor", "node_modules", ".git", ".jekyll-cache", ".sass-cache", ".bundle"})
    template_language = "liquid"

    def read_config(self, path: Path, max_size: int) -> dict:
        try:
            data = yaml.load(read_regular_file(path, max_size).decode("utf-8", "replace"), Loader=JekyllLoader)
        except (yaml.YAMLError, OSError, RecursionError):
            return {}
        return data if isinstance(data, dict) else {}

    def reads_beside_pages(self, path: Path) -> bool:
        return path.name in self.config_names or (path.parent.name == "_data" and path.suffix.lower() in (".yml", ".yaml"))

    def template(self, site: Site) -> str:
        """"academicpages", "al-folio" or "jekyll"."""
        config = site.config
        theme = str(config.get("remote_theme") or config.get("theme") or "").lower()
        # al-folio keeps news in `_news` and its bibliography in jekyll-scholar's settings.
        if "al-folio" in theme or (site.root / "_news").is_dir() or isinstance(config.get("scholar"), dict):
            return "al-folio"
        # academicpages is a minimal-mistakes fork that adds publications.
        if "minimal-mistakes" in theme or "publication_category" in config or (site.root / "_publications").is_dir():
            return "academicpages"
        return "jekyll"

    def collections(self, site: Site) -> dict[str, dict]:
        declared = site.config.get("collections")
        if isinstance(declared, list):
            return {str(name): {} for name in declared}
        if isinstance(declared, dict):
            return {str(name): settings if isinstance(settings, dict) else {} for name, settings in declared.items()}
        return {}

    def kind_of(self, site: Site, relative: PurePosixPath) -> str:
        parts = relative.parts
        if len(parts) == 1 and parts[0] in self.config_names:
            return "config"
        if "_posts" in parts[:-1] or "_drafts" in parts[:-1]:
            return "post"
        if parts and parts[0].startswith("_"):
            folder = parts[0]
            if folder in KNOWN_COLLECTION_KINDS:
                return KNOWN_COLLECTION_KINDS[folder]
            if folder[1:] in site.collections:
                return folder[1:]
        return "page"

    def markdown_engine(self, site: Site) -> str:
        engine = site.config.get("markdown")
        return engine.lower() if isinstance(engine, str) and engine.strip() else "kramdown"

    def reading_rules(self, site: Site) -> JekyllReading:
        return JekyllReading(site.config, site.collections, bibliographies_named_by_pages=lambda: _bibliographies_named_by_pages(site))

    def url_index(self, site: Site) -> PermalinkIndex:
        from pagelint.model.permalinks import PermalinkIndex

        # jekyll-polyglot publishes each page once per language, so its pages never clash.
        return PermalinkIndex(site, one_url_per_language="languages" in site.config)

    def baseurl(self, site: Site) -> str:
        value = site.config.get("baseurl")
        return value.rstrip("/") if isinstance(value, str) else ""

    def owner_names(self, site: Site) -> list[str]:
        author = site.config.get("author")
        values = (author.get("name") if isinstance(author, dict) else None, site.config.get("name"))
        return [value for value in values if isinstance(value, str)]

    def names_in_config(self, site: Site) -> str:
        config = site.config
        parts = [str(config.get(key, "")) for key in ("name", "title", "first_name", "last_name")]
        author = config.get("author")
        parts.append(" ".join(str(value) for value in author.values()) if isinstance(author, dict) else str(author or ""))
        return " ".join(parts)

