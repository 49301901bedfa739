"""Apply fixes: exact edits, merged per file, repeated until nothing changes, written safely
(atomically where the file has one name, never over a file changed since it was read)."""

from __future__ import annotations

import codecs
import contextlib
import errno
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from pagelint.bounded_io import open_regular_file, read_at_most
from pagelint.diagnostics import Diagnostic, Fix

MAX_PASSES = 10
TEMPORARY_SUFFIX = ".pagelint-tmp"  # the new content of a file, until it is renamed over it
BACKUP_SUFFIX = ".pagelint-orig"  # a copy of a file's original while the file is rewritten in place
_TEMPORARY_NAME = re.compile(r"\..+\.[a-z0-9_]{8}" + re.escape(TEMPORARY_SUFFIX))  # as tempfile.mkstemp makes them below
# A temporary file written this long before the run began is stale: a run going on beside this one
# may be writing its own (an fsync can take seconds), and a network file system's clock may lag ours.
STALE_AFTER_NS = 60 * 10**9
_folders_cleaned: set[tuple[int, Path]] = set()  # (the run's start, a folder): each folder once a run


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


class FileChanged(Exception):
    """The file is no longer what the fixes were computed from: written, they would undo that change."""


@dataclass(frozen=True)
class FileState:
    """A file as it was read: its size and time from before the read, and a hash of what was read."""

    size: int
    mtime_ns: int
    digest: bytes

    @classmethod
    def of(cls, info: os.stat_result, content: bytes) -> FileState:
        return cls(info.st_size, info.st_mtime_ns, hashlib.sha256(content).digest())


def read_with_state(path: Path, limit: int) -> tuple[bytes, FileState]:
    """A regular file of at most `limit` bytes (else bounded_io's errors), and its state."""
    with open_regular_file(path) as handle:
        info = os.fstat(handle.fileno())
        content = read_at_most(handle, limit, first_read=info.st_size + 1)
    return content, FileState.of(info, content)


def _check_unchanged(handle: BinaryIO, read_as: FileState | None) -> None:
    if read_as is None:
        return
    info = os.fstat(handle.fileno())
    handle.seek(0)
    if (info.st_size, info.st_mtime_ns) != (read_as.size, read_as.mtime_ns) or FileState.of(info, handle.read()) != read_as:
        raise FileChanged("changed while being fixed")


def write_fix(path: Path, data: bytes, read_as: FileState, run_started_ns: int) -> None:
    """A fixed page, written only over the file as it was read, in a folder rid of the temporary
    files that an earlier run, killed while it wrote there, left."""
    remove_stale_temporaries(Path(os.path.realpath(path)).parent, run_started_ns)
    write_atomically(path, data, read_as)


def remove_stale_temporaries(folder: Path, run_started_ns: int) -> None:
    """Remove pagelint's own temporary files (its naming pattern only, never a copy of an
    original) that were last written well before this run began; the first time only."""
    if (run_started_ns, folder) in _folders_cleaned:
        return
    _folders_cleaned.add((run_started_ns, folder))
    try:
        with os.scandir(folder) as listing:
            stale = [
                entry.path for entry in listing
                if _TEMPORARY_NAME.fullmatch(entry.name) and entry.is_file(follow_symlinks=False)
                and entry.stat(follow_symlinks=False).st_mtime_ns < run_started_ns - STALE_AFTER_NS
            ]
    except OSError:  # the folder cannot be listed: the fix is written all the same
        return
    for name in stale:
        _remove_quietly(name)


