"""Results of earlier runs, in SQLite (WAL, so that concurrent runs read and write safely),
each kept for the time-to-live of its outcome. A cache file that is not a sound link cache
(garbage, cut short, damaged, another schema) is moved aside and started afresh, and one
larger than `SIZE_LIMIT` emptied, each with a note."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path

SIZE_LIMIT = 512 * 2**20  # bytes; a site has thousands of links, a few MB of cache
_BATCH = 200  # results written per transaction
_BUSY_TIMEOUT = 30.0  # seconds a run waits for another run's write before giving up on the cache
_BUSY_RETRY = 0.01  # seconds between tries at what SQLite does not wait for itself
_COLUMNS = ["url", "outcome", "expires"]


class _NotALinkCache(Exception):
    """A sound database, but with other tables than a link cache's."""


class LinkCache:
    def __init__(self, path: Path):
        self.path = path
        self.notes: list[str] = []  # for the user: the cache was broken or too large, and started afresh
        self.pending: list[tuple[str, str, float]] = []
        self.write_error = ""
        self.moved_aside = False  # a broken file is moved aside once a run; a second time, the cache is given up
        path.parent.mkdir(parents=True, exist_ok=True)
        ignore = path.parent / ".gitignore"
        if not ignore.exists():  # a cache is never committed, whatever the site's .gitignore says
            ignore.write_text("*\n", encoding="utf-8")
        try:
            self.connection = _connect(path)
        except (sqlite3.DatabaseError, _NotALinkCache) as exc:
            self._start_afresh_if_broken(exc)
        if path.stat().st_size > SIZE_LIMIT:
            self._empty()
            self.notes.append(f"link cache {path} is larger than {SIZE_LIMIT // 2**20} MB: started afresh")

    def lookup(self, urls: list[str]) -> dict[str, dict]:
        """The unexpired outcomes of these URLs."""
        try:
            return self._lookup(urls)
        except sqlite3.DatabaseError as exc:
            self._start_afresh_if_broken(exc)
            return {}

    def _lookup(self, urls: list[str]) -> dict[str, dict]:
        found: dict[str, dict] = {}
        now = time.time()
        for index in range(0, len(urls), 500):
            chunk = urls[index : index + 500]
            rows = self.connection.execute(
                f"SELECT url, outcome FROM links WHERE expires > ? AND url IN ({','.join('?' * len(chunk))})",
                (now, *chunk),
            )
            found.update((url, json.loads(outcome)) for url, outcome in rows)
        return found

    def store(self, url: str, outcome: dict, ttl: float) -> None:
        self.pending.append((url, json.dumps(outcome, separators=(",", ":")), time.time() + ttl))
        if len(self.pending) >= _BATCH:
            self.flush()

    def flush(self) -> None:
        """Write what is pending; a failure (a full disk, a lock held too long) is kept in
        `write_error` and later results are dropped: the run goes on without the cache."""
        if self.pending and not self.write_error:
            try:
                try:
                    self._write()
                except sqlite3.DatabaseError as exc:
                    self._start_afresh_if_broken(exc)
                    self._write()
            except (sqlite3.Error, OSError) as exc:
                self.write_error = str(exc)
        self.pending = []

    def _write(self) -> None:
        with self.connection:
            # IMMEDIATE: the write lock is waited for before anything is read, so the
            # transaction never has to turn a read into a write (which SQLite refuses at once).
            self.connection.execute("BEGIN IMMEDIATE")
            self.connection.executemany("INSERT OR REPLACE INTO links VALUES (?, ?, ?)", self.pending)

    def _start_afresh_if_broken(self, exc: sqlite3.DatabaseError | _NotALinkCache) -> None:
        """Move a broken cache file aside (replacing the one moved aside before: a cache is
        worth keeping only to see what broke it) and open a new one in its place, once a run;
        `exc` is raised again when it is not about a broken file."""
        broken = isinstance(exc, _NotALinkCache) or (exc.sqlite_errorcode & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB))
        if not broken or self.moved_aside:
            raise exc
        self.moved_aside = True
        broken_connection = getattr(self, "connection", None)  # none when the file did not even open
        if broken_connection is not None:
            broken_connection.close()
        aside = self.path.with_name(self.path.name + ".old")
        os.replace(self.path, aside)
        self.connection = _connect(self.path)
        self.notes.append(f"link cache {self.path} is broken ({exc}): moved to {aside.name} and started afresh")

    def _empty(self) -> None:
        """Delete every entry and give the space back, in place: other runs may have the file
        open, and SQLite keeps them right only while it is the same file."""
        with self.connection:
            self.connection.execute("BEGIN IMMEDIATE")
            self.connection.execute("DELETE FROM links")
        self.connection.execute("VACUUM")
        self.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the file shrinks now, unless another run is reading

    def close(self) -> None:
        self.flush()
        self.connection.close()


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=_BUSY_TIMEOUT, isolation_level=None)
    try:
        # Read before anything is written: a file that is not a database, or is cut short,
        # fails here, and another program's database is not turned into a WAL one.
        tables = {
            name: [column for (column,) in connection.execute("SELECT name FROM pragma_table_info(?)", (name,))]
            for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        }
        if tables and tables != {"links": _COLUMNS}:
            raise _NotALinkCache("another schema: " + ", ".join(f"{name}({', '.join(columns)})" for name, columns in tables.items()))
        _when_not_busy(lambda: _prepare(connection))
    except BaseException:
        connection.close()
        raise
    return connection


def _prepare(connection: sqlite3.Connection) -> None:
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("CREATE TABLE IF NOT EXISTS links (url TEXT PRIMARY KEY, outcome TEXT NOT NULL, expires REAL NOT NULL)")


def _when_not_busy(step) -> None:
    """Run `step`, again while another connection holds the lock it needs, up to the busy
    timeout. Two runs creating the cache at once both find the file empty and both make it a
    WAL database: SQLite answers the second "database is locked" at once instead of waiting
    (it never waits to turn a read into a write), and once the first is done the step is a no-op."""
    deadline = time.monotonic() + _BUSY_TIMEOUT
    while True:
        try:
            step()
            return
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                raise
        time.sleep(_BUSY_RETRY)
