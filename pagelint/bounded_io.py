"""Reads with a bound: a file or a stream is read up to a stated size and no further, and
only regular files are opened (a pipe or a device with a page's name would wait or never end)."""

from __future__ import annotations

import os
import stat
from typing import BinaryIO

DEFAULT_MAX_FILE_SIZE = 10_000_000  # bytes of a page, and of the files read beside it (`max-file-size`)
_CHUNK = 1 << 20  # what a stream is read in: memory follows what arrives, not the limit
_NON_BLOCKING = getattr(os, "O_NONBLOCK", 0)


class ReadRefused(OSError):
    """A file or stream not read: its reason is its `strerror`, as for any OSError."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.strerror = reason


class NotRegularFile(ReadRefused):
    def __init__(self) -> None:
        super().__init__("not a regular file")


class TooLarge(ReadRefused):
    """More than `limit` bytes; `size` is the file's size when it is known (a stream's is not)."""

    def __init__(self, limit: int, size: int | None = None):
        self.limit = limit
        self.size = size
        super().__init__(f"{size:,} bytes, over the limit of {limit:,}" if size is not None else f"over the limit of {limit:,} bytes")


def open_regular_file(path: str | os.PathLike) -> BinaryIO:
    """`path` opened for reading, if it is a regular file (checked on the open file, so that
    it cannot be swapped between the check and the read)."""
    handle = open(path, "rb", opener=_open_without_waiting)  # noqa: SIM115  # returned open, for the caller's `with`
    if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
        handle.close()
        raise NotRegularFile()
    return handle


def _open_without_waiting(path: str, flags: int) -> int:
    """A pipe opens at once instead of waiting for a writer; regular files ignore the flag."""
    return os.open(path, flags | _NON_BLOCKING)


def read_regular_file(path: str | os.PathLike, limit: int) -> bytes:
    """All of a regular file of at most `limit` bytes; TooLarge when it is larger (or grows
    past the limit while it is read), NotRegularFile, or the OSError of the open or the read."""
    with open_regular_file(path) as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > limit:
            raise TooLarge(limit, size)
        return read_at_most(handle, limit, first_read=size + 1)


def read_at_most(stream: BinaryIO, limit: int, first_read: int = _CHUNK) -> bytes:
    """All of `stream` if it ends within `limit` bytes; TooLarge as soon as it shows more."""
    chunks: list[bytes] = []
    total = 0
    wanted = first_read
    while True:
        chunk = stream.read(min(wanted, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise TooLarge(limit)
        wanted = _CHUNK

