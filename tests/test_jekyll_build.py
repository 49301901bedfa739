"""Build-breakers as the real Jekyll sees them (tests/data/jekyll_cases.toml): pagelint's verdict
on every planted case agrees with what `jekyll build` was seen to do, and, where Jekyll is
installed, a handful of cases are built again (and Ruby reads a list of dates) to show that the
recorded outcomes, and pagelint's reading of Ruby's dates, still hold."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pagelint.model.generators.ruby_dates import read_date
from tests.jekyll_cases import agreement, build, jekyll_binary, lint, load_cases, write_site

CASES = load_cases()
BY_NAME = {case.name: case for case in CASES}
DATES = [line for line in (Path(__file__).parent / "data" / "ruby_dates.txt").read_text("utf-8").splitlines() if not line.startswith("# ")]
BUILT = (
    "date: 2023",
    "date: 2023-05-01 23:30:00 -0500",
    "{% foo %} (unknown tag)",
    "byte order mark before --- (page)",
    "[comment]: <> (...) lines in front matter",
)
needs_jekyll = pytest.mark.skipif(jekyll_binary() is None, reason="jekyll is not installed (apt-get install jekyll): the real build is not run")


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_pagelint_agrees_with_what_jekyll_does(case, tmp_path):
    write_site(case, tmp_path)
    findings = lint(case, tmp_path)
    agrees, reason = agreement(case.jekyll, case.expected, findings)
    assert agrees, f"{case.name}: {reason}; pagelint said {[f'{f.code} {f.severity}: {f.message}' for f in findings]}"


def test_the_cases_cover_every_outcome_and_fifteen_clean_builds():
    kinds = [case.jekyll for case in CASES]
    assert set(kinds) == {"fails", "raw", "changes", "clean", "unknown"} and kinds.count("clean") >= 15


@needs_jekyll
@pytest.mark.parametrize("name", BUILT)
def test_the_real_jekyll_still_does_what_is_recorded(name, tmp_path):
    case = BY_NAME[name]
    write_site(case, tmp_path)
    built = build(case, tmp_path)
    assert built.kind == case.jekyll, built.summary
    assert case.jekyll != "fails" or case.expected in built.summary


@pytest.mark.skipif(shutil.which("ruby") is None, reason="ruby is not installed (it comes with jekyll): Ruby's own dates are not compared")
def test_dates_are_read_as_ruby_reads_them():
    script = (
        'require "time"; STDIN.each_line { |line| text = line.chomp; '
        'puts(begin; Time.parse(text).localtime.strftime("%Y-%m-%d"); rescue ArgumentError; "fails"; end) }'
    )
    now = datetime.now(UTC)
    ruby = subprocess.run(
        ["ruby", "-e", script], input="\n".join(DATES) + "\n", capture_output=True, text=True, env={**os.environ, "TZ": "UTC"},
        timeout=60, check=True,
    ).stdout.splitlines()
    ours = [reading.published if reading.verdict != "fails" else "fails" for reading in (read_date(text, quoted=True, now=now) for text in DATES)]
    assert [(text, mine, theirs) for text, mine, theirs in zip(DATES, ours, ruby, strict=True) if mine != theirs] == []
