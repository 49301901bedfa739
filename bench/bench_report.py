"""Size of the HTML site report and how fast headless Chromium renders it.

    python bench/bench_report.py [SITE] [--runs 3]     # SITE defaults to ../shared/corpus

Writes the report of SITE to bench/out/report.html and prints its size, the time pagelint
took to write it, and, over a few runs in headless Chromium (/usr/bin/chromium, Debian's
`chromium` package): the time from navigation until the page is parsed, its script has run
and it is laid out, and the time one filter change takes (script and layout again). The
timings come from the page itself (performance.now()), read back from the dumped DOM.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")

# Appended to a copy of the report: forces layout, then measures one filter change.
PROBE = """<script>
(function () {
  document.body.offsetHeight;
  var ready = performance.now();
  var box = document.querySelector('#filters input[name="category"]');
  var start = performance.now();
  box.checked = !box.checked;
  box.form.dispatchEvent(new Event("change"));
  document.body.offsetHeight;
  var filter = performance.now() - start;
  document.documentElement.setAttribute("data-bench", ready.toFixed(1) + " " + filter.toFixed(1));
})();
</script>"""


def chromium_timings(report: Path, profile: Path) -> tuple[float, float, float]:
    probe = report.with_name("report-probe.html")
    probe.write_text(report.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8")
    started = time.perf_counter()
    dom = subprocess.run(
        [
            str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
            "--dump-dom", probe.as_uri(),
        ],
        capture_output=True, text=True, timeout=120,
    ).stdout
    wall = time.perf_counter() - started
    found = re.search(r'data-bench="([\d.]+) ([\d.]+)"', dom)
    if found is None:
        sys.exit("the page did not report its timings (did its script fail?)")
    return float(found.group(1)), float(found.group(2)), wall * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    report = out / "report.html"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pagelint", "report", args.site, "-o", str(report)], check=True, stdout=subprocess.DEVNULL)
    written = time.perf_counter() - started
    print(f"report of {args.site}: {report.stat().st_size / 1e6:.2f} MB, written in {written:.2f} s")
    if not CHROMIUM.exists():
        print("Chromium is not installed (apt-get install chromium): no render timings.")
        return
    with tempfile.TemporaryDirectory() as profile:
        runs = [chromium_timings(report, Path(profile)) for _ in range(args.runs)]
    for label, index in (("parsed, scripted and laid out", 0), ("one filter change", 1), ("chromium process (wall)", 2)):
        values = [run[index] for run in runs]
        print(f"{label:<32} median {statistics.median(values):7.0f} ms   (runs: {', '.join(f'{v:.0f}' for v in values)})")


if __name__ == "__main__":
    main()
