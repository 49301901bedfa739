"""What a static site generator decides about a site, as pagelint needs to know it: which
folder is a site's root and which files configure it, which files it reads and publishes,
each file's page kind and collection, and the URL of each page. Rules ask the `Site`, which
asks its generator; a second generator is one more implementation of this class, not a
branch in the rules."""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, ClassVar, Protocol

if TYPE_CHECKING:
    from pagelint.model.permalinks import PermalinkIndex


class Site(Protocol):
    """What a generator reads of the site it decides about (`pagelint.model.site.Site`)."""

    root: Path

    @property
    def config(self) -> dict: ...

    @property
    def collections(self) -> dict[str, dict]: ...

    @property
    def files(self) -> frozenset[str]: ...


class Generator(ABC):
    name: ClassVar[str]
    # The configuration files that mark a site's root, in the order the generator prefers them.
    config_names: ClassVar[tuple[str, ...]]
    # Folders that hold no sources of the site: build output, caches, installed dependencies.
    skipped_folders: ClassVar[frozenset[str]]

    def config_path(self, root: Path) -> Path | None:
        return next((root / name for name in self.config_names if (root / name).is_file()), None)

    def is_root(self, folder: Path) -> bool:
        return self.config_path(folder) is not None

    @abstractmethod
    def read_config(self, path: Path) -> dict:
        """The configuration as data; {} when it does not parse (a rule reports that)."""

    @abstractmethod
    def reads_beside_pages(self, path: Path) -> bool:
        """True for the configuration and data files a folder walk checks beside the pages."""

    @abstractmethod
    def template(self, site: Site) -> str:
        """The site's template, which chooses the schemas of its pages."""

    @abstractmethod
    def collections(self, site: Site) -> dict[str, dict]:
        """Collection name -> its settings."""

    @abstractmethod
    def kind_of(self, site: Site, relative: PurePosixPath) -> str:
        """The page kind of a file ("config", "data", "post", "publication", "page", ...), or
        "unpublished" for a file the generator reads but never publishes."""

    @abstractmethod
    def url_index(self, site: Site) -> PermalinkIndex:
        """Every page's URL, built on first use."""

    @abstractmethod
    def baseurl(self, site: Site) -> str:
        """The path the site is served under, without a trailing slash; "" at the host's root."""

    @abstractmethod
    def owner_names(self, site: Site) -> list[str]:
        """The site owner's name as its configuration writes it (there may be none)."""

    @abstractmethod
    def names_in_config(self, site: Site) -> str:
        """Every personal name the configuration holds, as one string, for the vocabulary."""
