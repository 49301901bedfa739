"""Rewrite a fixture folder's expected.txt from what pagelint finds there now, keeping its
header comment. Read the diff before committing: the expected findings are the spec.

    python bench/update_expected.py fixtures/site
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def main() -> None:
    for folder in map(Path, sys.argv[1:]):
        expected = folder / "expected.txt"
        header = [line for line in expected.read_text("utf-8").splitlines() if line.startswith("#")] if expected.exists() else []
        output = subprocess.run(
            [sys.executable, "-m", "pagelint", "check", "--format", "json", "."], cwd=folder, capture_output=True, check=False
        ).stdout
        findings = sorted(
            f"{d['path']}:{d['line']}:{d['column']}: {d['code']}" for d in json.loads(output)["diagnostics"]
        )
        expected.write_text("\n".join(header + findings) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
