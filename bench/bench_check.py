"""Throughput and memory of `pagelint check` on generated pages, and the one-file (pre-commit) case.

    python bench/bench_check.py [--pages 5000] [--keep DIR] [--generator jekyll|hugo] [--one-file]
    python bench/bench_check.py --versus-markdownlint TREE [--markdownlint PATH]

Prints pages per second and peak memory (of the pagelint process) for N pages and for N/5
pages (memory must not grow with the number of files), and the wall time of checking one
file of the generated site, as a pre-commit hook does (`--one-file`: that alone). The site is
an academicpages one, or with `--generator hugo` a Hugo Blox one of the same pages (a bundle
per publication, the front matter in TOML). Runs pagelint on one core.

`--versus-markdownlint TREE` instead runs pagelint (default rules, both cores) and
markdownlint-cli2 (`npm install markdownlint-cli2` in a throwaway folder; no dependency of
pagelint) on the same tree, three times each in turn, and prints the median wall and CPU time of
each and pagelint's share of markdownlint-cli2's: on a shared machine the CPU time is the steadier.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import run_pagelint

NAMES = ["Mei-Ling Zhao", "Tomás Novák", "Nguyễn Thị Hương", "Łukasz Wiśniewski", "Ömer Yılmaz", "山田太郎", "Jonas Berg"]
VENUES = ["NeurIPS 2024", "ICLR 2023", "SIGMOD 2022", "VLDB 2021", "OSDI 2020", "ACL 2024", "CVPR 2023"]
WORDS = (
    "we study scalable training of large models with sparse experts and measure throughput memory and accuracy "
    "on clusters of accelerators our system shards embedding tables elastically and overlaps communication"
).split()


def page(index: int, rng: random.Random) -> str:
    authors = ", ".join(rng.sample(NAMES, 4))
    paragraphs = []
    for _ in range(6):
        words = rng.choices(WORDS, k=60)
        words = [word for index, word in enumerate(words) if index == 0 or word != words[index - 1]]  # real prose
        paragraphs.append(" ".join(words).capitalize() + ".")
    items = "\n".join(
        f"+ **[{rng.choice(VENUES).split()[0]}]** {authors}. \"*[Paper {index}-{n}](https://arxiv.org/abs/2401.{(index * 8 + n) % 90000 + 10000:05d})*\"."
        for n in range(8)
    )
    return (
        f"---\ntitle: \"Paper {index}\"\ncollection: publications\ncategory: conferences\n"
        f"permalink: /publication/paper-{index}\ndate: 2024-0{index % 9 + 1}-1{index % 9}\n"
        f"venue: \"{rng.choice(VENUES)}\"\npaperurl: \"https://arxiv.org/abs/2401.{index % 90000 + 10000:05d}\"\n---\n"
        f"## Abstract\n\n{paragraphs[0]}\n\n{paragraphs[1]} See [the code](https://github.com/example/p{index}).\n\n"
        f"## Related\n\n{items}\n\n" + "\n\n".join(paragraphs[2:]) + "\n"
    )


def hugo_page(index: int, rng: random.Random) -> str:
    """The same page as a Hugo Blox publication bundle's, with TOML front matter."""
    jekyll = page(index, rng)
    body = jekyll.split("\n---\n", 1)[1]
    return (
        f'+++\ntitle = "Paper {index}"\ndate = 2024-0{index % 9 + 1}-1{index % 9}T00:00:00Z\nauthors = ["admin"]\n'
        f'publication_types = ["paper-conference"]\npublication = "{rng.choice(VENUES)}"\nurl_pdf = ""\n'
        f'url_code = "https://github.com/example/p{index}"\nimage = {{ caption = "", focal_point = "Smart" }}\n+++\n{body}'
    )


