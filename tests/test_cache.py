"""The link cache (SQLite): shared by concurrent runs, rebuilt when it is broken, bounded in size."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
from pathlib import Path

from pagelint.online.cache import LinkCache

ROUNDS = 60  # fresh caches two processes open at the same moment; each is a chance for the race
ENTRIES = 20


def _urls(writer: str, round_: int) -> list[str]:
    return [f"https://{writer}.example.org/{round_}/{index}" for index in range(ENTRIES)]


def _share_caches(folder: str, writer: str, other: str, barrier, errors) -> None:
    """One of two processes, each like a run: every round both open a fresh cache and the
    shared one at the same moment, write their entries, then read the other's."""
    found = []
    for round_ in range(ROUNDS):
        try:
            barrier.wait()
            caches = [LinkCache(Path(folder) / str(round_) / "links.sqlite"), LinkCache(Path(folder) / "shared" / "links.sqlite")]
            for cache in caches:
                for url in _urls(writer, round_):
                    cache.store(url, {"kind": "ok", "round": round_}, 3600)
                cache.flush()
                found += [cache.write_error] if cache.write_error else []
            barrier.wait()
            for cache in caches:
                missing = set(_urls(other, round_)) - set(cache.lookup(_urls(other, round_)))
                found += [f"round {round_}: {len(missing)} of {other}'s entries missing"] if missing else []
                cache.close()
        except Exception as exc:  # reported to the test rather than lost in the child
            found.append(f"round {round_}: {exc!r}")
            barrier.abort()
            break
    errors.put(found)


def test_two_processes_write_and_read_the_same_caches_at_once(tmp_path):
    context = multiprocessing.get_context("spawn")  # two independent interpreters, as two runs are
    barrier, errors = context.Barrier(2, timeout=120), context.Queue()
    writers = [context.Process(target=_share_caches, args=(str(tmp_path), *pair, barrier, errors)) for pair in (("a", "b"), ("b", "a"))]
    for writer in writers:
        writer.start()
    found = [errors.get(timeout=300) for _ in writers]
    for writer in writers:
        writer.join()
    assert found == [[], []]
    shared = LinkCache(tmp_path / "shared" / "links.sqlite")
    every_url = [url for round_ in range(ROUNDS) for writer in "ab" for url in _urls(writer, round_)]
    assert len(shared.lookup(every_url)) == len(every_url) == 2 * ROUNDS * ENTRIES
    for round_ in range(ROUNDS):
        fresh = LinkCache(tmp_path / str(round_) / "links.sqlite")
        assert len(fresh.lookup(_urls("a", round_) + _urls("b", round_))) == 2 * ENTRIES
        fresh.close()
    shared.close()


def test_a_new_cache_another_run_is_writing_is_waited_for(tmp_path):
    """The other run holds the write lock of the file both found empty: SQLite answers
    "database is locked" at once to the second making it a WAL database, without waiting."""
    path = tmp_path / "links.sqlite"
    other_run = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other_run.execute("BEGIN IMMEDIATE")
    other_run.execute("CREATE TABLE links (url TEXT PRIMARY KEY, outcome TEXT NOT NULL, expires REAL NOT NULL)")
    finishing = threading.Timer(0.2, other_run.execute, ("COMMIT",))
    finishing.start()
    cache = LinkCache(path)
    finishing.join()
    cache.store("https://a.example.org/", {"kind": "ok"}, 60)
    cache.flush()
    assert cache.write_error == "" and set(cache.lookup(["https://a.example.org/"])) == {"https://a.example.org/"}
    cache.close()
    other_run.close()
