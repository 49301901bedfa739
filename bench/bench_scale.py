"""Scale: pages per second and peak memory on 1 and 2 cores, for growing numbers of pages.

    python bench/bench_scale.py [--pages 10000 100000] [--jobs 1 2]

Time should grow linearly with the number of pages, and peak memory should not grow with it
(the peak of the largest process of each run: the parent or one of its workers).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_check import make_site
from measure import run_pagelint


def measure(site: Path, jobs: int) -> tuple[float, float]:
    return run_pagelint(["check", "--quiet", "--fail-on", "never", "-j", str(jobs), str(site)])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, nargs="+", default=[10_000])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    options = parser.parse_args()
    print(f"{'pages':>8} {'jobs':>5} {'seconds':>9} {'pages/s':>8} {'peak MiB':>9}")
    for count in sorted(options.pages):
        root = Path(tempfile.mkdtemp(prefix="pagelint-scale-"))
        try:
            make_site(root / "site", count)
            for jobs in options.jobs:
                seconds, peak = measure(root / "site", jobs)
                print(f"{count:>8} {jobs:>5} {seconds:>9.1f} {count / seconds:>8.0f} {peak:>9.1f}", flush=True)
        finally:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
