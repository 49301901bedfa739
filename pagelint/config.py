"""Configuration: `.pagelint.toml` or `[tool.pagelint]` in `pyproject.toml`, plus CLI flags.

Keys are kebab-case. An unknown key, rule or option is an error that names it, so that a
typo never silently turns a check off.
"""

from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from pagelint.bounded_io import DEFAULT_MAX_FILE_SIZE, read_regular_file
from pagelint.diagnostics import Category, Severity
from pagelint.rules import all_rules, find_rule
from pagelint.rules.base import Rule

if TYPE_CHECKING:
    from pagelint.model.schemas import SchemaFile

CONFIG_FILE = ".pagelint.toml"
DEFAULT_EXCLUDE = ("_site/", "vendor/", "node_modules/", ".git/", ".jekyll-cache/", ".sass-cache/", ".bundle/")
MAX_CONFIG_FILE_SIZE = 1_000_000  # bytes; a configuration is a few hundred
FAIL_ON_CHOICES = ("error", "warning", "info", "never")
STATUS_CODES = range(100, 600)
DAY = 86_400  # seconds


class ConfigError(Exception):
    """A configuration problem; the message names the file and the key."""


def _ranged(default: int | float, low: int | float, high: int | float, unit: str = ""):
    """A numeric setting and the values it takes, `low` to `high`: each has its bounds, so
    that no value turns a limit off (a timeout of inf, 10**30 connections)."""
    return field(default=default, metadata={"range": (low, high), "unit": unit})


@dataclass(frozen=True)
class Override:
    files: tuple[str, ...]
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)


@dataclass(frozen=True)
class HostSettings:
    """`[online.hosts."example.org"]`: what differs for one host (and its subdomains)."""

    per_host: int = _ranged(0, 0, 1_000)  # 0: the run's `per-host`
    accept_status: tuple[int, ...] | None = None  # None: the run's `accept-status`
    soft_error: tuple[str, ...] = ()  # phrases of this host's error pages that answer 200
    exclude: bool = False
    skip_head: bool = False  # the host answers HEAD wrongly: send GET at once


@dataclass(frozen=True)
class OnlineSettings:
    """`[online]`: how `check --online` checks external links. Times are in seconds."""

    enabled: bool = False
    cache: str = ""  # "": <site>/.pagelint-cache/links.sqlite
    concurrency: int = _ranged(256, 1, 10_000)
    per_host: int = _ranged(4, 1, 1_000)
    timeout: float = _ranged(10.0, 0.01, 3600, "seconds")
    tls_timeout: float = _ranged(3.0, 0.01, 3600, "seconds")  # for the TLS handshake that decides whether L104 compares a host's pages
    budget: float = _ranged(600.0, 0.01, 7 * DAY, "seconds")
    retries: int = _ranged(2, 0, 20)
    retry_delay: float = _ranged(1.0, 0, 3600, "seconds")
    retry_after_max: float = _ranged(60.0, 0, DAY, "seconds")
    max_redirects: int = _ranged(10, 0, 100)
    max_body: int = _ranged(262_144, 1, 100_000_000, "bytes")
    contact: str = ""
    ca_bundle: str = ""  # PEM certificates trusted besides the system's (a university's own CA)
    accept_status: tuple[int, ...] = (403,)
    exclude: tuple[str, ...] = ()
    exclude_hosts: tuple[str, ...] = ()
    allow_private: bool | tuple[str, ...] = False  # or networks and host names allowed
    ttl_ok: float = _ranged(float(7 * DAY), 0, 3650 * DAY, "seconds")
    ttl_failure: float = _ranged(3600.0, 0, 3650 * DAY, "seconds")
    hosts: dict[str, HostSettings] = field(default_factory=dict)


