"""Which files Hugo builds into pages, as Hugo 0.111 does (seen with the real `hugo`, see
bench/hugo_compare.py): the content folder of each language (`contentDir`, or the site's,
`content/` by default; with a folder per language, `content/` itself holds no page), less
names starting with `.` or `#`, ending with `~` or matched by `ignoreFiles`; a leaf bundle's
other files are resources of its page; `draft`, a future `publishDate` (else `date`) and a
past `expiryDate` leave a page unpublished by default; a `headless` bundle and `build.render:
never` are read but get no page. `archetypes/`, `layouts/`, `themes/`, `static/` and the build's
own folders hold no content.

The path rules need no file of the site but the configuration (and, for bundles, whether a
folder above holds an `index.md`), so that one file of a pre-commit run is judged without
walking the site."""

from __future__ import annotations

import datetime
import re
from functools import cached_property
from pathlib import Path, PurePosixPath

from pagelint.model.generators.base import READ, READ_WITHOUT_URL, Reading
from pagelint.model.generators.hugo_config import CONFIG_SUFFIXES, ENVIRONMENTS, ROOT_NAMES

PAGE_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".html", ".htm"})
LEAF_INDEXES = ("index.md", "index.markdown", "index.html", "index.htm")
# Folders of a Hugo site that hold no content, and why (for messages).
NOT_CONTENT = {
    "archetypes": "`archetypes/` holds the templates of `hugo new`, not content",
    "layouts": "`layouts/` holds templates, not content",
    "themes": "`themes/` holds a theme's templates and files, not this site's content",
    "static": "`static/` is copied to the site as it is, not built into pages",
    "assets": "`assets/` holds files for Hugo Pipes, not content",
    "resources": "`resources/` is Hugo's cache",
    "public": "`public/` is Hugo's output",
    "i18n": "`i18n/` holds translations of the templates' strings",
    "node_modules": "`node_modules/` holds installed packages",
}
_DATE_PREFIX = re.compile(r"^\s*['\"]?(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2}))?)?")


def _lower_keys(data: dict) -> dict:
    return {str(key).lower(): value for key, value in data.items()}


def _as_moment(value: object) -> datetime.datetime | None:
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None) if value.tzinfo is None else value.astimezone().replace(tzinfo=None)
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day)
    match = _DATE_PREFIX.match(value) if isinstance(value, str) else None
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(part or 0) for part in match.groups())
    try:
        return datetime.datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None


