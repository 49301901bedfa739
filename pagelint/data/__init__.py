"""Data files shipped with pagelint (word lists, lexicons, tables), loaded once on demand."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def load_json(name: str) -> Any:
    return json.loads(resources.files(__package__).joinpath(name).read_text("utf-8"))


def read_text(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text("utf-8")


def read_bytes(name: str) -> bytes:
    return resources.files(__package__).joinpath(name).read_bytes()