@dataclass(frozen=True)
class Settings:
    base: Path  # where relative globs are anchored
    source: str = "defaults"
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    fail_on: str = "warning"
    severity: dict[str, Severity] = field(default_factory=dict)
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    overrides: tuple[Override, ...] = ()
    max_file_size: int = _ranged(DEFAULT_MAX_FILE_SIZE, 1, 1_000_000_000, "bytes")
    unpublished: bool = False  # also check the files the site's generator does not publish, as plain pages
    online: OnlineSettings = field(default_factory=OnlineSettings)
    # The command line's --select, --extend-select and --ignore: a layer over the file's own.
    cli: Override | None = None


@dataclass(frozen=True)
class FileSettings:
    """What applies to one file: the enabled rules, their severities and options."""

    rules: tuple[Rule, ...]
    severity: dict[str, Severity]
    options: dict[str, dict[str, Any]]

    # Asked for every page of a run, and the settings of a folder are made once.
    @cached_property
    def codes(self) -> frozenset[str]:
        return frozenset(rule.code for rule in self.rules)

    @cached_property
    def merged_options(self) -> dict[str, dict[str, Any]]:
        """Rule code -> its options: the defaults, overridden by the configuration's."""
        return {rule.code: {**rule.default_options(), **self.options.get(rule.code, {})} for rule in self.rules}

    def rules_for(self, generator: str) -> tuple[tuple[Rule, dict[str, Any]], ...]:
        """The rules that run on a page of a site built by `generator`, each with its options."""
        by_generator = self._rules_by_generator
        if generator not in by_generator:
            by_generator[generator] = tuple(
                (rule, self.merged_options[rule.code])
                for rule in self.rules
                if not rule.engine_reported and rule.generator in (None, generator)
            )
        return by_generator[generator]

    @cached_property
    def _rules_by_generator(self) -> dict[str, tuple[tuple[Rule, dict[str, Any]], ...]]:
        return {}


def rules_matching(selector: str) -> list[Rule]:
    """Rules a selector names: `ALL`, a code or code prefix, a rule name, or a category."""
    key = selector.strip()
    if key.upper() == "ALL":
        return list(all_rules())
    rule = find_rule(key)
    if rule is not None:
        return [rule]
    if key.lower() in {category.value for category in Category}:
        return [rule for rule in all_rules() if rule.category.value == key.lower()]
    prefix = key.upper()
    if prefix[:1].isalpha() and (prefix[1:].isdigit() or len(prefix) == 1):
        return [rule for rule in all_rules() if rule.code.startswith(prefix)]
    return []


def check_selectors(selectors, where: str) -> tuple[str, ...]:
    if isinstance(selectors, str):
        selectors = [selectors]
    if not isinstance(selectors, list | tuple) or not all(isinstance(item, str) for item in selectors):
        raise ConfigError(f"{where}: expected a list of rule codes, names or categories")
    for selector in selectors:
        if not rules_matching(selector):
            raise ConfigError(f"{where}: unknown rule or category {selector!r}")
    return tuple(selectors)


def _severity_table(table, where: str) -> dict[str, Severity]:
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: expected a table of rule = \"error\" | \"warning\" | \"info\"")
    result = {}
    for key, value in table.items():
        rules = rules_matching(key)
        if not rules:
            raise ConfigError(f"{where}: unknown rule or category {key!r}")
        try:
            level = Severity.parse(str(value))
        except ValueError as exc:
            raise ConfigError(f"{where}.{key}: {exc}") from None
        for rule in rules:
            result[rule.code] = level
    return result


def _rule_options(table, where: str) -> dict[str, dict[str, Any]]:
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: expected a table of rule tables")
    result: dict[str, dict[str, Any]] = {}
    for key, values in table.items():
        rule = find_rule(key)
        if rule is None:
            raise ConfigError(f"{where}: unknown rule {key!r}")
        if not isinstance(values, dict):
            raise ConfigError(f"{where}.{key}: expected a table of options")
        for option, value in values.items():
            if option not in rule.options:
                known = ", ".join(sorted(rule.options)) or "none"
                raise ConfigError(f"{where}.{key}: unknown option {option!r} (options of {rule.code}: {known})")
            default = rule.options[option].default
            if type(value) is not type(default) and not (isinstance(default, float) and isinstance(value, int)):
                raise ConfigError(
                    f"{where}.{key}.{option}: expected {type(default).__name__}, got {type(value).__name__}"
                )
        result.setdefault(rule.code, {}).update(values)
    return result


