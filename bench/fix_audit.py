"""Every change `pagelint check --fix` makes to the corpus, as a small diff hunk under its rule, for a person to read.

    python bench/fix_audit.py [--corpus /work/shared/corpus] [--unsafe-fixes] [--select CODES]

The corpus is copied to a temporary folder and fixed there. Each file is fixed in-process as
`check --fix` fixes it (the same passes, the same choice of edits), recording which finding
each edit comes from; then the command line fixes another copy, and the two must agree, so
the hunks shown are what the command line writes. Then, on the fixed copy:

- a second `check --fix` must change nothing;
- `check` must report no finding (path, code, message; lines may shift) that the original
  did not have.

Nothing is judged here: whether a change is right is for the reader to say.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pagelint.diagnostics import Diagnostic, Fix
from pagelint.run import fixer
from pagelint.run.linter import Linter, NotPublished

CONTEXT_CHARS = 100  # of a long line, this much either side of the edit is shown
MAX_HUNK_LINES = 8


@dataclass(frozen=True)
class Change:
    path: str
    line: int
    code: str
    message: str
    hunk: list[str]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", default="/work/shared/corpus")
    parser.add_argument("--unsafe-fixes", action="store_true")
    parser.add_argument("--select", help="only these rules, as `check --select` takes them")
    args = parser.parse_args()
    extra = (["--unsafe-fixes"] if args.unsafe_fixes else []) + (["--select", args.select] if args.select else [])
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for copy in ("recorded", "cli"):
            _copy_writable(Path(args.corpus), work / copy)
        original = _findings(work / "cli", extra)
        changes, recorded_texts = _fix_recording(work, "recorded", args)
        _cli(work, ["check", "--fix", "--format", "json", *extra, "cli"])
        _print_changes(changes)
        problems = _compare_with_cli(work, recorded_texts)
        before = _snapshot(work / "cli")
        second = _cli(work, ["check", "--fix", "--format", "json", *extra, "cli"])
        changed_again = sorted(path for path, digest in _snapshot(work / "cli").items() if before.get(path) != digest)
        new = _new_findings(original, json.loads(second)["diagnostics"])
        print(f"\n{len(changes)} changes in {len({change.path for change in changes})} files; per rule: "
              + ", ".join(f"{code} {count}" for code, count in sorted(collections.Counter(c.code for c in changes).items())))
        print(f"in-process and command line disagree on {len(problems)} files" + "".join(f"\n  {p}" for p in problems))
        print(f"a second --fix changed {len(changed_again)} files" + "".join(f"\n  {p}" for p in changed_again))
        print(f"re-checking the fixed copy: {len(new)} findings the original did not have"
              + "".join(f"\n  {d['path']}:{d['line']}: {d['code']} {d['message']}" for d in new))


def _copy_writable(source: Path, destination: Path) -> None:
    """The corpus is read-only; a copy that `--fix` may not write would show no change at all."""
    shutil.copytree(source, destination, symlinks=True)
    for directory, _, files in os.walk(destination):
        for name in files:
            path = Path(directory, name)
            if not path.is_symlink():
                path.chmod(path.stat().st_mode | stat.S_IWUSR)


def _cli(work: Path, args: list[str]) -> str:
    process = subprocess.run([sys.executable, "-m", "pagelint", *args], cwd=work, capture_output=True, text=True)
    if process.returncode not in (0, 1):
        raise SystemExit(f"pagelint {' '.join(args)} exited {process.returncode}: {process.stderr.strip()}")
    return process.stdout


def _findings(path: Path, extra: list[str]) -> list[dict]:
    return json.loads(_cli(path.parent, ["check", "--format", "json", *extra, path.name]))["diagnostics"]


def _fix_recording(work: Path, copy: str, args) -> tuple[list[Change], dict[str, str]]:
    """Fix every file of `work/copy` in-process, recording each edit with its finding.
    Returns the changes and the fixed text of each changed file (by path within the copy)."""
    cwd = Path.cwd()
    os.chdir(work)  # display paths as the command line, run from there, shows them
    try:
        linter = Linter({"select": args.select.split(",")} if args.select else None)
        changes: list[Change] = []
        texts: dict[str, str] = {}
        for target in linter.discover([copy]):
            checked = linter.check_target(target)
            if isinstance(checked, NotPublished):
                continue  # the command line does not fix what the site does not publish
            doc, diagnostics = checked
            if doc is None or not any(d.fix and (d.fix.safe or args.unsafe_fixes) for d in diagnostics):
                continue
            recorder = _Recorder(linter, target, doc, diagnostics, args.unsafe_fixes)
            fixed, _, _ = fixer.fix_document(recorder, doc, diagnostics, args.unsafe_fixes)
            if fixed is not None and fixed.text != doc.text:
                texts[str(Path(target.display).relative_to(copy))] = fixed.text
            changes.extend(recorder.changes)
        return changes, texts
    finally:
        os.chdir(cwd)


class _Recorder:
    """The `check` that `fixer.fix_document` calls after each pass: before re-checking, it
    records the edits of the pass, chosen from the findings exactly as the fixer chose them."""

    def __init__(self, linter: Linter, target, doc, diagnostics: list[Diagnostic], unsafe: bool):
        self.linter, self.target, self.unsafe = linter, target, unsafe
        self.current = (doc, diagnostics)
        self.changes: list[Change] = []

    def __call__(self, raw: bytes):
        doc, diagnostics = self.current
        finding_of = {id(d.fix): d for d in diagnostics if d.fix is not None}
        for edit in fixer.select_edits(diagnostics, self.unsafe):
            finding = finding_of[id(edit)]
            self.changes.append(Change(doc.display_path, edit.line, finding.code, finding.message, _hunk(doc.text, edit)))
        self.current = self.linter.check_target(self.target, raw)
        return self.current


def _hunk(text: str, edit: Fix) -> list[str]:
    """The lines the edit touches, before and after, cut around the edit when long."""
    line_start = text.rfind("\n", 0, edit.start) + 1
    line_end = text.find("\n", edit.end)
    line_end = len(text) if line_end < 0 else line_end
    before = text[line_start:line_end]
    after = text[line_start : edit.start] + edit.replacement + text[edit.end : line_end]
    offset = edit.start - line_start
    if "\n" not in before and "\n" not in after and len(before) > 2 * CONTEXT_CHARS:
        cut = max(0, offset - CONTEXT_CHARS)
        before = "…" + before[cut : offset + (edit.end - edit.start) + CONTEXT_CHARS] + "…"
        after = "…" + after[cut : offset + len(edit.replacement) + CONTEXT_CHARS] + "…"
    old, new = before.split("\n"), after.split("\n")
    if len(old) > MAX_HUNK_LINES or len(new) > MAX_HUNK_LINES:
        import difflib

        lines = [line for line in difflib.unified_diff(old, new, lineterm="", n=0) if not line.startswith(("---", "+++", "@@"))]
        return lines[:MAX_HUNK_LINES] + ([f"  ... {len(lines) - MAX_HUNK_LINES} more changed lines"] if len(lines) > MAX_HUNK_LINES else [])
    return ["-" + line for line in old] + ["+" + line for line in new]


def _print_changes(changes: list[Change]) -> None:
    for change in sorted(changes, key=lambda change: (change.code, change.path, change.line)):
        print(f"\n### {change.code} {change.path}:{change.line}: {change.message}")
        for line in change.hunk:
            print("   " + line)


def _compare_with_cli(work: Path, recorded_texts: dict[str, str]) -> list[str]:
    """Files where the command line's fix differs from the recorded one (or was not written)."""
    problems = []
    for relative, text in sorted(recorded_texts.items()):
        written = (work / "cli" / relative).read_bytes().decode("utf-8", "surrogateescape").removeprefix("\ufeff")
        if written != text:
            problems.append(relative)
    return problems


def _snapshot(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*") if path.is_file() and not path.is_symlink()
    }


def _new_findings(original: list[dict], fixed: list[dict]) -> list[dict]:
    """Findings of the fixed copy beyond those of the original, by path, rule and message,
    whose numbers may be positions that an edit before them shifts (`lines 3 and 5`)."""
    def identity(finding: dict) -> tuple[str, str, str]:
        return finding["path"], finding["code"], re.sub(r"\d+", "#", finding["message"])

    remaining = collections.Counter(map(identity, original))
    new = []
    for finding in fixed:
        key = identity(finding)
        if remaining[key]:
            remaining[key] -= 1
        else:
            new.append(finding)
    return new


if __name__ == "__main__":
    main()
