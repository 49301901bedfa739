"""Recall of the default rules on defects a person found by reading corpus pages.

    python bench/recall.py            # how many listed defects the default rules report, per kind
    python bench/recall.py --missed   # also list each missed defect (path, line, kind)

The yardstick is bench/labels/recall.tsv: `path<TAB>line<TAB>kind`, written by proofreading
pages of ../shared/corpus before looking at pagelint's output (no corpus text is kept). A
defect counts as reported when the default run has a finding, of any severity, on the same
path and line whose code bench/data/recall_kinds.json maps its kind to; for the kinds listed
there as whole-file kinds (a template's sample page), any finding of those codes in the file.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
LABELS = ROOT / "bench" / "labels" / "recall.tsv"
KINDS = ROOT / "bench" / "data" / "recall_kinds.json"


def default_findings() -> list[dict]:
    run = subprocess.run(
        [sys.executable, "-m", "pagelint", "check", "--format", "json", "--fail-on", "never", str(CORPUS)],
        capture_output=True, text=True, check=True, env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    found = json.loads(run.stdout)["diagnostics"]
    for diagnostic in found:
        diagnostic["path"] = str(Path(diagnostic["path"]).resolve().relative_to(CORPUS.resolve()))
    return found


def read_labels(codes_of: dict[str, list[str]]) -> list[tuple[str, int, str]]:
    labels = []
    for number, row in enumerate(LABELS.read_text().splitlines(), 1):
        if not row.strip() or row.startswith("#"):
            continue
        path, line, kind = row.split("\t")[:3]
        if kind not in codes_of:
            raise SystemExit(f"{LABELS}:{number}: kind {kind!r} has no entry in {KINDS.name}")
        labels.append((path, int(line), kind))
    return labels


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--missed", action="store_true", help="list every missed defect")
    options = parser.parse_args()
    table = json.loads(KINDS.read_text())
    codes_of: dict[str, list[str]] = table["codes"]
    file_kinds = set(table["file_kinds"])
    labels = read_labels(codes_of)
    at_line = {(d["path"], d["line"], d["code"]) for d in default_findings_cached()}
    in_file = {(path, code) for path, _, code in at_line}
    found: Counter = Counter()
    listed: Counter = Counter()
    missed = []
    for path, line, kind in labels:
        listed[kind] += 1
        if kind in file_kinds:
            hit = any((path, code) in in_file for code in codes_of[kind])
        else:
            hit = any((path, line, code) in at_line for code in codes_of[kind])
        if hit:
            found[kind] += 1
        else:
            missed.append((path, line, kind))
    print(f"{'kind':<22} {'listed':>6} {'found':>6} {'recall':>7}")
    for kind in sorted(listed, key=lambda k: (-listed[k], k)):
        print(f"{kind:<22} {listed[kind]:>6} {found[kind]:>6} {100 * found[kind] / listed[kind]:>6.0f}%")
    total, hits = sum(listed.values()), sum(found.values())
    print(f"\nall: {hits} of {total} listed defects reported by the default rules ({100 * hits / total:.0f}%)")
    if options.missed:
        for path, line, kind in missed:
            print(f"missed: {path}:{line}: {kind}")


def default_findings_cached() -> list[dict]:
    """The default run, or the JSON report in $PAGELINT_RECALL_REPORT to skip the 30-second run."""
    report = os.environ.get("PAGELINT_RECALL_REPORT")
    if not report:
        return default_findings()
    found = json.loads(Path(report).read_text())["diagnostics"]
    for diagnostic in found:
        diagnostic["path"] = str(Path(diagnostic["path"]).resolve().relative_to(CORPUS.resolve()))
    return found


if __name__ == "__main__":
    main()
