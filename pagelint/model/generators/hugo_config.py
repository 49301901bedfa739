"""A Hugo site's configuration, merged as `hugo config` shows it (seen with Hugo 0.111): the
root file (`hugo.*` preferred to `config.*`, only one of them read), then every file of
`config/_default/`, then of `config/production/` (`hugo` builds for production), each file
named after the key it fills (`params.toml` is `params`, `menus.en.toml` is the menus of
language `en`), maps merged key by key, later files winning. Keys are case-insensitive in
Hugo and are lowercased here, as `hugo config` prints them.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import yaml

from pagelint.bounded_io import read_regular_file
from pagelint.model.front_matter import JekyllLoader

ROOT_STEMS = ("hugo", "config")
CONFIG_SUFFIXES = (".toml", ".yaml", ".yml", ".json")
ROOT_NAMES = tuple(stem + suffix for stem in ROOT_STEMS for suffix in CONFIG_SUFFIXES)
ENVIRONMENTS = ("_default", "production")


def config_folder(root: Path) -> Path:
    return root / "config"


def root_file(root: Path) -> Path | None:
    return next((root / name for name in ROOT_NAMES if (root / name).is_file()), None)


def parse(path: Path, max_size: int) -> object:
    """The data of one configuration file; None when it cannot be read or does not parse (F001
    reports that where the file is checked)."""
    try:
        text = read_regular_file(path, max_size).decode("utf-8", "replace")
        suffix = path.suffix.lower()
        if suffix == ".toml":
            return tomllib.loads(text)
        if suffix == ".json":
            return json.loads(text)
        return yaml.load(text, Loader=JekyllLoader)
    except (OSError, ValueError, yaml.YAMLError, RecursionError):
        return None


def lowercased(value: object) -> object:
    if isinstance(value, dict):
        return {str(key).lower(): lowercased(item) for key, item in value.items()}
    if isinstance(value, list):
        return [lowercased(item) for item in value]
    return value


def merge(into: dict, other: dict) -> dict:
    for key, value in other.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            merge(into[key], value)
        else:
            into[key] = value
    return into


def _placed(name: str, data: dict) -> dict:
    """A file of a configuration folder, as the part of the configuration it fills."""
    parts = name.lower().split(".")
    key = parts[0]
    if key in ROOT_STEMS:
        return data
    if key == "menu":
        key = "menus"
    if len(parts) == 2:  # `menus.en` is language `en`'s
        return {"languages": {parts[1]: {key: data}}}
    return {key: data}


def environment_files(root: Path) -> list[Path]:
    """The files of the configuration folders that Hugo merges, in the order it merges them."""
    found = []
    for environment in ENVIRONMENTS:
        folder = config_folder(root) / environment
        if folder.is_dir():
            found.extend(sorted(path for path in folder.iterdir() if path.suffix.lower() in CONFIG_SUFFIXES and path.is_file()))
    return found


def read(root: Path, max_size: int) -> dict:
    merged: dict = {}
    first = root_file(root)
    if first is not None:
        data = parse(first, max_size)
        if isinstance(data, dict):
            merge(merged, lowercased(data))  # type: ignore[arg-type]
    for path in environment_files(root):
        data = parse(path, max_size)
        if isinstance(data, dict):
            merge(merged, _placed(path.name.rsplit(".", 1)[0], lowercased(data)))  # type: ignore[arg-type]
    return merged
