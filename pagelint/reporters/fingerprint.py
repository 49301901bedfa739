"""Fingerprints that follow a finding across commits (GitLab Code Quality, SARIF's
`partialFingerprints`): stable across runs and across edits elsewhere in the file."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator


def fingerprints(diagnostics: Iterable, path_of: Callable[[str], str] = str) -> Iterator[str]:
    """One fingerprint a finding, in order: no line numbers, only the file (as `path_of` names
    it), the rule, the message (which quotes the offending text) and, for identical findings in
    one file, which of them this is."""
    seen: Counter = Counter()
    for diagnostic in diagnostics:
        key = (path_of(diagnostic.path), diagnostic.code, diagnostic.message)
        seen[key] += 1
        joined = "\0".join((*key, str(seen[key])))
        yield hashlib.md5(joined.encode("utf-8", "surrogatepass"), usedforsecurity=False).hexdigest()
