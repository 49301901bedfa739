"""The encoding evaluation shared by tests/test_encoding_eval.py and bench/encoding_eval.py:
correct strings, their corruptions by every codec (alone, twice, inside a correct line), and
the detection / exact-repair / false-alarm rates of pagelint and of ftfy on them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import ftfy

from pagelint.text.mojibake import find

DATA = Path(__file__).parent / "data" / "encoding_correct.txt"
CODECS = {
    "Windows-1252": "sloppy-windows-1252",
    "Latin-1": "latin-1",
    "Mac Roman": "mac_roman",
    "Windows-1250": "sloppy-windows-1250",
    "Windows-1251": "sloppy-windows-1251",
    "ISO-8859-2": "iso8859_2",
    "CP437": "cp437",
}
PREFIX, SUFFIX = "Universität Zürich – ", " (2024) ✓"
SENTENCES = ("{} gave a talk.", "Contact: {} (homepage).", "**{}**, Best Paper Award 2024")


def correct_strings() -> list[str]:
    lines = [line for line in DATA.read_text("utf-8").splitlines() if line and not line.startswith("# ")]
    return lines + [template.format(line) for template in SENTENCES for line in lines]


@dataclass(frozen=True)
class Case:
    kind: str  # "once", "twice", "in line"
    codec: str
    original: str
    corrupted: str


def corrupt(text: str, codec: str) -> str:
    return text.encode("utf-8").decode(CODECS[codec])


def cases() -> list[Case]:
    result = []
    for text in correct_strings():
        if text.isascii():
            continue
        for codec in CODECS:
            once = corrupt(text, codec)
            if once == text:
                continue
            result.append(Case("once", codec, text, once))
            result.append(Case("twice", codec, text, corrupt(once, codec)))
            result.append(Case("in line", codec, PREFIX + text + SUFFIX, PREFIX + once + SUFFIX))
    return result


def pagelint_repair(text: str) -> tuple[bool, str]:
    spans = find(text)
    repaired = text
    for span in reversed(spans):
        if span.original is not None:
            repaired = repaired[: span.start] + span.original + repaired[span.end :]
    return bool(spans), repaired


def ftfy_repair(text: str) -> tuple[bool, str]:
    fixed = ftfy.fix_encoding(text)
    return fixed != text, fixed


TOOLS = {"pagelint": pagelint_repair, "ftfy": ftfy_repair}


HELD_OUT = {half: Path(__file__).parent / "data" / f"mojibake_{half}.jsonl" for half in ("tuning", "heldout")}
HELD_OUT_CORRECT = Path(__file__).parent / "data" / "mojibake_correct.txt"


def evaluate_held_out(tool, half: str) -> dict[str, list[int]]:
    """[cases, detected, exactly repaired] per codec over one half of the invented set that
    bench/make_mojibake_set.py writes (Cyrillic, Central European and Turkish names)."""
    by_codec: dict[str, list[int]] = {}
    for line in HELD_OUT[half].read_text("utf-8").split("\n")[:-1]:
        case = json.loads(line)
        found, repaired = tool(case["corrupted"])
        counts = by_codec.setdefault(case["codec"], [0, 0, 0])
        counts[0] += 1
        counts[1] += found
        counts[2] += repaired == case["original"]
    return by_codec


def held_out_false_alarms(tool) -> tuple[int, list[str]]:
    lines = [line for line in HELD_OUT_CORRECT.read_text("utf-8").splitlines() if line and not line.startswith("# ")]
    return len(lines), [line for line in lines if tool(line)[0]]


def evaluate(tool) -> dict:
    all_cases = cases()
    detected = exact = 0
    by_group: dict[str, list[int]] = {}
    for case in all_cases:
        found, repaired = tool(case.corrupted)
        detected += found
        exact += repaired == case.original
        group = by_group.setdefault(f"{case.codec} {case.kind}", [0, 0, 0])
        group[0] += 1
        group[1] += found
        group[2] += repaired == case.original
    correct = correct_strings() + [PREFIX + text + SUFFIX for text in correct_strings()]
    false_alarms = [text for text in correct if tool(text)[0]]
    negative_file = Path(__file__).resolve().parent.parent.parent / "shared" / "eval-data" / "ftfy" / "negative.json"
    negative = json.loads(negative_file.read_text("utf-8")) if negative_file.exists() else []
    negative_alarms = [case["original"] for case in negative if tool(case["original"])[0]]
    return {
        "cases": len(all_cases),
        "detection": detected / len(all_cases),
        "exact": exact / len(all_cases),
        "correct_strings": len(correct),
        "false_alarms": false_alarms,
        "negative_total": len(negative),
        "negative_alarms": negative_alarms,
        "by_group": by_group,
    }
