"""Results of earlier runs, in SQLite (WAL, so that concurrent runs read and write safely),
each kept for the time-to-live of its outcome."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

_BATCH = 200  # results written per transaction
_BUSY_TIMEOUT = 30.0  # seconds a run waits for another run's write before giving up on the cache
_BUSY_RETRY = 0.01  # seconds between tries at what SQLite does not wait for itself


class LinkCache:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        ignore = path.parent / ".gitignore"
        if not ignore.exists():  # a cache is never committed, whatever the site's .gitignore says
            ignore.write_text("*\n", encoding="utf-8")
        self.connection = sqlite3.connect(path, timeout=_BUSY_TIMEOUT, isolation_level=None)
        _when_not_busy(self._prepare)
        self.pending: list[tuple[str, str, float]] = []
        self.write_error = ""

    def _prepare(self) -> None:
        self.connection.execute("PRAGMA journal_mode=WAL")
        self.connection.execute("PRAGMA synchronous=NORMAL")
        self.connection.execute(
            "CREATE TABLE IF NOT EXISTS links (url TEXT PRIMARY KEY, outcome TEXT NOT NULL, expires REAL NOT NULL)"
        )

    def lookup(self, urls: list[str]) -> dict[str, dict]:
        """The unexpired outcomes of these URLs."""
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
                with self.connection:
                    # IMMEDIATE: the write lock is waited for before anything is read, so the
                    # transaction never has to turn a read into a write (which SQLite refuses at once).
                    self.connection.execute("BEGIN IMMEDIATE")
                    self.connection.executemany("INSERT OR REPLACE INTO links VALUES (?, ?, ?)", self.pending)
            except sqlite3.Error as exc:
                self.write_error = str(exc)
        self.pending = []

    def close(self) -> None:
        self.flush()
        self.connection.close()


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