def _string_list(value, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where}: expected a list of strings")
    return tuple(value)


def parse_settings(table: dict, base: Path, source: str) -> Settings:
    settings = Settings(base=base, source=source)
    changes: dict[str, Any] = {}
    for key, value in table.items():
        where = f"{source}: {key}"
        if key == "select":
            changes["select"] = check_selectors(value, where)
        elif key == "ignore":
            changes["ignore"] = check_selectors(value, where)
        elif key == "extend-select":
            changes["extend_select"] = check_selectors(value, where)
        elif key == "exclude":
            changes["exclude"] = _string_list(value, where)
        elif key == "extend-exclude":
            changes["extend_exclude"] = _string_list(value, where)
        elif key == "fail-on":
            if value not in FAIL_ON_CHOICES:
                raise ConfigError(f"{where}: expected one of {', '.join(FAIL_ON_CHOICES)}")
            changes["fail_on"] = value
        elif key == "severity":
            changes["severity"] = _severity_table(value, where)
        elif key == "rules":
            for code, options in _rule_options(value, where).items():
                changes.setdefault("rule_options", dict(settings.rule_options)).setdefault(code, {}).update(options)
        elif key == "max-file-size":
            changes["max_file_size"] = _number(value, where, Settings.__dataclass_fields__["max_file_size"])
        elif key == "unpublished":
            if not isinstance(value, bool):
                raise ConfigError(f"{where}: expected true or false, got {_shown(value)}")
            changes["unpublished"] = value
        elif key == "overrides":
            changes["overrides"] = _overrides(value, where)
        elif key == "online":
            changes["online"] = _online_table(value, base, where)
        elif key == "schemas":
            schema_options = {"schemas": _schema_table(value, base, where)}
            for code in ("F004", "F005"):
                changes.setdefault("rule_options", dict(settings.rule_options)).setdefault(code, {}).update(schema_options)
        else:
            raise ConfigError(f"{source}: unknown key {key!r}")
    return replace(settings, **changes)


def _schema_table(value, base: Path, where: str) -> dict[str, SchemaFile]:
    """`[schemas]`: glob -> schema file, both relative to the configuration's folder; the
    files, and those they refer to, inside the site."""
    from pagelint.model.schemas import SchemaError, schema_file_at, schema_root

    if not isinstance(value, dict) or not all(isinstance(item, str) for item in value.values()):
        raise ConfigError(f"{where}: expected a table of glob = \"schema file\"")
    root = schema_root(base.absolute())
    table = {}
    for pattern, schema_file in value.items():
        try:
            table[str(base.absolute() / pattern)] = schema_file_at(base.absolute() / schema_file, root)
        except SchemaError as exc:
            raise ConfigError(f"{where}.{pattern}: {exc}") from None
    return table


def _typed_table(cls, table, where: str, special=()) -> dict[str, Any]:
    """Keyword arguments of the dataclass `cls` from a kebab-case TOML table, each value of
    its default's type (a list for a tuple); the keys in `special` are left to the caller."""
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: expected a table")
    defaults = {item.name.replace("_", "-"): item for item in fields(cls)}
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key in special:
            continue
        if key not in defaults:
            raise ConfigError(f"{where}: unknown key {key!r} (known: {', '.join(sorted(defaults))})")
        setting = defaults[key]
        default = setting.default
        if key == "accept-status":
            if not isinstance(value, list) or not all(type(item) is int and item in STATUS_CODES for item in value):
                raise ConfigError(f"{where}.{key}: expected a list of status codes (100 to 599)")
            value = tuple(value)
        elif isinstance(default, tuple):
            if not isinstance(value, list) or not all(type(item) is str for item in value):
                raise ConfigError(f"{where}.{key}: expected a list of strings")
            value = tuple(value)
        elif "range" in setting.metadata:
            value = _number(value, f"{where}.{key}", setting)
        elif type(value) is not type(default):  # a boolean takes only true or false, not 0 or 1
            raise ConfigError(f"{where}.{key}: expected {_TOML_TYPES.get(type(default), type(default).__name__)}, got {_shown(value)}")
        values[setting.name] = value
    return values


