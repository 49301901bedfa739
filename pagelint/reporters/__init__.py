"""Reporters turn a run's diagnostics into text for people or machines. They only format."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TextIO

from pagelint.diagnostics import RunResult
from pagelint.reporters import github, gitlab, json_format, junit, sarif, text


@dataclass(frozen=True)
class ReportOptions:
    color: bool = False
    show_source: bool = False
    statistics: bool = False
    quiet: bool = False
    source_lines: dict | None = None  # path -> list of lines, for --show-source
    fixable_hint: bool = True


FORMATS = {
    "text": text.report,
    "json": json_format.report,
    "github": github.report,
    "sarif": sarif.report,
    "junit": junit.report,
    "gitlab": gitlab.report,
}


def report(format_name: str, result: RunResult, out: TextIO, options: ReportOptions) -> None:
    FORMATS[format_name](result, out, options)
