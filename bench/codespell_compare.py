"""pagelint's spelling rules beside codespell on the same Markdown and HTML files.

    python bench/codespell_compare.py [FOLDER ...]   (default: ../shared/corpus)

codespell (GPL-2) is not a dependency of pagelint: install it in a throwaway virtualenv and
put it on PATH (or set CODESPELL=/path/to/codespell). Without it the script says so and
exits 0. codespell runs with its default dictionary; its findings are split into those in
English prose as pagelint sees it (not code, URLs, attributes, or pages and paragraphs in
another language) and the rest, and each is matched with a pagelint S finding on the same
line and word.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

from pagelint.rules.spelling import prose
from pagelint.run.linter import Linter
from pagelint.run.options import RunOptions
from pagelint.run.runner import run

SUFFIXES = (".md", ".markdown", ".html")
SKIPPED_FOLDERS = {"_site", "node_modules", "vendor", ".git"}
_CODESPELL_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+): (?P<word>\S+) ==> (?P<fix>.+)$")


def pages(folders: list[str]) -> list[str]:
    found = []
    for folder in folders:
        for directory, subdirectories, names in os.walk(folder):
            subdirectories[:] = sorted(name for name in subdirectories if name not in SKIPPED_FOLDERS)
            found += [os.path.join(directory, name) for name in sorted(names) if name.endswith(SUFFIXES)]
    return found


def codespell_findings(executable: str, files: list[str]) -> list[tuple[str, int, str, str]]:
    findings = []
    for start in range(0, len(files), 500):
        output = subprocess.run([executable, *files[start : start + 500]], capture_output=True, text=True).stdout
        for line in output.splitlines():
            match = _CODESPELL_LINE.match(line)
            if match:
                findings.append((match["path"], int(match["line"]), match["word"], match["fix"].strip()))
    return findings


def in_english_prose(doc, line: int, word: str) -> bool:
    """Whether `word` occurs on `line` inside a span the spelling rules read."""
    line_start = doc.line_starts[line - 1]
    line_end = line_start + len(doc.line_text(line))
    for match in re.finditer(rf"(?<![\w]){re.escape(word)}(?![\w])", doc.text[line_start:line_end]):
        offset = line_start + match.start()
        if any(start <= offset and offset + len(word) <= end for start, end in prose(doc)):
            return True
    return False


def main() -> int:
    executable = os.environ.get("CODESPELL") or shutil.which("codespell")
    if executable is None:
        print("codespell is not installed (pip install codespell in a throwaway virtualenv); nothing compared")
        return 0
    folders = sys.argv[1:] or [str(Path(__file__).resolve().parents[2] / "shared" / "corpus")]
    files = pages(folders)
    theirs = codespell_findings(executable, files)
    ours_all = [d for d in run(Linter(), files, RunOptions()).diagnostics if d.code.startswith("S")]
    ours: dict[tuple[str, int], list] = {}
    for diagnostic in ours_all:
        ours.setdefault((diagnostic.path, diagnostic.line), []).append(diagnostic)
    linter = Linter()
    documents = {}
    kinds: Counter = Counter()
    print(f"{len(files)} files; codespell: {len(theirs)} findings; pagelint S (default rules): {len(ours_all)} findings\n")
    print("codespell findings in English prose (= also found by pagelint):")
    matched = set()
    for path, line, word, fix in theirs:
        if path not in documents:
            target = next(linter.discover([path]))
            documents[path] = linter.load(target, target.path.read_bytes())
        if not in_english_prose(documents[path], line, word):
            kinds["outside English prose"] += 1
            continue
        same = [d for d in ours.get((path, line), []) if f"`{word.lower()}`" in d.message.lower()]
        kinds["in prose, also pagelint" if same else "in prose, codespell only"] += 1
        matched.update(id(diagnostic) for diagnostic in same)
        print(f"  {'=' if same else ' '} {path}:{line}: {word} ==> {fix}")
    print("\npagelint findings codespell does not make:")
    for diagnostic in ours_all:
        if id(diagnostic) not in matched:
            kinds["pagelint only"] += 1
            print(f"    {diagnostic.path}:{diagnostic.line}: {diagnostic.code} {diagnostic.message}")
    print()
    for kind, count in kinds.items():
        print(f"{kind}: {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
