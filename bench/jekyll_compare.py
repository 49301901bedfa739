"""Build-breakers as the real Jekyll sees them: plant one defect (or one valid but tricky front
matter or Liquid use) in a minimal site, build it with `jekyll build` in a temporary folder, and
print, case by case, what Jekyll did (fails with its message, copies the file raw, builds it at
the URL and date read back from `_site`) beside what pagelint says (codes and severities).

    python bench/jekyll_compare.py [SUBSTRING]   # only the cases whose name contains SUBSTRING

The cases, and what Jekyll did with each when they were written, are tests/data/jekyll_cases.toml.
A case agrees when pagelint's findings follow the rule of tests/jekyll_cases.py (build failures at
warning or error, silent changes named for their effect, clean builds with nothing graver than
information); a line marked `jekyll?` is one where the real build no longer does what is recorded.
Exits 1 when any case disagrees.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from case_runs import run_each, selected  # noqa: E402

from tests.jekyll_cases import agreement, build, jekyll_binary, lint, load_cases, write_site  # noqa: E402


def main() -> int:
    if jekyll_binary() is None:
        print("jekyll is not installed (apt-get install jekyll): nothing to compare", file=sys.stderr)
        return 2
    cases = selected(load_cases())
    disagreements = drifted = 0
    print(f"{'case':<58} {'Jekyll':<70} pagelint")
    for case, findings, built in run_each(cases, "jekyll-case-", write_site, lint, build):
        as_recorded = built.kind == case.jekyll or case.jekyll == "unknown"
        agrees, reason = agreement(case.jekyll, case.expected, findings)
        disagreements += not agrees
        drifted += not as_recorded
        mark = "ok " if agrees and as_recorded else ("jekyll?" if agrees else "NO ")
        said = "; ".join(f"{finding.code} {finding.severity}: {finding.message}" for finding in findings) or "nothing"
        jekyll = built.summary + (f" [{'; '.join(built.warnings)}]" if built.warnings else "")
        print(f"{mark} {case.name:<54} {textwrap.shorten(jekyll, 70):<70} {said}")
        if reason:
            print(f"    ^ {reason}")
    print(f"\n{len(cases)} cases: the real build did as recorded in {len(cases) - drifted}; pagelint agrees in {len(cases) - disagreements}")
    return 1 if disagreements or drifted else 0


if __name__ == "__main__":
    sys.exit(main())
