"""Write the held-out mojibake evaluation set from bench/data/mojibake_names.toml.

    python bench/make_mojibake_set.py

Every invented name, institution and phrase is put into a line of correct text (some lines
plain ASCII, some with correct dashes, quotes and accents around it) and the string alone is
corrupted through each legacy codec that can decode its UTF-8 bytes: once, twice, and once
more through Windows-1252 or Mac Roman after the first codec. Even
list entries make the tuning half, odd entries the held-out half. Writes
tests/data/mojibake_tuning.jsonl, tests/data/mojibake_heldout.jsonl (one case a line:
language, codec, kind, original line, corrupted line) and
tests/data/mojibake_correct.txt (every original line, and correct text of other scripts,
none of which may be reported).
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "bench" / "data" / "mojibake_names.toml"
OUT = ROOT / "tests" / "data"

# Name shown in reports -> Python codec; strict, so a byte the code page lacks skips the case.
CODECS = {
    "Windows-1251": "cp1251",
    "ISO-8859-2": "iso8859_2",
    "Windows-1250": "cp1250",
    "CP437": "cp437",
    "Windows-1254": "cp1254",
    "Windows-1252": "cp1252",
    "Mac Roman": "mac_roman",
}
SECOND_PASS = ("Windows-1252", "Mac Roman")
TEMPLATES = (
    "{}",
    "Joint work with {} (ETH Zurich).",
    "- **{}**, PhD student, 2019-2023",
    "Invited talk at {}, March 2024.",
    "Advisor: {}",
    "{} – visiting researcher, 2022–2023",
    "Paper with {} and José García: “Fast graphs”",
    "Universität Zürich · {} · 2024 ✓",
)


def strings(section: dict, half: int) -> list[str]:
    """The names (four forms each) and phrases of one half of a language's lists."""
    given = section["given"][half::2]
    result = []
    for index, surname in enumerate(section["surname"][half::2]):
        first = given[index % len(given)]
        second = given[(index * 3 + 1) % len(given)]
        third = given[(index * 5 + 2) % len(given)]
        result += [f"{first} {surname}", f"{second[0]}. {surname}", f"{surname}, {second}", f"{third} {surname}"]
    return result + section["phrase"][half::2]


def corrupt(text: str, codec: str) -> str | None:
    try:
        return text.encode("utf-8").decode(codec)
    except UnicodeDecodeError:
        return None


def cases(section: dict, language: str, half: int) -> list[dict]:
    found = []
    for number, text in enumerate(strings(section, half)):
        template = TEMPLATES[number % len(TEMPLATES)]
        for codec_name, codec in CODECS.items():
            once = corrupt(text, codec)
            garbled = [("once", once), ("twice", corrupt(once, codec) if once else None)]
            # Saved again and read by the commonest wrong readers: a second, different door.
            garbled += [(f"then {outer}", corrupt(once, CODECS[outer]) if once else None)
                        for outer in SECOND_PASS if outer != codec_name]
            for kind, broken in garbled:
                if broken is not None and broken != text:
                    found.append({"language": language, "codec": codec_name,
                                  "kind": kind, "original": template.format(text), "corrupted": template.format(broken)})
    return found


HALVES = {"tuning": (0, "mojibake_tuning.jsonl"), "held-out": (1, "mojibake_heldout.jsonl")}
HEADER = "# Correct lines for the held-out mojibake evaluation, written by bench/make_mojibake_set.py (MIT).\n"


def written() -> dict[str, str]:
    """File name -> the text this script writes there."""
    data = tomllib.loads(SOURCE.read_text("utf-8"))
    languages = [name for name in data if name != "correct_only"]
    files: dict[str, str] = {}
    correct: list[str] = []
    for half, filename in HALVES.values():
        rows = [row for language in languages for row in cases(data[language], language, half)]
        # UTF-8, one case a line; JSON escapes line feeds but not U+0085 or U+2028, so
        # readers split on "\n" alone.
        files[filename] = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        correct += sorted({row["original"] for row in rows})
    correct += [template.format(text) for text in data["correct_only"]["lines"] for template in TEMPLATES]
    files["mojibake_correct.txt"] = HEADER + "".join(line + "\n" for line in correct)
    return files


def main() -> None:
    for filename, text in written().items():
        (OUT / filename).write_text(text, "utf-8")
        print(f"{filename}: {text.count(chr(10))} lines")


if __name__ == "__main__":
    main()
