"""`--format github`: GitHub Actions workflow commands, shown as annotations on the diff."""

from __future__ import annotations

from pagelint.diagnostics import Severity
from pagelint.reporters.terminal import visible

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(value: str) -> str:
    # CR and LF are shown like every control character, not sent as %0D and %0A: the runner
    # would decode those into a raw CR or line break of the annotation.
    return visible(value).replace("%", "%25")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def report(result, out, options) -> None:
    for d in result.diagnostics:
        properties = ",".join(
            (
                f"file={_escape_property(d.path)}",
                f"line={d.line}",
                f"col={d.column}",
                f"endLine={d.end_line}",
                f"endColumn={d.end_column}",
                f"title={_escape_property(f'{d.code} {d.name}')}",
            )
        )
        out.write(f"::{_COMMAND[d.severity]} {properties}::{_escape_data(d.message)}\n")