def make_hugo_site(root: Path, count: int) -> None:
    rng = random.Random(7)
    (root / "config" / "_default").mkdir(parents=True)
    (root / "config" / "_default" / "hugo.yaml").write_text(
        "title: Bench\nbaseURL: https://bench.example.org/\npermalinks:\n  event: /talk/:slug/\n"
        "module:\n  imports:\n    - path: github.com/HugoBlox/hugo-blox-builder/modules/blox-tailwind\n"
    )
    for index in range(count):
        folder = root / "content" / "publication" / f"paper-{index:06d}"
        folder.mkdir(parents=True)
        (folder / "index.md").write_text(hugo_page(index, rng), encoding="utf-8")


def make_site(root: Path, count: int) -> None:
    rng = random.Random(7)
    (root / "_publications").mkdir(parents=True)
    (root / "_config.yml").write_text(
        'title: "Bench"\nurl: "https://bench.example.org"\nbaseurl: ""\npublication_category:\n  conferences:\n    title: "Papers"\n'
        "collections:\n  publications:\n    output: true\n    permalink: /:collection/:path/\n"
    )
    for index in range(count):
        (root / "_publications" / f"paper-{index:06d}.md").write_text(page(index, rng), encoding="utf-8")


def run(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak MiB of one pagelint process, pinned to one core (one process:
    the default pool would put two workers on that core)."""
    return run_pagelint(["check", "--quiet", "--fail-on", "never", "--jobs", "1", *args], pin_to_one_core=bool(shutil.which("taskset")))


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one run of `command`, its output discarded."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def versus_markdownlint(tree: Path, markdownlint: str) -> None:
    tools = {
        "pagelint": [sys.executable, "-m", "pagelint", "check", "--offline", "--quiet", "--fail-on", "never", "."],
        "markdownlint-cli2": [markdownlint, "**/*.md"],
    }
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in tools}
    for _ in range(3):
        for name, command in tools.items():
            runs[name].append(timed(command, tree))
    medians = {name: (statistics.median(r[0] for r in times), statistics.median(r[1] for r in times)) for name, times in runs.items()}
    for name, (wall, cpu) in medians.items():
        print(f"{name:18} wall {wall:7.2f} s   cpu {cpu:7.2f} s   (median of 3)")
    print(f"pagelint / markdownlint-cli2: wall {medians['pagelint'][0] / medians['markdownlint-cli2'][0]:.2f}, cpu {medians['pagelint'][1] / medians['markdownlint-cli2'][1]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    parser.add_argument("--generator", choices=("jekyll", "hugo"), default="jekyll", help="the site's generator")
    parser.add_argument("--one-file", action="store_true", help="time only the one-file (pre-commit) run")
    parser.add_argument("--versus-markdownlint", type=Path, metavar="TREE", help="time pagelint and markdownlint-cli2 on TREE side by side")
    parser.add_argument("--markdownlint", default="markdownlint-cli2", help="the markdownlint-cli2 executable")
    options = parser.parse_args()
    if options.versus_markdownlint:
        versus_markdownlint(options.versus_markdownlint, options.markdownlint)
        return
    make = make_hugo_site if options.generator == "hugo" else make_site
    root = options.keep or Path(tempfile.mkdtemp(prefix="pagelint-bench-"))
    try:
        small = root / "small"
        large = root / "large"
        make(large, options.pages)
        if not options.one_file:
            make(small, max(options.pages // 5, 1))
            small_time, small_peak = run([str(small)])
            large_time, large_peak = run([str(large)])
            print(f"pages                 {options.pages // 5:>8} {options.pages:>8}")
            print(f"wall time (s)         {small_time:>8.2f} {large_time:>8.2f}")
            print(f"pages per second      {options.pages // 5 / small_time:>8.0f} {options.pages / large_time:>8.0f}")
            print(f"peak memory (MiB)     {small_peak:>8.1f} {large_peak:>8.1f}")
        one_file = large / "content/publication/paper-000001/index.md" if options.generator == "hugo" else large / "_publications/paper-000001.md"
        run([str(one_file)])  # warm the bytecode cache
        single = statistics.median(run([str(one_file)])[0] for _ in range(7))
        print(f"one file of the {options.pages}-page {options.generator} site, pre-commit: {single:.3f} s wall (median of 7)")
    finally:
        if options.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
