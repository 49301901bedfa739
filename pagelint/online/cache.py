"""Results of earlier runs, in SQLite (WAL, so that concurrent runs read and write safely),
each kept for the time-to-live of its outcome."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

_BATCH = 200  # results written per transaction


class LinkCache:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        ignore = path.parent / ".gitignore"
        if not ignore.exists():  # a cache is never committed, whatever the site's .gitignore says
            ignore.write_text("*\n", encoding="utf-8")
        self.connection = sqlite3.connect(path, timeout=30, isolation_level=None)
        self.connection.execute("PRAGMA journal_mode=WAL")
        self.connection.execute("PRAGMA synchronous=NORMAL")
        self.connection.execute(
            "CREATE TABLE IF NOT EXISTS links (url TEXT PRIMARY KEY, outcome TEXT NOT NULL, expires REAL NOT NULL)"
        )
        self.pending: list[tuple[str, str, float]] = []
        self.write_error = ""

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
                    self.connection.execute("BEGIN")
                    self.connection.executemany("INSERT OR REPLACE INTO links VALUES (?, ?, ?)", self.pending)
            except sqlite3.Error as exc:
                self.write_error = str(exc)
        self.pending = []

    def close(self) -> None:
        self.flush()
        self.connection.close()
