"""`--format gitlab`: GitLab Code Quality (a subset of the Code Climate issue format), shown
in merge requests. Paths must be relative to the repository root: run from there."""

from __future__ import annotations

import hashlib
from collections import Counter

from pagelint.diagnostics import Severity
from pagelint.reporters import json_format

_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def fingerprint(diagnostic, occurrence: int) -> str:
    """Stable across runs and across edits elsewhere in the file: no line numbers, only the
    file, the rule, the message (which quotes the offending text) and, for identical
    findings in one file, which of them this is."""
    key = "\0".join((diagnostic.path, diagnostic.code, diagnostic.message, str(occurrence)))
    return hashlib.md5(key.encode("utf-8", "surrogatepass"), usedforsecurity=False).hexdigest()


def report(result, out, options) -> None:
    seen: Counter = Counter()
    issues = []
    for diagnostic in result.diagnostics:
        key = (diagnostic.path, diagnostic.code, diagnostic.message)
        seen[key] += 1
        issues.append(
            {
                "description": f"{diagnostic.code} [{diagnostic.name}] {diagnostic.message}",
                "check_name": diagnostic.code,
                "fingerprint": fingerprint(diagnostic, seen[key]),
                "severity": _SEVERITY[diagnostic.severity],
                "location": {"path": diagnostic.path, "lines": {"begin": diagnostic.line, "end": diagnostic.end_line}},
            }
        )
    json_format.write(issues, out)
