"""The encoding evaluation, pagelint beside ftfy, and what the encoding rules cost.

    python bench/encoding_eval.py

Prints detection, exact repair and false alarms over the corrupted and correct strings of
tests/data/encoding_correct.txt (every codec, alone, twice, inside a correct line), ftfy's
negative cases, a per-codec table, the same per codec for both halves of the invented set
of bench/make_mojibake_set.py, and the time of E rules on generated pages.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.encoding_eval import HELD_OUT, TOOLS, evaluate, evaluate_held_out, held_out_false_alarms  # noqa: E402


def main() -> None:
    results = {name: evaluate(tool) for name, tool in TOOLS.items()}
    first = results["pagelint"]
    print(f"{first['cases']} corrupted strings, {first['correct_strings']} correct strings, "
          f"{first['negative_total']} ftfy negative cases\n")
    print(f"{'tool':<10} {'detection':>10} {'exact repair':>13} {'false alarms':>13} {'ftfy negatives':>15}")
    for name, result in results.items():
        print(f"{name:<10} {result['detection']:>10.1%} {result['exact']:>13.1%} "
              f"{len(result['false_alarms']):>13} {len(result['negative_alarms']):>15}")
    print(f"\n{'codec, case':<26} {'n':>5} {'pagelint det/exact':>20} {'ftfy det/exact':>16}")
    for group in sorted(first["by_group"]):
        total, detected, exact = first["by_group"][group]
        _, ftfy_detected, ftfy_exact = results["ftfy"]["by_group"][group]
        print(f"{group:<26} {total:>5} {detected / total:>10.1%} {exact / total:>8.1%} "
              f"{ftfy_detected / total:>8.1%} {ftfy_exact / total:>7.1%}")
    print()
    held_out()
    timing()


def held_out() -> None:
    """Per codec, both halves of the invented Cyrillic, Central European and Turkish set."""
    for half in HELD_OUT:
        results = {name: evaluate_held_out(tool, half) for name, tool in TOOLS.items()}
        print(f"{half:<14} {'n':>5} {'pagelint det/exact':>20} {'ftfy det/exact':>16}")
        for codec, (total, detected, exact) in results["pagelint"].items():
            _, ftfy_detected, ftfy_exact = results["ftfy"][codec]
            print(f"{codec:<14} {total:>5} {detected / total:>10.1%} {exact / total:>8.1%} "
                  f"{ftfy_detected / total:>8.1%} {ftfy_exact / total:>7.1%}")
        print()
    for name, tool in TOOLS.items():
        total, alarms = held_out_false_alarms(tool)
        print(f"{name}: {len(alarms)} false alarms on {total} correct lines")
    print()


def timing() -> None:
    """Time of a check of generated pages with and without the E rules."""
    import subprocess
    import tempfile

    sys.path.insert(0, str(ROOT / "bench"))
    from bench_check import make_site

    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        make_site(site, 2000)
        times = {}
        for label, args in (("all default rules", []), ("without E rules", ["--ignore", "E"])):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "pagelint", "check", "--quiet", "--fail-on", "never", *args, str(site)],
                           stdout=subprocess.DEVNULL, check=True)
            times[label] = time.perf_counter() - start
        for label, seconds in times.items():
            print(f"{label:<20} {seconds:6.2f} s for 2000 pages")
        print(f"E rules add {times['all default rules'] / times['without E rules'] - 1:.1%}")


if __name__ == "__main__":
    main()
