"""Hugo, as the Hugo Blox academic template (formerly Wowchemy and hugo-academic) uses it."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from pagelint.model.generators import hugo_config
from pagelint.model.generators.base import Generator, Site
from pagelint.model.generators.hugo_reading import LEAF_INDEXES, HugoReading

if TYPE_CHECKING:
    from pagelint.model.generators.hugo_urls import HugoUrlIndex

# Sections of the Hugo Blox template, as its layouts name them -> the page kind of their pages.
SECTION_KINDS = {
    "publication": "publication",
    "publications": "publication",
    "event": "event",
    "talk": "event",
    "talks": "event",
    "post": "post",
    "posts": "post",
    "project": "project",
    "projects": "project",
}
# What marks a site as built with Hugo Blox: its modules or theme, by their names over the years.
_BLOX_MARKS = ("hugo-blox", "hugoblox", "wowchemy", "academic", "starter-hugo")
# A `config.*` file is also many another tool's name: it marks a Hugo site only beside one of these.
_HUGO_FOLDERS = ("content", "archetypes", "layouts", "themes")


class Hugo(Generator):
    name = "hugo"
    config_names = hugo_config.ROOT_NAMES
    skipped_folders = frozenset({"public", "resources", "node_modules", ".git", "themes", "_vendor", ".hugo_build.lock"})
    template_language = "go"
    json_front_matter = True
    case_sensitive_keys = False
    front_matter_links_from_root = True
    empty_values_render_nothing = True
    # Hugo Blox shows these as text: the profile's role, a page's summary and abstract, captions.
    displayed_keys = frozenset({"role", "summary", "abstract", "subtitle", "caption"})

    def config_path(self, root: Path) -> Path | None:
        """The root configuration file, else the first file of `config/_default/`."""
        if root.parent.name == "config" or root.name == "config":
            return None  # an environment's folder of configuration files is no site
        found = hugo_config.root_file(root)
        if found is not None:
            return found if found.stem == "hugo" or any((root / folder).is_dir() for folder in (*_HUGO_FOLDERS, "config")) else None
        files = hugo_config.environment_files(root)
        return files[0] if files else None

    def read_config(self, path: Path, max_size: int) -> dict:
        root = path.parent.parent.parent if path.parent.parent.name == "config" else path.parent
        return hugo_config.read(root, max_size)

    def reads_beside_pages(self, path: Path) -> bool:
        parent = path.parent
        if path.suffix.lower() not in hugo_config.CONFIG_SUFFIXES:
            return False
        if parent.parent.name == "config" and parent.name in hugo_config.ENVIRONMENTS:
            return True
        if path.name in hugo_config.ROOT_NAMES:
            return self.config_path(parent) == path
        return parent.name == "data" and self.is_root(parent.parent)

    def offers_bibtex(self, name: str) -> bool:
        return name == "cite.bib"  # Hugo Blox's `Cite` button shows the publication bundle's file

    def template(self, site: Site) -> str:
        """"hugo-blox" or "hugo"."""
        config = site.config
        module = config.get("module")
        imports = module.get("imports") if isinstance(module, dict) else None
        named = [str(config.get("theme") or "")]
        if isinstance(imports, list):
            named.extend(str(item.get("path", "")) if isinstance(item, dict) else str(item) for item in imports)
        if any(mark in name.lower() for name in named for mark in _BLOX_MARKS):
            return "hugo-blox"
        reading = self._reading(site)
        return "hugo-blox" if any((site.root / folder / "authors").is_dir() for folder in reading.content_dirs) else "hugo"

    def collections(self, site: Site) -> dict[str, dict]:
        return {}

    def kind_of(self, site: Site, relative: PurePosixPath) -> str:
        reading = self._reading(site)
        if reading.is_config(relative):
            return "config"
        if relative.parts and relative.parts[0] == "data":
            return "data"
        inside = reading.content_of(relative)
        if inside is None:
            return "page"
        path = inside[1]
        section = path.parts[0].lower() if len(path.parts) > 1 else ""
        if section == "authors" and path.name == "_index.md" and len(path.parts) == 3:
            return "author"
        if path.name in ("_index.md", "_index.markdown") and len(path.parts) <= 2:
            return "page"  # the section's own list page
        return SECTION_KINDS.get(section, "page")

    def markdown_engine(self, site: Site) -> str:
        return "goldmark"

    def reading_rules(self, site: Site) -> HugoReading:
        return HugoReading(site.root, site.config)

    @staticmethod
    def _reading(site: Site) -> HugoReading:
        """The site's reading rules, made once per site."""
        return site.reading_rules  # type: ignore[return-value]

    def url_index(self, site: Site) -> HugoUrlIndex:
        from pagelint.model.generators.hugo_urls import HugoUrlIndex

        return HugoUrlIndex(site, self._reading(site))

    def language_of(self, site: Site, relative: PurePosixPath) -> str:
        reading = self._reading(site)
        inside = reading.content_of(relative)
        return reading.content_dirs[inside[0]] if inside is not None else ""

    def publishes_beside(self, site: Site, relative: PurePosixPath) -> bool:
        return relative.name in LEAF_INDEXES and self._reading(site).content_of(relative) is not None

    def anchors_complete(self, site: Site, relative: PurePosixPath, data: dict) -> bool:
        """Not for the files of a page of blocks (Hugo Blox's widget and landing pages, a
        headless bundle's widgets, whose ids are their names), a section's list page or an
        author's profile, which the home page shows: the template writes their ids."""
        if not self._reading(site).by_path(relative).has_url or relative.name.startswith("_index."):
            return False
        return str(data.get("type", "")).lower() not in ("widget_page", "landing") and "sections" not in data

    def sources_of(self, site: Site, path: str) -> tuple[str, ...]:
        """A file of a static folder is published at its path in it; a file of a page bundle at
        its path in the content folder."""
        static = site.config.get("staticdir", "static")
        folders = [static] if isinstance(static, str) else [item for item in static if isinstance(item, str)] if isinstance(static, list) else []
        content = list(self._reading(site).content_dirs)
        return (path, *(f"{folder.strip('/')}/{path}" for folder in (*folders, *content)))

    def generated_prefixes(self, site: Site) -> tuple[str, ...]:
        return site.permalinks.generated_prefixes  # type: ignore[attr-defined]

    def baseurl(self, site: Site) -> str:
        """The path part of `baseURL`."""
        value = site.config.get("baseurl")
        if not isinstance(value, str):
            return ""
        path = value.split("://", 1)[1].partition("/")[2] if "://" in value else value
        return ("/" + path.strip("/")) if path.strip("/") else ""

    def owner_names(self, site: Site) -> list[str]:
        title = site.config.get("title")
        return [title] if isinstance(title, str) else []

    def names_in_config(self, site: Site) -> str:
        config = site.config
        params = config.get("params")
        params = params if isinstance(params, dict) else {}
        return " ".join(str(value) for value in (config.get("title"), config.get("copyright"), params.get("author")) if value)
