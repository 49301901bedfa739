"""Precision of the default error and warning findings on ../shared/corpus, against labels
that a person wrote by reading each finding as the site's owner would.

    python bench/precision.py                 # print precision per rule; list unlabelled findings
    python bench/precision.py --review FILE   # also write every finding with its source line, to label

Labels are kept in bench/labels/precision.tsv: `path<TAB>line<TAB>code<TAB>verdict`, the path
relative to the corpus, the verdict `real` (a defect of the published site the owner must act
on), `false` (a correct word, name or venue flagged; a file the build does not publish) or
`taste` (a brand's casing in prose, a style choice). No corpus text is kept there: the review
file, which quotes the source lines, is written outside the repository.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
LABELS = ROOT / "bench" / "labels" / "precision.tsv"
VERDICTS = ("real", "false", "taste")


def findings() -> list[dict]:
    """The default error and warning findings of the corpus, paths relative to it."""
    run = subprocess.run(
        [sys.executable, "-m", "pagelint", "check", "--format", "json", "--fail-on", "never", str(CORPUS)],
        capture_output=True, text=True, check=True, env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    found = [d for d in json.loads(run.stdout)["diagnostics"] if d["severity"] in ("error", "warning")]
    for diagnostic in found:
        diagnostic["path"] = str(Path(diagnostic["path"]).resolve().relative_to(CORPUS.resolve()))
    return found


def templates() -> dict[str, str]:
    """Corpus folder -> its template (academicpages, al-folio, hugo-blox, other), from MANIFEST.tsv."""
    with (CORPUS / "MANIFEST.tsv").open() as manifest:
        return {row["dir"]: row["template"] for row in csv.DictReader(manifest, delimiter="\t")}


def read_labels() -> dict[tuple[str, int, str], str]:
    labels: dict[tuple[str, int, str], str] = {}
    if LABELS.exists():
        for number, row in enumerate(LABELS.read_text().splitlines(), 1):
            if not row.strip() or row.startswith("#"):
                continue
            path, line, code, verdict = row.split("\t")[:4]
            if verdict not in VERDICTS:
                raise SystemExit(f"{LABELS}:{number}: verdict {verdict!r} is none of {', '.join(VERDICTS)}")
            labels[(path, int(line), code)] = verdict
    return labels


def write_review(found: list[dict], labels: dict, review: Path) -> None:
    lines_of: dict[str, list[str]] = {}
    with review.open("w") as out:
        for diagnostic in found:
            path = diagnostic["path"]
            if path not in lines_of:
                lines_of[path] = (CORPUS / path).read_text("utf-8", "replace").split("\n")
            source = lines_of[path][diagnostic["line"] - 1] if diagnostic["line"] <= len(lines_of[path]) else ""
            verdict = labels.get((path, diagnostic["line"], diagnostic["code"]), "")
            out.write("\t".join((path, str(diagnostic["line"]), diagnostic["code"], verdict, diagnostic["message"], source.strip()[:300])) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--review", type=Path, help="write every finding with its source line here (outside the repository)")
    parser.add_argument("--template", action="append", help="only these templates (academicpages, al-folio, hugo-blox, other)")
    options = parser.parse_args()
    kinds = templates()
    found = [d for d in findings() if not options.template or kinds.get(d["path"].split("/", 1)[0]) in options.template]
    labels = read_labels()
    if options.review:
        write_review(found, labels, options.review)
    per_rule: dict[str, Counter] = defaultdict(Counter)
    per_template: dict[str, Counter] = defaultdict(Counter)
    unlabelled = []
    for diagnostic in found:
        verdict = labels.get((diagnostic["path"], diagnostic["line"], diagnostic["code"]))
        if verdict is None:
            unlabelled.append(diagnostic)
            verdict = "unlabelled"
        per_rule[diagnostic["code"]][verdict] += 1
        per_template[kinds.get(diagnostic["path"].split("/", 1)[0], "?")][verdict] += 1
    print(f"{'rule':<6} {'findings':>8} {'real':>5} {'false':>5} {'taste':>5} {'unlab.':>6} {'precision':>9}")
    for name, counts in [*sorted(per_rule.items()), ("", Counter()), *sorted(per_template.items())]:
        if not counts:
            print()
            continue
        labelled = counts["real"] + counts["false"] + counts["taste"]
        precision = f"{100 * counts['real'] / labelled:.1f}%" if labelled else "-"
        print(f"{name:<6} {sum(counts.values()):>8} {counts['real']:>5} {counts['false']:>5} {counts['taste']:>5} {counts['unlabelled']:>6} {precision:>9}")
    total = Counter(verdict for counts in per_rule.values() for verdict in counts.elements())
    labelled = total["real"] + total["false"] + total["taste"]
    print(f"\nall: {sum(total.values())} findings, {labelled} labelled, precision {100 * total['real'] / max(labelled, 1):.1f}%")
    for diagnostic in unlabelled[:20]:
        print(f"unlabelled: {diagnostic['path']}:{diagnostic['line']}: {diagnostic['code']}")
    if len(unlabelled) > 20:
        print(f"... and {len(unlabelled) - 20} more unlabelled")
    selected = {path: verdict for path, verdict in labels.items() if not options.template or kinds.get(path[0].split("/", 1)[0]) in options.template}
    stale = set(selected) - {(d["path"], d["line"], d["code"]) for d in found}
    if stale:
        print(f"{len(stale)} labels match no finding now (fixed, moved, or no longer reported)")


if __name__ == "__main__":
    main()
