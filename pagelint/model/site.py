"""The site a file belongs to: its root, the generator that builds it (see `generators`), its
configuration, collections and page kinds.

Everything is read lazily: checking one file in a pre-commit run reads the configuration and,
only if a rule asks, the list of the site's files (names only, no contents).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from pagelint.bounded_io import DEFAULT_MAX_FILE_SIZE, open_regular_file
from pagelint.model.generators import generator_of
from pagelint.model.generators.base import READ, Generator, Reading, ReadingRules

if TYPE_CHECKING:
    from pagelint.model.document import Document
    from pagelint.model.permalinks import PermalinkIndex


# Files a copy of a site's text keeps; any other kind in a folder shows that its binaries are there.
TEXT_SUFFIXES = frozenset(
    {".md", ".markdown", ".html", ".htm", ".yml", ".yaml", ".json", ".toml", ".txt", ".bib", ".css", ".scss", ".js", ".xml", ""}
)

_RECENT_PATHS = 64


class Site:
    def __init__(self, root: Path, generator: Generator, max_file_size: int):
        self.root = root
        self.generator = generator
        self.max_file_size = max_file_size  # of its folder's settings: the configuration is read as a page would be
        # The text of files that an editor holds unsaved (relative POSIX path -> bytes), read in
        # place of the files on disk: the language server's open documents. Empty on the command line.
        self.unsaved: dict[str, bytes] = {}
        self._recent_relative: dict[Path, PurePosixPath | None] = {}

    @cached_property
    def config_path(self) -> Path | None:
        return self.generator.config_path(self.root)

    @cached_property
    def config(self) -> dict:
        """The configuration as data; {} when it is missing or does not parse (F001 reports that)."""
        return self.generator.read_config(self.config_path, self.max_file_size) if self.config_path is not None else {}

    @cached_property
    def template(self) -> str:
        return self.generator.template(self)

    @cached_property
    def collections(self) -> dict[str, dict]:
        """Collection name -> its settings (`output`, `permalink`), from the config."""
        return self.generator.collections(self)

    @cached_property
    def resolved_root(self) -> Path:
        return self.root.resolve()

    def relative(self, path: Path) -> PurePosixPath | None:
        """`path` relative to the root (links resolved), or None for a file outside the site.
        The rules ask this of one file several times in a row, and resolving walks every part
        of the path, so the latest answers are kept (a few: memory stays flat in the site's size)."""
        if path in self._recent_relative:
            return self._recent_relative[path]
        try:
            relative: PurePosixPath | None = PurePosixPath(path.resolve().relative_to(self.resolved_root).as_posix())
        except ValueError:
            relative = None
        if len(self._recent_relative) >= _RECENT_PATHS:
            del self._recent_relative[next(iter(self._recent_relative))]
        self._recent_relative[path] = relative
        return relative

    @cached_property
    def reading_rules(self) -> ReadingRules:
        return self.generator.reading_rules(self)

    def reading(self, path: Path, data: dict | None = None) -> Reading:
        """What the build does with a file of this site: by its path, and with `data`, its
        front matter, by that too. A file outside the site's folder is read as a page."""
        relative = self.relative(path)
        if relative is None:
            return READ
        reading = self.reading_rules.by_path(relative)
        return reading if data is None else self.reading_rules.with_front_matter(reading, relative, data)

    def kind_of(self, path: Path) -> str:
        """The page kind of a file of this site: "config", "data", "post", "publication", ..."""
        relative = self.relative(path)
        return "page" if relative is None else self.generator.kind_of(self, relative)

    @cached_property
    def files(self) -> frozenset[str]:
        """Every file of the site, as a POSIX path relative to the root (names only)."""
        found: set[str] = set()
        root = str(self.root)
        skipped = self.generator.skipped_folders
        for directory, subdirectories, filenames in os.walk(root):
            subdirectories[:] = [name for name in subdirectories if name not in skipped]
            relative = os.path.relpath(directory, root)
            prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
            found.update(prefix + name for name in filenames)
        return frozenset(found | self.unsaved.keys())

    def head(self, relative_name: str, size: int) -> bytes:
        """The first `size` bytes of a file of the site, unsaved text first (b"" where it cannot be read)."""
        if relative_name in self.unsaved:
            return self.unsaved[relative_name][:size]
        try:
            with open_regular_file(self.root / relative_name) as handle:
                return handle.read(size)
        except OSError:
            return b""

    def forget_files(self) -> None:
        """Forget the list of files and what was built from them and their contents (the URL
        index), for a site that lives on while its files change (the language server)."""
        for built in ("files", "permalinks", "folders_with_binaries", "directories", "bibliographies"):
            self.__dict__.pop(built, None)

    @cached_property
    def bibliographies(self) -> tuple[Document, ...]:
        """The `.bib` files the build reads (jekyll-scholar's, Hugo Blox's `cite.bib`), as documents,
        read on first use by the rules that compare them with the pages; too large files are left out."""
        from pagelint.model.document import BIBTEX_SUFFIXES, Document

        found = []
        for name in sorted(self.files):
            if PurePosixPath(name).suffix.lower() in BIBTEX_SUFFIXES and self.reading(self.root / name).read:
                raw = self.head(name, self.max_file_size + 1)
                if raw and len(raw) <= self.max_file_size:
                    found.append(Document(str(self.root / name), name, raw, kind=self.kind_of(self.root / name), site=self))
        return tuple(found)

    @cached_property
    def permalinks(self) -> PermalinkIndex:
        """The URL of every page (built on first use, once per run)."""
        return self.generator.url_index(self)

    def language_of(self, path: Path) -> str:
        """The language the site publishes a file in, where its folder decides it ("" if not)."""
        relative = self.relative(path)
        return "" if relative is None else self.generator.language_of(self, relative)

    def sources_of(self, path: str) -> tuple[str, ...]:
        """The files that may be published at the site path `path` as they are (see the generator)."""
        return self.generator.sources_of(self, path)

    @cached_property
    def generated_prefixes(self) -> tuple[str, ...]:
        return self.generator.generated_prefixes(self)

    @cached_property
    def baseurl(self) -> str:
        return self.generator.baseurl(self)

    @cached_property
    def markdown_engine(self) -> str:
        return self.generator.markdown_engine(self)

    @cached_property
    def owner_names(self) -> list[str]:
        return self.generator.owner_names(self)

    @cached_property
    def folders_with_binaries(self) -> frozenset[str]:
        """The folders that hold a file other than text (a PDF, an image): a checkout has them."""
        return frozenset(
            str(PurePosixPath(name).parent) for name in self.files if PurePosixPath(name).suffix.lower() not in TEXT_SUFFIXES
        )

    @cached_property
    def directories(self) -> frozenset[str]:
        """Every folder that holds a file of the site, relative POSIX paths."""
        return frozenset(str(PurePosixPath(name).parent) for name in self.files)


class SiteFinder:
    """Finds the site root of a path by walking up to a generator's configuration; caches per
    directory. `max_file_size(folder)` is the limit of the files of a folder."""

    def __init__(self, max_file_size: Callable[[Path], int] = lambda folder: DEFAULT_MAX_FILE_SIZE) -> None:
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
            generator = generator_of(current)
            if generator is not None:
                if current not in self._sites:
                    self._sites[current] = Site(current, generator, self.max_file_size(current))
                site = self._sites[current]
                break
            if current.parent == current:
                break
            current = current.parent
        for visited in trail:
            self._by_directory[visited] = site
        return site
