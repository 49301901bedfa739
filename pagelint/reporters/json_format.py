"""`--format json`: the contract documented in the README (and in schemas/output.schema.json)."""

from __future__ import annotations

import json
import re

from pagelint import __version__
from pagelint.diagnostics import Severity

# What json.dump leaves raw with ensure_ascii=False although a terminal may act on it (DEL, C1
# controls) or a strict UTF-8 stdout refuses it (surrogates: bytes of a file name that are not
# UTF-8). JSON never writes them outside a string, so their \u escapes read back the same.
_RAW_IN_JSON = re.compile("[\x7f-\x9f\ud800-\udfff]")


def summary(diagnostics) -> dict[str, int]:
    counts = {severity.label: 0 for severity in sorted(Severity, reverse=True)}
    for diagnostic in diagnostics:
        counts[diagnostic.severity.label] += 1
    return counts


def write(document, out) -> None:
    """`document` as JSON on `out` (also for SARIF and GitLab), escaping every control character."""
    text = json.dumps(document, ensure_ascii=False, indent=2)
    out.write(_RAW_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", text) + "\n")


def report(result, out, options) -> None:
    document = {
        "version": __version__,
        "files_checked": result.files_checked,
        "diagnostics": [diagnostic.to_json() for diagnostic in result.diagnostics],
        "summary": summary(result.diagnostics),
        "notes": result.notes,
    }
    write(document, out)