class HugoReading:
    """The reading rules of one Hugo site, from its merged configuration."""

    def __init__(self, root: Path, config: dict, now: datetime.datetime | None = None):
        self.root = root
        self.config = config
        self.now = now or datetime.datetime.now()
        self.build_drafts = config.get("builddrafts") is True
        self.build_future = config.get("buildfuture") is True
        self.build_expired = config.get("buildexpired") is True
        patterns = config.get("ignorefiles")
        patterns = patterns if isinstance(patterns, list) else []
        self.ignore = [re.compile(pattern) for pattern in patterns if isinstance(pattern, str) and _compiles(pattern)]
        self._bundles: dict[str, bool] = {}

    @cached_property
    def default_language(self) -> str:
        value = self.config.get("defaultcontentlanguage")
        return value.lower() if isinstance(value, str) and value else "en"

    @cached_property
    def languages(self) -> dict[str, dict]:
        declared = self.config.get("languages")
        if not isinstance(declared, dict) or not declared:
            return {self.default_language: {}}
        return {str(name): settings if isinstance(settings, dict) else {} for name, settings in declared.items()
                if not (isinstance(settings, dict) and settings.get("disabled") is True)}

    @cached_property
    def content_dirs(self) -> dict[str, str]:
        """Each content folder, relative to the root -> its language."""
        own = self.config.get("contentdir")
        site_dir = own.strip("/") if isinstance(own, str) and own.strip("/") else "content"
        folders: dict[str, str] = {}
        for language, settings in self.languages.items():
            folder = settings.get("contentdir")
            folders.setdefault(folder.strip("/") if isinstance(folder, str) and folder.strip("/") else site_dir, language)
        return folders

    def content_of(self, relative: PurePosixPath) -> tuple[str, PurePosixPath] | None:
        """(the content folder, the path inside it) of a file in one."""
        text = relative.as_posix()
        for folder in sorted(self.content_dirs, key=len, reverse=True):
            if text.startswith(folder + "/"):
                return folder, PurePosixPath(text[len(folder) + 1 :])
        return None

    @cached_property
    def root_config_name(self) -> str | None:
        return next((name for name in ROOT_NAMES if (self.root / name).is_file()), None)

    def is_config(self, relative: PurePosixPath) -> bool:
        parts = relative.parts
        if len(parts) == 1:
            return parts[0] == self.root_config_name
        return len(parts) == 3 and parts[0] == "config" and parts[1] in ENVIRONMENTS and relative.suffix.lower() in CONFIG_SUFFIXES

    def by_path(self, relative: PurePosixPath) -> Reading:
        parts = relative.parts
        if not parts:
            return Reading(False, False, "not a file of the site")
        if self.is_config(relative) or parts[0] == "data":
            return READ_WITHOUT_URL
        if len(parts) == 1 and parts[0] in ROOT_NAMES:
            return Reading(False, False, f"Hugo reads `{self.root_config_name}`, not this file")
        if parts[0] == "config":
            return Reading(False, False, "configuration of another environment than production's")
        inside = self.content_of(relative)
        if inside is None:
            why = NOT_CONTENT.get(parts[0])
            if why is None:
                folders = ", ".join(f"`{folder}/`" for folder in self.content_dirs)
                why = f"outside the content folder ({folders}): Hugo builds no page of it"
            return Reading(False, False, why)
        folder, path = inside
        for name in path.parts:
            if name.startswith((".", "#")) or name.endswith("~"):
                return Reading(False, False, "Hugo skips names that start with `.` or `#` or end with `~`")
        if any(pattern.search(relative.as_posix()) for pattern in self.ignore):
            return Reading(False, False, "matched by `ignoreFiles` of the configuration")
        bundle = self._bundle_above(folder, path)
        if bundle is not None:
            return Reading(True, False, f"a resource of the page bundle `{bundle}/`: shown only where that page uses it")
        return READ

    def _bundle_above(self, folder: str, path: PurePosixPath) -> str | None:
        """The leaf bundle (a folder with an `index.md`) that `path` is a resource of, if any."""
        own_folder = path.parent
        candidates = [own_folder, *own_folder.parents] if path.name not in LEAF_INDEXES else list(own_folder.parents)
        for candidate in candidates:
            if str(candidate) == ".":
                continue
            where = f"{folder}/{candidate.as_posix()}"
            if where not in self._bundles:
                self._bundles[where] = any((self.root / where / name).is_file() for name in LEAF_INDEXES)
            if self._bundles[where]:
                return where
        return None

    def ref_found(self, files: frozenset[str], page: PurePosixPath, target: str) -> bool:
        """Whether `{{< ref target >}}` of the page at `page` finds a page, as Hugo looks: from
        the page's folder, then from the content folder's root, with or without the file's
        suffix, a bundle by its folder; a bare name anywhere in the content folder."""
        path = target.split("#", 1)[0].strip()
        if not path:
            return True  # `#anchor` of the page itself
        inside = self.content_of(page)
        folders = [inside[0]] if inside is not None else list(self.content_dirs)
        bases = [f"{folder}/{path.lstrip('/')}" for folder in folders]
        if inside is not None and not path.startswith("/"):
            bases.insert(0, f"{inside[0]}/{inside[1].parent.as_posix()}/{path}".replace("/./", "/"))
        for base in bases:
            base = base.rstrip("/")
            if any(candidate in files for candidate in (base, *(base + suffix for suffix in PAGE_SUFFIXES),
                                                         *(f"{base}/{index}" for index in ("index.md", "_index.md")))):
                return True
        if "/" not in path:
            stem = path.rsplit(".", 1)[0] if PurePosixPath(path).suffix in PAGE_SUFFIXES else path
            return any(
                PurePosixPath(name).stem == stem or PurePosixPath(name).parent.name == stem
                for name in files if self.content_of(PurePosixPath(name)) is not None
            )
        return False

    def with_front_matter(self, reading: Reading, relative: PurePosixPath, data: dict) -> Reading:
        if not reading.read or self.content_of(relative) is None or not isinstance(data, dict):
            return reading
        data = _lower_keys(data)
        if data.get("draft") is True and not self.build_drafts:
            return Reading(False, False, "`draft: true`: Hugo publishes it only with `--buildDrafts`")
        published = next((data[key] for key in ("publishdate", "pubdate", "published", "date") if data.get(key)), None)
        moment = _as_moment(published)
        if moment is not None and moment > self.now and not self.build_future:
            return Reading(False, False, f"dated {moment:%Y-%m-%d}, in the future: Hugo publishes it only with `--buildFuture`")
        expiry = _as_moment(next((data[key] for key in ("expirydate", "unpublishdate") if data.get(key)), None))
        if expiry is not None and expiry <= self.now and not self.build_expired:
            return Reading(False, False, f"expired on {expiry:%Y-%m-%d}: Hugo publishes it only with `--buildExpired`")
        if not reading.has_url:
            return reading
        if data.get("headless") is True and relative.name in LEAF_INDEXES:
            return Reading(True, False, "a headless bundle: its content is shown through other pages, not at a URL of its own")
        build = data.get("build", data.get("_build"))
        render = _lower_keys(build).get("render") if isinstance(build, dict) else None
        if render in (False, "never", "false"):
            return Reading(True, False, "`build.render` is `never`: shown through other pages, not at a URL of its own")
        return reading


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True
