"""`--format gitlab`: GitLab Code Quality (a subset of the Code Climate issue format), shown
in merge requests. Paths must be relative to the repository root: run from there."""

from __future__ import annotations

from pagelint.diagnostics import Severity
from pagelint.reporters import json_format
from pagelint.reporters.fingerprint import fingerprints

_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def report(result, out, options) -> None:
    issues = []
    for diagnostic, fingerprint in zip(result.diagnostics, fingerprints(result.diagnostics), strict=True):
        issues.append(
            {
                "description": f"{diagnostic.code} [{diagnostic.name}] {diagnostic.message}",
                "check_name": diagnostic.code,
                "fingerprint": fingerprint,
                "severity": _SEVERITY[diagnostic.severity],
                "location": {"path": diagnostic.path, "lines": {"begin": diagnostic.line, "end": diagnostic.end_line}},
            }
        )
    json_format.write(issues, out)
