"""pagelint over the shared corpus of real homepages: never a crash, never exit 2."""

from __future__ import annotations

import json

import pytest

from tests.conftest import SHARED, run_subprocess


@pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason="shared corpus not present")
def test_corpus_runs_without_crash():
    result = run_subprocess(["check", "--format", "json", str(SHARED / "corpus")])
    assert result.returncode in (0, 1), result.stderr.decode()[-2000:]
    assert b"Traceback" not in result.stderr
    assert json.loads(result.stdout)["files_checked"] > 1500
