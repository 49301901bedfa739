"""Build pagelint/data/english_words.txt.gz from SCOWL (Spell Checker Oriented Word Lists).

    apt-get install scowl
    python tools/build_word_list.py [/usr/share/dict/scowl]

Takes the English, American, British (-ise and -ize), Canadian and Australian spellings and
their common variants (variant_1), words, capitalised words, proper names, abbreviations and
contractions, up to size 70 (SCOWL's "large" list), without possessives. Each output line is
`size<TAB>words...`, sizes from the most common (10) up, each word at the smallest size that
lists it. SCOWL's licence (MIT-like) is in pagelint/data/english_words.LICENSE.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

SPELLINGS = ("english", "american", "british", "british_z", "canadian", "australian", "variant_1")
KINDS = ("words", "upper", "proper-names", "abbreviations", "contractions")
SIZES = (10, 20, 35, 40, 50, 55, 60, 70)
OUTPUT = Path(__file__).resolve().parents[1] / "pagelint" / "data" / "english_words.txt.gz"


def main() -> None:
    source = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/dict/scowl")
    seen: set[str] = set()
    lines = []
    for size in SIZES:
        words = set()
        for spelling in SPELLINGS:
            for kind in KINDS:
                path = source / f"{spelling}-{kind}.{size}"
                if path.exists():
                    words.update(path.read_text("utf-8").split("\n"))
        new = sorted(word for word in words - seen if word and not word.endswith("'s") and " " not in word)
        seen.update(new)
        lines.append(f"{size}\t{' '.join(new)}")
    with gzip.GzipFile(OUTPUT, "wb", mtime=0) as handle:
        handle.write(("\n".join(lines) + "\n").encode("utf-8"))
    print(f"{len(seen)} words -> {OUTPUT}")


if __name__ == "__main__":
    main()
