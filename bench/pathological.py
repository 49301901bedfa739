"""Growth table for the pathological inputs of issue 19: CPU time of checking one page at N, 2N
and 4N, and the ratio of 4N's time to N's (4.0 is linear).

    .venv/bin/python bench/pathological.py [--scale 0.25]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

CASES = {
    "liquid soup": ("{% if %}{{ {% for {{ }} %}", 5_000),
    "one line of links": ("[a](https://example.org/) ", 25_000),
    "a variable per line": ("{{ x }}\n", 25_000),
    "data list": ("- title: Paper {i}\n  venue: Journal of Studies {i}\n  year: 2020\n", 5_000),
    "unclosed link openers": ("[a](", 4_000),
    "Liquid never closed": ("{{ ", 5_000),
    "comments never closed": ("<!-- ", 5_000),
    "raw-text tags": ("<code>x</code> ", 5_000),
}


def _page(unit: str, count: int) -> str:
    body = "".join(unit.replace("{i}", str(i)) for i in range(count)) if "{i}" in unit else unit * count
    return "---\ntitle: Page\n---\n\n" + body + "\n"


def _cpu_seconds(page: Path) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-m", "pagelint", "check", "--offline", str(page)], capture_output=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every case's N")
    args = parser.parse_args()
    print(f"{'case':24} {'N':>8} {'t(N)':>7} {'t(2N)':>7} {'t(4N)':>7} {'4N/N':>6}")
    with tempfile.TemporaryDirectory() as folder:
        for name, (unit, base) in CASES.items():
            count = max(1, int(base * args.scale))
            times = []
            for factor in (1, 2, 4):
                page = Path(folder) / "page.md"
                page.write_text(_page(unit, count * factor), encoding="utf-8")
                times.append(_cpu_seconds(page))
            print(f"{name:24} {count:>8} {times[0]:7.2f} {times[1]:7.2f} {times[2]:7.2f} {times[2] / times[0]:6.1f}")


if __name__ == "__main__":
    main()
