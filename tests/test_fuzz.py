"""The fuzz targets (fuzz/targets.py): every input once found to crash stays fixed, and in CI
each target runs briefly under atheris, coverage-guided, to catch new crashes early. The long
runs are `python fuzz/fuzz_targets.py TARGET -max_total_time=600`."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from tests.conftest import ROOT

FUZZ = ROOT / "fuzz"
sys.path.insert(0, str(FUZZ))
import targets  # noqa: E402

REGRESSION_FOLDER = FUZZ / "regressions"
REGRESSIONS = sorted(REGRESSION_FOLDER.glob("*/*"))


def test_there_are_saved_crash_inputs_to_replay():
    # With no inputs the replay below is an empty parametrization, which pytest only skips.
    assert REGRESSIONS, f"no saved crash inputs in {REGRESSION_FOLDER} (one file a crash, in a folder named after its target)"


@pytest.mark.parametrize("case", REGRESSIONS, ids=[f"{case.parent.name}/{case.name}" for case in REGRESSIONS])
def test_saved_crash_inputs_no_longer_crash(case):
    targets.TARGETS[case.parent.name](case.read_bytes())


def test_every_regression_folder_names_a_target():
    assert {case.parent.name for case in REGRESSIONS} <= set(targets.TARGETS)


@pytest.mark.skipif(importlib.util.find_spec("atheris") is None, reason="atheris is not installed")
@pytest.mark.parametrize("target", sorted(targets.TARGETS))
def test_short_coverage_guided_run_finds_no_crash(target, tmp_path):
    run = subprocess.run(
        [sys.executable, str(FUZZ / "fuzz_targets.py"), target, "-runs=2000", "-seed=1", f"-artifact_prefix={tmp_path}/"],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Done 2000 runs" in run.stderr
