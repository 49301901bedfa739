"""The encoding evaluation (see tests/encoding_eval.py) holds pagelint to its targets:
detection >= 99%, exact repair >= 98%, no false alarm on correct strings, and no more
false alarms than ftfy on ftfy's own negative cases."""

from __future__ import annotations

import pytest

from tests.encoding_eval import TOOLS, correct_strings, corrupt, evaluate, pagelint_repair


@pytest.fixture(scope="module")
def results():
    return {name: evaluate(tool) for name, tool in TOOLS.items()}


def test_enough_cases(results):
    assert results["pagelint"]["cases"] > 5000 and results["pagelint"]["correct_strings"] > 600


def test_detection_and_exact_repair_targets(results):
    assert results["pagelint"]["detection"] >= 0.99
    assert results["pagelint"]["exact"] >= 0.98


def test_no_false_alarm_on_correct_strings(results):
    assert results["pagelint"]["false_alarms"] == []
    # The same strings read as Windows-1252 are alarms, every one.
    assert all(pagelint_repair(corrupt(text, "Windows-1252"))[0] for text in correct_strings() if not text.isascii())


def test_no_more_alarms_than_ftfy_on_its_negative_cases(results):
    if not results["ftfy"]["negative_total"]:
        pytest.skip("ftfy's negative cases (shared/eval-data) not present")
    assert len(results["pagelint"]["negative_alarms"]) <= len(results["ftfy"]["negative_alarms"])
