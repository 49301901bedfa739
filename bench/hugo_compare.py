"""Build-breakers as the real Hugo sees them: plant one defect (or one valid but tricky front
matter, shortcode or date) in a minimal Hugo site with layouts of its own, build it with `hugo`
in a temporary folder, and print, case by case, what Hugo did (fails with its message, drops
the page, dates it otherwise, loses part of it) beside what pagelint says.

    python bench/hugo_compare.py [SUBSTRING]   # only the cases whose name contains SUBSTRING

The cases, and what Hugo 0.111 did with each when they were written, are tests/data/hugo_cases.toml.
A case agrees when every build failure or silent change is reported at warning or error, every
dropped page is skipped as unpublished, and no clean build gets an error; a line marked `hugo?` is
one where the real build no longer does what is recorded. Exits 1 when any case disagrees.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from case_runs import run_each, selected  # noqa: E402

from tests.hugo_cases import agreement, build, hugo_binary, lint, load_cases, write_site  # noqa: E402


def main() -> int:
    if hugo_binary() is None:
        print("hugo is not installed (apt-get install hugo): nothing to compare", file=sys.stderr)
        return 2
    cases = selected(load_cases())
    disagreements = drifted = 0
    print(f"{'case':<50} {'Hugo':<62} pagelint")
    for case, (findings, unpublished), built in run_each(cases, "hugo-case-", write_site, lint, build):
        as_recorded = built.kind == case.hugo and (case.hugo != "fails" or case.expect.lower() in built.summary.lower())
        agrees, reason = agreement(case, case.hugo, findings, unpublished)
        disagreements += not agrees
        drifted += not as_recorded
        mark = "ok " if agrees and as_recorded else ("hugo?" if agrees else "NO ")
        said = "; ".join(f"{finding.code} {finding.severity}" for finding in findings) or ("not published" if unpublished else "nothing")
        print(f"{mark} {case.name:<46} {textwrap.shorten(f'{built.kind}: {built.summary}', 62):<62} {said}")
        if reason:
            print(f"    ^ {reason}")
    print(f"\n{len(cases)} cases: the real build did as recorded in {len(cases) - drifted}; pagelint agrees in {len(cases) - disagreements}")
    return 1 if disagreements or drifted else 0


if __name__ == "__main__":
    sys.exit(main())
