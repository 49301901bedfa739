"""`--format json`: the contract documented in the README (and in schemas/output.schema.json)."""

from __future__ import annotations

import json

from pagelint import __version__
from pagelint.diagnostics import Severity


def summary(diagnostics) -> dict[str, int]:
    counts = {severity.label: 0 for severity in sorted(Severity, reverse=True)}
    for diagnostic in diagnostics:
        counts[diagnostic.severity.label] += 1
    return counts


def report(result, out, options) -> None:
    document = {
        "version": __version__,
        "files_checked": result.files_checked,
        "diagnostics": [diagnostic.to_json() for diagnostic in result.diagnostics],
        "summary": summary(result.diagnostics),
    }
    json.dump(document, out, ensure_ascii=False, indent=2)
    out.write("\n")
