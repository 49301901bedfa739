"""One file of a run: check it, fix it when asked (or show the diff), and add it to the result."""

from __future__ import annotations

import difflib
import os

from pagelint.diagnostics import Diagnostic, RunResult, Target
from pagelint.model.document import Document
from pagelint.run import fixer
from pagelint.run.linter import Linter, NotPublished
from pagelint.run.options import RunOptions


def check_file(linter: Linter, target: Target, raw: bytes | Diagnostic | None, options: RunOptions, result: RunResult) -> None:
    """With `raw`, that is the file's content (stdin): fixed text is printed, not written."""
    before_reading = _stat(target) if options.fix and raw is None else None  # to tell whether it changes before the fix is written
    checked = linter.check_target(target, raw, options.unpublished)
    if isinstance(checked, NotPublished):
        result.skip_unpublished(target.display, checked.why)
        return
    doc, diagnostics = checked
    result.files_checked += 1
    if options.keep_checked:
        result.checked.append(target.display)
    if doc is not None and (options.fix or options.diff) and any(d.fix for d in diagnostics):
        doc, diagnostics = _fix(linter, target, doc, diagnostics, options, result, raw is not None, before_reading)
    if options.keep_sources and doc is not None:
        result.sources[target.display] = doc.text.split("\n")
    result.diagnostics.extend(diagnostics)


def _fix(
    linter: Linter, target: Target, doc: Document, diagnostics: list[Diagnostic], options: RunOptions,
    result: RunResult, stdin_mode: bool, before_reading: os.stat_result | None,
) -> tuple[Document, list[Diagnostic]]:
    original = doc
    fixed, diagnostics, applied = fixer.fix_document(
        lambda raw: _recheck(linter, target, raw, options), doc, diagnostics, options.unsafe_fixes
    )
    if fixed is None or (fixed.text, fixed.has_bom) == (original.text, original.has_bom):
        return (original if fixed is None else fixed), diagnostics
    if options.diff:
        result.diffs.append(
            "".join(
                difflib.unified_diff(
                    original.text.splitlines(keepends=True),
                    fixed.text.splitlines(keepends=True),
                    fromfile=f"a/{target.display}",
                    tofile=f"b/{target.display}",
                )
            )
        )
        return original, diagnostics
    if stdin_mode:
        result.fixed += applied
        result.diffs.append(fixer.as_written(fixed.text, fixed.newline))  # with stdin, --fix prints the fixed text
        return fixed, diagnostics
    try:
        if before_reading is None:  # it was not there, then it was read
            raise fixer.FileChanged
        data, read_as = fixer.encode(fixed.text, fixed.has_bom, fixed.newline), fixer.FileState.of(before_reading, original.raw)
        fixer.write_fix(target.path, data, read_as, options.started_ns)
    except (OSError, fixer.FileChanged) as exc:  # read-only file, full disk, an edit meanwhile: the file is left as it is
        linter.internal_errors.append(f"{target.display}: {not_written(exc)}")
        return original, _recheck(linter, target, original.raw, options)[1]
    result.fixed += applied
    return fixed, diagnostics


def fixed_text(linter: Linter, target: Target, raw: bytes, unsafe: bool = False) -> str | None:
    """The text `--fix` (with `unsafe`, `--fix --unsafe-fixes`) makes of `raw`, as the file
    would be written (its line breaks; no byte order mark), or None where nothing changes."""
    checked = linter.check_target(target, raw)
    if isinstance(checked, NotPublished):
        return None
    doc, diagnostics = checked
    if doc is None:
        return None
    fixed, _, _ = fixer.fix_document(lambda fixed_raw: _recheck(linter, target, fixed_raw, RunOptions()), doc, diagnostics, unsafe)
    if fixed is None or fixed.text == doc.text:
        return None
    return fixer.as_written(fixed.text, fixed.newline)


def _recheck(linter: Linter, target: Target, raw: bytes, options: RunOptions) -> tuple[Document | None, list[Diagnostic]]:
    """Check a file again with its fixed text; no fix touches what decides that it is published."""
    checked = linter.check_target(target, raw, options.unpublished)
    return (None, []) if isinstance(checked, NotPublished) else checked


def not_written(exc: OSError | fixer.FileChanged) -> str:
    if isinstance(exc, fixer.FileChanged):
        return "changed while being fixed; not written"
    return f"fixes not written: {exc.strerror or exc}"


def _stat(target: Target) -> os.stat_result | None:
    try:
        return target.path.stat()
    except OSError:
        return None
