"""Coverage-guided fuzzing of the parsers with atheris.

    pip install atheris
    python fuzz/fuzz_targets.py TARGET [-max_total_time=600] [-runs=N] [corpus_dir]

TARGET is one of: document (decoding, front matter split and body scan of a Markdown page,
with its links and prose), html (an HTML page's tags and links), frontmatter (YAML/TOML
parsing with positions), liquid (the Liquid tag checker), rules (every registered rule on the
loaded page); the targets are in fuzz/targets.py. A crash is any exception escaping the code
under test; atheris saves the input as `crash-*`. Copy it into `fuzz/regressions/TARGET/`:
tests/test_fuzz.py replays every file there, so a crash once found stays fixed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))
# Only pagelint's own code is instrumented: its libraries would triple the start-up time.
with atheris.instrument_imports(include=["pagelint"]):
    import targets


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in targets.TARGETS:
        sys.exit(f"usage: {sys.argv[0]} {{{','.join(targets.TARGETS)}}} [libFuzzer options]")
    target = targets.TARGETS[sys.argv.pop(1)]
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
