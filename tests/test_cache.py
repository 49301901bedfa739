"""The link cache (SQLite): shared by concurrent runs, rebuilt when it is broken, bounded in size."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
from pathlib import Path

import pytest

from pagelint.online.cache import SIZE_LIMIT, LinkCache

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


URL = "https://a.example.org/"


def _cache_with_entries(path: Path, count: int = 1) -> None:
    cache = LinkCache(path)
    for index in range(count):
        cache.store(f"{URL}{index}" if index else URL, {"kind": "ok", "reason": "x" * 100}, 3600)
    cache.close()


def _write_garbage(path: Path) -> None:
    path.write_bytes(b"garbage " * 100)


def _truncate(path: Path) -> None:
    _cache_with_entries(path, 500)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _damage_pages(path: Path) -> None:
    """The schema (page 1) is intact: the damage is found only when entries are read."""
    _cache_with_entries(path, 500)
    data = path.read_bytes()
    path.write_bytes(data[:4096] + b"\xa5" * (len(data) - 4096))


def _database_of_schema(statement: str):
    def write(path: Path) -> None:
        connection = sqlite3.connect(path)
        connection.execute(statement)
        connection.commit()
        connection.close()

    return write


BROKEN = {
    "garbage bytes": _write_garbage,
    "truncated": _truncate,
    "damaged pages": _damage_pages,
    "another schema": _database_of_schema("CREATE TABLE links (url TEXT PRIMARY KEY, status INTEGER)"),
    "another program's database": _database_of_schema("CREATE TABLE notes (body TEXT)"),
}


@pytest.mark.parametrize("breaking", BROKEN.values(), ids=BROKEN)
def test_a_broken_cache_is_moved_aside_and_started_afresh_with_one_note(tmp_path, breaking):
    path = tmp_path / "links.sqlite"
    breaking(path)
    broken = path.read_bytes()
    cache = LinkCache(path)
    assert cache.lookup([URL]) == {}
    cache.store(URL, {"kind": "ok"}, 60)
    cache.close()
    assert cache.write_error == ""
    assert len(cache.notes) == 1 and cache.notes[0].startswith(f"link cache {path} is broken (")
    assert cache.notes[0].endswith("moved to links.sqlite.old and started afresh")
    assert (tmp_path / "links.sqlite.old").read_bytes() == broken
    again = LinkCache(path)  # the new cache keeps what was stored
    assert set(again.lookup([URL])) == {URL} and again.notes == []
    again.close()


def test_a_sound_cache_is_kept_without_a_note(tmp_path):
    path = tmp_path / "links.sqlite"
    _cache_with_entries(path, 500)
    cache = LinkCache(path)
    assert len(cache.lookup([URL, *(f"{URL}{index}" for index in range(1, 500))])) == 500 and cache.notes == []
    cache.close()
    assert not (tmp_path / "links.sqlite.old").exists()


def test_a_cache_larger_than_the_limit_is_started_afresh_with_a_note(tmp_path):
    path = tmp_path / "links.sqlite"
    _cache_with_entries(path)
    with path.open("r+b") as database:
        database.truncate(SIZE_LIMIT)  # a sparse file: no disk used, and still a sound database
    cache = LinkCache(path)
    assert set(cache.lookup([URL])) == {URL} and cache.notes == []  # at the limit: kept
    cache.close()
    with path.open("r+b") as database:
        database.truncate(SIZE_LIMIT + 1)
    cache = LinkCache(path)
    assert cache.lookup([URL]) == {}
    assert cache.notes == [f"link cache {path} is larger than {SIZE_LIMIT // 2**20} MB: started afresh"]
    cache.close()
    assert path.stat().st_size < 2**20 and not (tmp_path / "links.sqlite.old").exists()


def test_damage_found_by_a_write_starts_the_cache_afresh_with_the_results_written(tmp_path):
    path = tmp_path / "links.sqlite"
    _damage_pages(path)
    cache = LinkCache(path)
    cache.store(URL, {"kind": "ok"}, 60)
    cache.close()
    assert cache.write_error == "" and len(cache.notes) == 1 and "is broken (database disk image is malformed)" in cache.notes[0]
    again = LinkCache(path)
    assert set(again.lookup([URL])) == {URL}
    again.close()
