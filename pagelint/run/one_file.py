"""One file of a run: check it, fix it when asked (or show the diff), and add it to the result."""

from __future__ import annotations

import difflib

from pagelint.diagnostics import Diagnostic, RunResult, Target
from pagelint.model.document import Document
from pagelint.run import fixer
from pagelint.run.linter import Linter
from pagelint.run.options import RunOptions


def check_file(linter: Linter, target: Target, raw: bytes | Diagnostic | None, options: RunOptions, result: RunResult) -> None:
    """With `raw`, that is the file's content (stdin): fixed text is printed, not written."""
    doc, diagnostics = linter.check_target(target, raw)
    result.files_checked += 1
    if options.keep_checked:
        result.checked.append(target.display)
    if doc is not None and (options.fix or options.diff) and any(d.fix for d in diagnostics):
        doc, diagnostics = _fix(linter, target, doc, diagnostics, options, result, stdin_mode=raw is not None)
    if options.keep_sources and doc is not None:
        result.sources[target.display] = doc.text.split("\n")
    result.diagnostics.extend(diagnostics)


def _fix(
    linter: Linter, target: Target, doc: Document, diagnostics: list[Diagnostic], options: RunOptions,
    result: RunResult, stdin_mode: bool,
) -> tuple[Document, list[Diagnostic]]:
    original = doc
    fixed, diagnostics, applied = fixer.fix_document(
        lambda raw: linter.check_target(target, raw), doc, diagnostics, options.unsafe_fixes
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
        fixer.write_atomically(target.path, fixer.encode(fixed.text, fixed.has_bom, fixed.newline))
    except OSError as exc:  # read-only file, full disk: the original is left as it was
        linter.internal_errors.append(f"{target.display}: fixes not written: {exc.strerror or exc}")
        return original, linter.check_target(target, original.raw)[1]
    result.fixed += applied
    return fixed, diagnostics