_TOML_TYPES = {bool: "true or false", str: "a string"}


def _shown(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, int | float | str) else f"a {type(value).__name__}"


def _number(value, where: str, setting) -> int | float:
    """`value` if it is a number of `setting`'s kind within its range: a float setting takes an
    integer too, but none takes a boolean (TOML's true is no count), nan or infinity."""
    low, high = setting.metadata["range"]
    whole = type(setting.default) is int
    if type(value) not in ((int,) if whole else (int, float)) or not low <= value <= high:  # nan is within no range
        unit = f" of {setting.metadata['unit']}" if setting.metadata["unit"] else ""
        raise ConfigError(f"{where}: expected {'a whole number' if whole else 'a number'}{unit} from {low:,} to {high:,}, got {_shown(value)}")
    return value if whole else float(value)


def _online_table(table, base: Path, where: str) -> OnlineSettings:
    values = _typed_table(OnlineSettings, table, where, special=("allow-private", "hosts"))
    allow = table.get("allow-private", False)
    if isinstance(allow, list) and all(isinstance(item, str) for item in allow):
        allow = tuple(allow)
    elif not isinstance(allow, bool):
        raise ConfigError(f"{where}.allow-private: expected true, false or a list of networks and host names")
    hosts = table.get("hosts", {})
    if not isinstance(hosts, dict):
        raise ConfigError(f"{where}.hosts: expected a table of host tables")
    host_settings = {
        host.lower(): HostSettings(**_typed_table(HostSettings, options, f"{where}.hosts.{host}"))
        for host, options in hosts.items()
    }
    for name in ("cache", "ca_bundle"):
        if values.get(name):
            values[name] = str(base / values[name])
    return OnlineSettings(**values, allow_private=allow, hosts=host_settings)


_OVERRIDE_KEYS = {"files", "select", "ignore", "extend-select", "severity"}


def _overrides(value, where: str) -> tuple[Override, ...]:
    if not isinstance(value, list):
        raise ConfigError(f"{where}: expected an array of tables ([[overrides]])")
    result = []
    for index, item in enumerate(value):
        here = f"{where}[{index}]"
        if not isinstance(item, dict):
            raise ConfigError(f"{here}: expected a table")
        unknown = set(item) - _OVERRIDE_KEYS
        if unknown:
            raise ConfigError(f"{here}: unknown key {sorted(unknown)[0]!r}")
        if "files" not in item:
            raise ConfigError(f"{here}: `files` (a list of globs) is required")
        result.append(
            Override(
                files=_string_list(item["files"], f"{here}.files"),
                select=check_selectors(item["select"], f"{here}.select") if "select" in item else None,
                ignore=check_selectors(item.get("ignore", []), f"{here}.ignore"),
                extend_select=check_selectors(item.get("extend-select", []), f"{here}.extend-select"),
                severity=_severity_table(item.get("severity", {}), f"{here}.severity"),
            )
        )
    return tuple(result)


def load_file(path: Path) -> Settings:
    """Settings from a `.pagelint.toml` or a `pyproject.toml` ([tool.pagelint])."""
    document = _toml_document(path)
    if path.name == "pyproject.toml":
        tool = document.get("tool", {})
        if not isinstance(tool, dict):
            raise ConfigError(f"{path}: tool: expected a table")
        document = tool.get("pagelint", {})
        if not isinstance(document, dict):
            raise ConfigError(f"{path}: tool.pagelint: expected a table")
    return parse_settings(document, path.parent, str(path))


