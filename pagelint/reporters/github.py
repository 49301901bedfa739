"""`--format github`: GitHub Actions workflow commands, shown as annotations on the diff."""

from __future__ import annotations

from pagelint.diagnostics import Severity

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


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
