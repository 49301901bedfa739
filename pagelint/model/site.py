"""The Jekyll site a file belongs to: its root, `_config.yml`, collections and page kinds.

Everything is read lazily: checking one file in a pre-commit run reads `_config.yml` and,
only if a rule asks, the list of the site's files (names only, no contents).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cached_property
from pathlib import Path, PurePosixPath

import yaml

from pagelint.bounded_io import read_regular_file
from pagelint.model.front_matter import JekyllLoader

CONFIG_NAMES = ("_config.yml", "_config.yaml")
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
IGNORED_DIRECTORIES = frozenset({"_site", "vendor", "node_modules", ".git", ".jekyll-cache", ".sass-cache", ".bundle"})


class Site:
    def __init__(self, root: Path, max_file_size: int):
        self.root = root
        self.max_file_size = max_file_size  # of its folder's settings: `_config.yml` is read as a page would be

    @cached_property
    def config_path(self) -> Path | None:
        for name in CONFIG_NAMES:
            candidate = self.root / name
            if candidate.is_file():
                return candidate
        return None

    @cached_property
    def config(self) -> dict:
        """`_config.yml` as data; {} when it is missing or does not parse (F001 reports that)."""
        if self.config_path is None:
            return {}
        try:
            data = yaml.load(read_regular_file(self.config_path, self.max_file_size).decode("utf-8", "replace"), Loader=JekyllLoader)
        except (yaml.YAMLError, OSError, RecursionError):
            return {}
        return data if isinstance(data, dict) else {}

    @cached_property
    def template(self) -> str:
        """"academicpages", "al-folio" or "jekyll"."""
        config = self.config
        theme = str(config.get("remote_theme") or config.get("theme") or "").lower()
        # al-folio keeps news in `_news` and its bibliography in jekyll-scholar's settings.
        if "al-folio" in theme or (self.root / "_news").is_dir() or isinstance(config.get("scholar"), dict):
            return "al-folio"
        # academicpages is a minimal-mistakes fork that adds publications.
        if "minimal-mistakes" in theme or "publication_category" in config or (self.root / "_publications").is_dir():
            return "academicpages"
        return "jekyll"

    @cached_property
    def collections(self) -> dict[str, dict]:
        """Collection name -> its settings (`output`, `permalink`), from the config."""
        declared = self.config.get("collections")
        if isinstance(declared, list):
            return {str(name): {} for name in declared}
        if isinstance(declared, dict):
            return {str(name): settings if isinstance(settings, dict) else {} for name, settings in declared.items()}
        return {}

    def kind_of(self, path: Path) -> str:
        """The page kind of a file of this site: "config", "data", "post", "publication", ..."""
        try:
            relative = path.resolve().relative_to(self.root.resolve())
        except ValueError:
            return "page"
        parts = relative.parts
        if len(parts) == 1 and parts[0] in CONFIG_NAMES:
            return "config"
        if any(part.startswith(("_", ".")) for part in parts[1:-1]):
            return "unpublished"  # Jekyll skips folders whose name starts with `_` or `.`
        if parts and parts[0].startswith("_"):
            folder = parts[0]
            if folder in KNOWN_COLLECTION_KINDS:
                return KNOWN_COLLECTION_KINDS[folder]
            if folder[1:] in self.collections:
                return folder[1:]
        return "page"

    @cached_property
    def files(self) -> frozenset[str]:
        """Every file of the site, as a POSIX path relative to the root (names only)."""
        found: set[str] = set()
        root = str(self.root)
        for directory, subdirectories, filenames in os.walk(root):
            subdirectories[:] = [name for name in subdirectories if name not in IGNORED_DIRECTORIES]
            relative = os.path.relpath(directory, root)
            prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
            found.update(prefix + name for name in filenames)
        return frozenset(found)


    @cached_property
    def permalinks(self):
        """The site's permalink index (built on first use, once per run)."""
        from pagelint.model.permalinks import PermalinkIndex

        return PermalinkIndex(self)

    @cached_property
    def baseurl(self) -> str:
        value = self.config.get("baseurl")
        return value.rstrip("/") if isinstance(value, str) else ""

    @cached_property
    def directories(self) -> frozenset[str]:
        """Every folder that holds a file of the site, relative POSIX paths."""
        return frozenset(str(PurePosixPath(name).parent) for name in self.files)


class SiteFinder:
    """Finds the site root of a path by walking up to `_config.yml`; caches per directory.
    `max_file_size(folder)` is the limit of the files of a folder."""

    def __init__(self, max_file_size: Callable[[Path], int]) -> None:
        self.max_file_size = max_file_size
        self._by_directory: dict[Path, Site | None] = {}
        self._sites: dict[Path, Site] = {}

    def site_for(self, path: Path) -> Site | None:
        directory = path.parent.absolute()
        trail = []
        site = None
        current = directory
        while True:
            if current in self._by_directory:
                site = self._by_directory[current]
                break
            trail.append(current)
            if any((current / name).is_file() for name in CONFIG_NAMES):
                if current not in self._sites:
                    self._sites[current] = Site(current, self.max_file_size(current))
                site = self._sites[current]
                break
            if current.parent == current:
                break
            current = current.parent
        for visited in trail:
            self._by_directory[visited] = site
        return site
