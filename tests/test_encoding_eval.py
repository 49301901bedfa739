"""The encoding evaluation (see tests/encoding_eval.py) holds pagelint to its targets:
detection >= 99%, exact repair >= 98%, no false alarm on correct strings, and no more
false alarms than ftfy on ftfy's own negative cases; on the invented set of
bench/make_mojibake_set.py, the same targets for every codec on each half."""

from __future__ import annotations

import json

import pytest

from tests.encoding_eval import (
    HELD_OUT,
    HELD_OUT_CORRECT,
    TOOLS,
    correct_strings,
    corrupt,
    evaluate,
    evaluate_held_out,
    held_out_false_alarms,
    pagelint_repair,
)


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


# The invented set of bench/make_mojibake_set.py: Cyrillic, Central European and Turkish
# names and institutions inside correct lines, each codec held to the targets on both halves.
CODEC_NAMES = ("Windows-1251", "ISO-8859-2", "Windows-1250", "CP437", "Windows-1254", "Windows-1252", "Mac Roman")


@pytest.fixture(scope="module")
def held_out():
    return {half: evaluate_held_out(pagelint_repair, half) for half in HELD_OUT}


def test_held_out_files_are_what_the_script_writes():
    import bench.make_mojibake_set as script

    for filename, text in script.written().items():
        assert (HELD_OUT_CORRECT.parent / filename).read_text("utf-8") == text, filename


def test_held_out_set_is_large_enough():
    originals: dict[str, set[str]] = {}
    for path in HELD_OUT.values():
        for line in path.read_text("utf-8").split("\n")[:-1]:
            case = json.loads(line)
            originals.setdefault(case["language"], set()).add(case["original"])
    counts = {language: len(lines) for language, lines in originals.items()}
    assert counts["cyrillic"] >= 300 and counts["central"] >= 300 and counts["turkish"] >= 200, counts
    assert held_out_false_alarms(pagelint_repair)[0] >= 1000


@pytest.mark.parametrize("half", list(HELD_OUT))
def test_held_out_targets_per_codec(held_out, half):
    assert set(held_out[half]) == set(CODEC_NAMES)
    misses = {codec: (detected / total, exact / total) for codec, (total, detected, exact) in held_out[half].items()
              if detected < 0.99 * total or exact < 0.98 * total}
    assert misses == {}


def test_no_false_alarm_on_the_held_out_correct_lines():
    _, alarms = held_out_false_alarms(pagelint_repair)
    assert alarms == []
    # Positive control: the Ukrainian, Polish and Turkish lines, garbled, are found.
    lines = [line for line in HELD_OUT_CORRECT.read_text("utf-8").splitlines()[1:] if "Віталій" in line or "ł" in line or "ş" in line]
    assert len(lines) > 100
    assert all(pagelint_repair(line.encode("utf-8").decode("iso8859_2"))[0] for line in lines)
