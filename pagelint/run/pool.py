"""Checking the files of a large run in a pool of processes, merged in the order of the files."""

from __future__ import annotations

import collections
import ctypes
import itertools
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pagelint.diagnostics import LinkOccurrence, RunResult, Target
from pagelint.interrupts import ignore_interrupts
from pagelint.run.linter import Linter
from pagelint.run.one_file import check_file
from pagelint.run.options import RunOptions

CHUNK_SIZE = 32  # files a worker checks per task: large enough to amortise the hand-over
CHUNKS_IN_FLIGHT = 4  # per process: enough to keep each busy, few enough to bound memory
_PR_SET_PDEATHSIG = 1  # <sys/prctl.h>
_PARENT_POLL_SECONDS = 0.5


@dataclass
class ChunkResult:
    """What a worker found in a chunk of files, beyond the findings: the site rules'
    summaries and the options they ran with, internal errors, and the external links kept."""

    result: RunResult
    collected: dict[str, dict[str, Any]] = field(default_factory=dict)  # rule code -> path -> summary
    site_rule_options: dict[str, dict] = field(default_factory=dict)
    internal_errors: list[str] = field(default_factory=list)
    link_occurrences: dict[str, list[LinkOccurrence]] = field(default_factory=dict)

    def merge_into(self, linter: Linter, result: RunResult) -> None:
        result.absorb(self.result)
        linter.internal_errors.extend(self.internal_errors)
        for path, occurrences in self.link_occurrences.items():
            linter.keep_links(path, occurrences)
        for code, summaries in self.collected.items():
            linter.collected.setdefault(code, {}).update(summaries)
        linter.site_rule_options.update(self.site_rule_options)


_WORKER: Linter | None = None


def _start_worker(cli_overrides: dict[str, Any], config_path: Path | None, debug: bool, collect_links: bool) -> None:
    global _WORKER
    ignore_interrupts()
    _end_with_parent()
    _WORKER = Linter(cli_overrides, config_path)
    _WORKER.debug = debug
    _WORKER.collect_links = collect_links


def _end_with_parent() -> None:
    """A worker whose main process is killed (kill -9: nothing of the pool's runs there to stop
    it) ends too, instead of checking, and fixing, files for no one. On Linux the kernel kills
    it when its parent dies (strictly, the parent's thread that started it: the pool starts its
    workers from the thread that submits the first chunk, the main one); elsewhere, or where
    that cannot be asked, a thread notices that the worker was handed to another parent. A
    worker killed while writing a fix leaves at most a temporary file, which a later run removes."""
    parent = os.getppid()
    if _kernel_ends_worker_with_parent():
        if os.getppid() != parent:  # the parent died before the kernel was asked
            os._exit(1)
        return
    threading.Thread(target=_exit_when_orphaned, args=(parent,), name="pagelint-parent-watch", daemon=True).start()


def _kernel_ends_worker_with_parent() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):  # no C library to be found, or no prctl in it
        return False


def _exit_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_PARENT_POLL_SECONDS)
    os._exit(1)


def _check_chunk(targets: list[Target], options: RunOptions) -> ChunkResult:
    worker = _WORKER
    assert worker is not None, "the pool's initializer makes the worker's linter"
    chunk = ChunkResult(RunResult())
    for target in targets:
        check_file(worker, target, None, options, chunk.result)
    chunk.collected, worker.collected = worker.collected, {}
    chunk.site_rule_options = {code: worker.site_rule_options[code] for code in chunk.collected}
    chunk.internal_errors, worker.internal_errors = worker.internal_errors, []
    chunk.link_occurrences, worker.link_occurrences = worker.link_occurrences, {}
    return chunk


def check_in_pool(linter: Linter, targets: Iterator[Target], options: RunOptions, jobs: int, result: RunResult) -> None:
    """Check chunks of files in `jobs` processes, merging their results in the order of the
    files; only a few chunks are handed out ahead, so a huge tree is never held in memory."""
    from concurrent.futures import ProcessPoolExecutor

    initargs = (linter.cli_overrides, linter.config_path, linter.debug, linter.collect_links)
    with ProcessPoolExecutor(jobs, initializer=_start_worker, initargs=initargs) as pool:
        pending: collections.deque[Future[ChunkResult]] = collections.deque()
        try:
            while chunk := list(itertools.islice(targets, CHUNK_SIZE)):
                pending.append(pool.submit(_check_chunk, chunk, options))
                if len(pending) >= jobs * CHUNKS_IN_FLIGHT:
                    pending.popleft().result().merge_into(linter, result)
            while pending:
                pending.popleft().result().merge_into(linter, result)
        except KeyboardInterrupt:
            pool.shutdown(cancel_futures=True)  # the chunks not yet started are dropped
            raise