def _toml_document(path: Path) -> dict:
    try:
        return tomllib.loads(read_regular_file(path, MAX_CONFIG_FILE_SIZE).decode("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None


def find_config_file(start: Path) -> Path | None:
    """The nearest `.pagelint.toml`, or `pyproject.toml` with `[tool.pagelint]`, upwards.
    A `pyproject.toml` that cannot be read as TOML is an error: whether it configures
    pagelint cannot be told, and passing over it would check with other settings."""
    directory = start if start.is_dir() else start.parent
    for candidate_dir in (directory, *directory.parents):
        candidate = candidate_dir / CONFIG_FILE
        if candidate.exists():  # not only a regular file: any other is reported when it is read
            return candidate
        pyproject = candidate_dir / "pyproject.toml"
        if pyproject.exists():
            tool = _toml_document(pyproject).get("tool")
            if isinstance(tool, dict) and "pagelint" in tool:
                return pyproject
    return None


def glob_matches(pattern: str, relative: PurePosixPath) -> bool:
    """A pattern with no `/` (other than a trailing one) matches any path component;
    otherwise it is matched against the whole path relative to the configuration."""
    stripped = pattern.rstrip("/")
    if "/" not in stripped:
        return any(fnmatch.fnmatchcase(part, stripped) for part in relative.parts)
    candidate = str(relative)
    return fnmatch.fnmatchcase(candidate, stripped) or fnmatch.fnmatchcase(candidate, stripped + "/*")


def relative_to_base(settings: Settings, path: Path) -> PurePosixPath:
    try:
        return PurePosixPath(path.absolute().relative_to(settings.base.absolute()).as_posix())
    except ValueError:
        return PurePosixPath(path.as_posix())


def is_excluded(settings: Settings, path: Path) -> bool:
    relative = relative_to_base(settings, path)
    return any(glob_matches(pattern, relative) for pattern in (*settings.exclude, *settings.extend_exclude))


def _select(select, extend_select, ignore, base: set[str] | None = None) -> set[str]:
    if select is not None:
        enabled = {rule.code for selector in select for rule in rules_matching(selector)}
    elif base is not None:
        enabled = set(base)
    else:
        enabled = {rule.code for rule in all_rules() if rule.enabled_by_default}
    enabled |= {rule.code for selector in extend_select for rule in rules_matching(selector)}
    enabled -= {rule.code for selector in ignore for rule in rules_matching(selector)}
    return enabled


def file_settings(settings: Settings, path: Path) -> FileSettings:
    """The rules of the file, its top level, then the command line (which can bring back
    what the file ignores), then the file's overrides for this path."""
    enabled = _select(settings.select, settings.extend_select, settings.ignore)
    if settings.cli is not None:
        enabled = _select(settings.cli.select, settings.cli.extend_select, settings.cli.ignore, enabled)
    severity = dict(settings.severity)
    relative = relative_to_base(settings, path)
    for override in settings.overrides:
        if any(glob_matches(pattern, relative) for pattern in override.files):
            enabled = _select(override.select, override.extend_select, override.ignore, enabled)
            severity.update(override.severity)
    rules = tuple(rule for rule in all_rules() if rule.code in enabled)
    return FileSettings(rules, severity, settings.rule_options)


def with_cli(settings: Settings, select=None, ignore=(), extend_select=(), fail_on=None) -> Settings:
    """CLI flags take precedence over the file: --select replaces its selection (its ignores
    too), --extend-select adds even what it ignores, --ignore removes."""
    cli = Override(
        files=(), select=tuple(select) if select is not None else None, ignore=tuple(ignore), extend_select=tuple(extend_select)
    )
    return replace(settings, cli=cli, fail_on=fail_on or settings.fail_on)
