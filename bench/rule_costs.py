"""Time spent in each rule over generated pages (in-process), to find what to speed up.

    python bench/rule_costs.py [--pages 1000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_check import make_site

from pagelint.rules import all_rules
from pagelint.rules.base import SiteRule
from pagelint.run.linter import Linter


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=1000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        make_site(site, options.pages)
        linter = Linter()
        costs: Counter = Counter()
        load = 0.0
        targets = list(linter.discover([str(site)]))
        for target in targets:
            start = time.perf_counter()
            doc = linter.load(target, target.path.read_bytes())
            doc.body, doc.front_matter  # parse once, as every rule will ask
            load += time.perf_counter() - start
            for rule in all_rules():
                if rule.engine_reported:
                    continue
                start = time.perf_counter()
                if isinstance(rule, SiteRule):
                    rule.collect(doc, rule.default_options())
                else:
                    list(rule.check(doc, rule.default_options()))
                costs[rule.code] += time.perf_counter() - start
        print(f"{len(targets)} pages; loading and parsing: {load / len(targets) * 1000:.2f} ms a page")
        for code, seconds in costs.most_common():
            print(f"{code}  {seconds / len(targets) * 1000:6.3f} ms a page")
        print(f"all rules: {sum(costs.values()) / len(targets) * 1000:.2f} ms a page")
        for letter in sorted({code[0] for code in costs}):
            default = [rule.code for rule in all_rules() if rule.code[0] == letter and rule.enabled_by_default]
            spent = sum(costs[code] for code in default)
            print(f"default {letter} rules: {spent / len(targets) * 1000:.3f} ms a page")


if __name__ == "__main__":
    main()
