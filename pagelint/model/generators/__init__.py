"""The site generators pagelint knows, in the order a folder is tried for each."""

from __future__ import annotations

from pathlib import Path

from pagelint.model.generators.base import Generator
from pagelint.model.generators.hugo import Hugo
from pagelint.model.generators.jekyll import Jekyll

# Jekyll first: a folder with both a `_config.yml` and a `config.yml` is a Jekyll site.
GENERATORS: tuple[Generator, ...] = (Jekyll(), Hugo())


def generator_of(folder: Path) -> Generator | None:
    """The generator whose configuration is in `folder`, if any: it is a site's root."""
    return next((generator for generator in GENERATORS if generator.is_root(folder)), None)


def read_beside_pages(path: Path) -> bool:
    """A configuration or data file that some generator reads: checked in folder walks."""
    return any(generator.reads_beside_pages(path) for generator in GENERATORS)
