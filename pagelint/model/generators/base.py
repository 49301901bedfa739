"""What a static site generator decides about a site, as pagelint needs to know it: which
folder is a site's root and which files configure it, which files it reads and publishes,
each file's page kind and collection, and the URL of each page. Rules ask the `Site`, which
asks its generator; a second generator is one more implementation of this class, not a
branch in the rules."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, ClassVar, Protocol

if TYPE_CHECKING:
    from pagelint.model.permalinks import PermalinkIndex


@dataclass(frozen=True, slots=True)
class Reading:
    """What the build does with one file."""

    read: bool  # the build reads it: a page, a collection document, data, configuration, a template
    has_url: bool  # and publishes it at a URL of its own
    why_not: str = ""  # for a file not read or without a URL: why, for messages
    document: bool = False  # a post or collection document: its front matter may still hide it
    # Not read, but most likely by mistake (a post whose name lacks its date): checked all the
    # same, as a page of its site, so that the rule that knows the mistake reports it.
    by_mistake: bool = False


READ = Reading(True, True)
READ_WITHOUT_URL = Reading(True, False)


class ReadingRules(Protocol):
    def by_path(self, relative: PurePosixPath) -> Reading:
        """What the build does with the file at `relative`, as far as its path decides: no file
        of the site is read for it but the configuration."""
        ...

    def with_front_matter(self, reading: Reading, relative: PurePosixPath, data: dict) -> Reading:
        """`reading` once the file's own front matter is known (`published: false`, dates)."""
        ...


class Site(Protocol):
    """What a generator reads of the site it decides about (`pagelint.model.site.Site`)."""

    root: Path
    max_file_size: int

    @property
    def config(self) -> dict: ...

    def head(self, relative_name: str, size: int) -> bytes: ...

    @property
    def collections(self) -> dict[str, dict]: ...

    @property
    def files(self) -> frozenset[str]: ...

    @property
    def reading_rules(self) -> ReadingRules: ...

    @property
    def permalinks(self) -> PermalinkIndex: ...


class Generator(ABC):
    name: ClassVar[str]
    # The configuration files that mark a site's root, in the order the generator prefers them.
    config_names: ClassVar[tuple[str, ...]]
    # Folders that hold no sources of the site: build output, caches, installed dependencies.
    skipped_folders: ClassVar[frozenset[str]]
    # The language of the templates that the build runs pages through ("liquid", "go"): the
    # rules of one template language run only on the pages of its generator.
    template_language: ClassVar[str]
    # The front matter formats the generator reads, beside YAML and TOML: Hugo's JSON.
    json_front_matter: ClassVar[bool] = False
    # Whether the templates render nothing for an empty value (`""`, `[]`): Go templates' `with`
    # and `if` are false for them, Liquid's `if` is true for an empty string.
    empty_values_render_nothing: ClassVar[bool] = False
    # Whether the templates write a relative URL of the front matter from the site's root
    # (Hugo's `relURL`) rather than leave it relative to the page.
    front_matter_links_from_root: ClassVar[bool] = False
    # Front matter keys whose text the template shows as prose, beside those of every template
    # (title, excerpt, description, bio...): spelling rules read them.
    displayed_keys: ClassVar[frozenset[str]] = frozenset()
    # Whether `Title:` and `title:` are two keys (Jekyll), or one (Hugo lowercases every key).
    case_sensitive_keys: ClassVar[bool] = True

    def config_path(self, root: Path) -> Path | None:
        return next((root / name for name in self.config_names if (root / name).is_file()), None)

    def is_root(self, folder: Path) -> bool:
        return self.config_path(folder) is not None

    @abstractmethod
    def read_config(self, path: Path, max_size: int) -> dict:
        """The configuration as data, read up to `max_size` bytes; {} when it cannot be read or
        does not parse (a rule reports that)."""

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
        """The page kind of a file the generator reads ("config", "data", "post", "publication", "page", ...)."""

    def markdown_engine(self, site: Site) -> str:
        """The Markdown converter the build uses ("kramdown", "commonmark", ...): where they
        differ (a raw space in a link's URL), a rule asks which one turns the page into HTML."""
        return "commonmark"

    @abstractmethod
    def reading_rules(self, site: Site) -> ReadingRules:
        """Which files the build reads and publishes, made once per site."""

    @abstractmethod
    def url_index(self, site: Site) -> PermalinkIndex:
        """Every page's URL, built on first use."""

    def language_of(self, site: Site, relative: PurePosixPath) -> str:
        """The language a file is published in, where its place decides it ("" if not)."""
        return ""

    def publishes_beside(self, site: Site, relative: PurePosixPath) -> bool:
        """Whether the files beside this page are published beside it, at its URL's folder
        (a Hugo page bundle): a relative link to one is judged against the page's folder."""
        return False

    def anchors_complete(self, site: Site, relative: PurePosixPath, data: dict) -> bool:
        """Whether every id a link of the page may point at is written in the page itself, rather
        than in other files shown with it or in the template (a landing page of blocks)."""
        return True

    def sources_of(self, site: Site, path: str) -> tuple[str, ...]:
        """The files of the site (relative POSIX paths) that may be published at the site path
        `path` as they are, without a page of their own: the file at that path by default."""
        return (path,)

    def generated_prefixes(self, site: Site) -> tuple[str, ...]:
        """URL prefixes under which the build makes pages of its own (taxonomies), which no file
        of the site holds: links there are not judged."""
        return ()

    def offers_bibtex(self, name: str) -> bool:
        """Whether a `.bib` file of this name is offered to visitors as it is, to cite from
        (Hugo Blox's `cite.bib` button), rather than only rendered into the site's pages."""
        return False

    @abstractmethod
    def baseurl(self, site: Site) -> str:
        """The path the site is served under, without a trailing slash; "" at the host's root."""

    @abstractmethod
    def owner_names(self, site: Site) -> list[str]:
        """The site owner's name as its configuration writes it (there may be none)."""

    @abstractmethod
    def names_in_config(self, site: Site) -> str:
        """Every personal name the configuration holds, as one string, for the vocabulary."""
