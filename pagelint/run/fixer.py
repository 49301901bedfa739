"""Apply fixes: exact edits, merged per file, repeated until nothing changes, written atomically."""

from __future__ import annotations

import codecs
import errno
import os
import tempfile
from pathlib import Path

from pagelint.diagnostics import Diagnostic, Fix

MAX_PASSES = 10


def select_edits(diagnostics: list[Diagnostic], unsafe: bool) -> list[Fix]:
    """Non-overlapping fixes in file order; of overlapping ones the first wins (the others
    are found again on the next pass, against the edited text)."""
    fixes = sorted(
        (d.fix for d in diagnostics if d.fix is not None and (d.fix.safe or unsafe)),
        key=lambda fix: (fix.start, fix.end),
    )
    chosen: list[Fix] = []
    for fix in fixes:
        if chosen and fix.start < chosen[-1].end:
            continue
        if chosen and fix.start == chosen[-1].end == chosen[-1].start == fix.end:
            continue  # two insertions at one point: order would be arbitrary
        chosen.append(fix)
    return chosen


def apply_edits(text: str, edits: list[Fix]) -> str:
    pieces = []
    position = 0
    for edit in edits:
        pieces.append(text[position : edit.start])
        pieces.append(edit.replacement)
        position = edit.end
    pieces.append(text[position:])
    return "".join(pieces)


def as_written(text: str, newline: str) -> str:
    """`text` with the line breaks of its file: one written with CR alone was read with LF."""
    return text.replace("\n", newline) if newline != "\n" else text


def encode(text: str, has_bom: bool, newline: str) -> bytes:
    data = as_written(text, newline).encode("utf-8", "surrogateescape")
    return codecs.BOM_UTF8 + data if has_bom else data


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, fsync, keep the mode (of a new file: 0644),
    and rename over it: a crash at any point leaves either the old file or the new one,
    never half of one. A read-only file is refused: renaming over it would succeed (even
    for root) and silently defeat what the read-only mode says."""
    mode = path.stat().st_mode & 0o7777 if path.exists() else 0o644
    if not mode & 0o222:
        raise PermissionError(errno.EACCES, "file is read-only")
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".pagelint-tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def fix_document(check, doc, diagnostics: list[Diagnostic], unsafe: bool):
    """Fix `doc` until no applicable fix remains. `check(raw) -> (doc, diagnostics)` re-lints.

    Returns (final doc, its diagnostics, number of edits applied)."""
    applied = 0
    for _ in range(MAX_PASSES):
        edits = select_edits(diagnostics, unsafe)
        if not edits:
            break
        new_text = apply_edits(doc.text, edits)
        has_bom = doc.has_bom and not any(edit.drops_bom for edit in edits)
        if new_text == doc.text and has_bom == doc.has_bom:
            break
        applied += len(edits)
        doc, diagnostics = check(encode(new_text, has_bom, doc.newline))
    return doc, diagnostics, applied
