"""Build-breakers as the real Hugo sees them (tests/data/hugo_cases.toml): pagelint's verdict on
every planted case agrees with what `hugo` was seen to do, and, where Hugo is installed, a few
cases are built again to show that the recorded outcomes still hold."""

from __future__ import annotations

import pytest

from tests.hugo_cases import agreement, build, hugo_binary, lint, load_cases, write_site

CASES = load_cases()
BY_NAME = {case.name: case for case in CASES}
BUILT = ("unknown shortcode in an HTML comment", "paired shortcode never closed", "ref to a missing page", "date: May 3, 2023",
         "draft: true", "ref to a page by its bare name", "date: 03 May 2023")
needs_hugo = pytest.mark.skipif(hugo_binary() is None, reason="hugo is not installed (apt-get install hugo): the real build is not run")


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_pagelint_agrees_with_what_hugo_does(case, tmp_path):
    write_site(case, tmp_path)
    findings, unpublished = lint(case, tmp_path)
    agrees, reason = agreement(case, case.hugo, findings, unpublished)
    assert agrees, f"{case.name}: {reason}; pagelint said {[f'{f.code} {f.severity}: {f.message}' for f in findings]}"


def test_the_cases_cover_every_outcome():
    outcomes = [case.hugo for case in CASES]
    assert {"fails", "changes", "drops", "clean"} <= set(outcomes)
    assert outcomes.count("clean") >= 15


@needs_hugo
@pytest.mark.parametrize("name", BUILT)
def test_the_real_build_does_as_recorded(name, tmp_path):
    case = BY_NAME[name]
    write_site(case, tmp_path)
    built = build(case, tmp_path)
    assert built.kind == case.hugo, built.summary
    if case.hugo == "fails":
        assert case.expect.lower() in built.summary.lower()