def write_atomically(path: Path, data: bytes, read_as: FileState | None = None) -> None:
    """Write `data` to the file `path` names (a symbolic link stays a link: the file it points
    to is written), keeping its owner, group and mode (of a new file: 0644). With `read_as`,
    the file is written only if it is still as it was read (else FileChanged).

    A file of one name is replaced: the data goes to a temporary file beside it, which is
    fsynced and renamed over it, so a crash at any point leaves the old file or the new one,
    never half of one. A file of several names (hard links), or one whose owner a new file
    cannot be given (not root), is rewritten in place instead (see _rewrite_in_place).

    The check that the file is unchanged comes just before the rename: a change in the
    moment between the two is the one not seen (a rename cannot be made conditional).
    A read-only file is refused: renaming over it would succeed (even for root) and silently
    defeat what the read-only mode says."""
    real = Path(os.path.realpath(path))
    info = real.stat() if real.exists() else None
    if info is not None and not info.st_mode & 0o222:
        raise PermissionError(errno.EACCES, "file is read-only")
    if (info is not None and info.st_nlink > 1) or not _replaced(real, data, info, read_as):
        _rewrite_in_place(real, data, read_as)


def _replaced(real: Path, data: bytes, info: os.stat_result | None, read_as: FileState | None) -> bool:
    """Replace `real` by a new file; False, with nothing written, where the new file cannot be given its owner."""
    try:
        if info is None:
            temporary = _write_beside(real, data, TEMPORARY_SUFFIX, mode=0o644)
        else:
            temporary = _write_beside(real, data, TEMPORARY_SUFFIX, (info.st_uid, info.st_gid), info.st_mode & 0o7777)
    except _OwnerRefused:
        return False
    try:
        if read_as is not None:
            with real.open("rb") as current:
                _check_unchanged(current, read_as)
        os.replace(temporary, real)
    except BaseException:
        _remove_quietly(temporary)
        raise
    return True


class _OwnerRefused(Exception):
    """A new file cannot be given the owner of the file it would replace (pagelint is not root)."""


def _write_beside(path: Path, data: bytes, suffix: str, owner: tuple[int, int] | None = None, mode: int | None = None) -> str:
    """A new file beside `path`, named after it, holding `data`, fsynced; given `owner` (else
    _OwnerRefused) and then `mode` (a change of owner clears the set-id bits), or else private.
    Removed again if anything fails."""
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)
    try:
        with os.fdopen(handle, "wb") as out:
            if owner is not None:
                _give_owner(name, owner)
            out.write(data)
            out.flush()
            if mode is not None:
                os.chmod(name, mode)
            os.fsync(out.fileno())
    except BaseException:
        _remove_quietly(name)
        raise
    return name


def _give_owner(name: str, owner: tuple[int, int]) -> None:
    made = os.stat(name)
    if (made.st_uid, made.st_gid) == owner:
        return
    try:
        os.chown(name, *owner)
    except PermissionError as refused:
        raise _OwnerRefused from refused


def _remove_quietly(name: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(name)


def _rewrite_in_place(path: Path, data: bytes, read_as: FileState | None) -> None:
    """Overwrite the file itself, which keeps its inode: every hard link sees the fix, and the
    owner, group and mode stay. Not atomic, so a copy of the original is written and fsynced
    beside it first (`.NAME.XXXXXXXX.pagelint-orig`) and removed last: a crash in between
    leaves the original whole in that copy, which pagelint never removes on its own (it
    cannot tell whether the rewrite got to the end). A rewrite that fails puts the original
    back and removes the copy; if even that fails, the copy stays and the error names it."""
    with path.open("r+b") as page:
        original = page.read()
        backup = _write_beside(path, original, BACKUP_SUFFIX)
        try:
            _check_unchanged(page, read_as)
        except BaseException:
            os.unlink(backup)
            raise
        try:
            _overwrite(page, data)
        except BaseException:
            try:
                _overwrite(page, original)
            except OSError as failure:
                raise OSError(failure.errno, f"{failure.strerror}; the original is in {Path(backup).name}") from failure
            os.unlink(backup)
            raise
    os.unlink(backup)


def _overwrite(page: BinaryIO, data: bytes) -> None:
    page.seek(0)
    page.write(data)
    page.truncate()
    page.flush()
    os.fsync(page.fileno())


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
