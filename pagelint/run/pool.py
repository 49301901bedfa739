"""Checking the files of a large run in a pool of processes, merged in the order of the files."""

from __future__ import annotations

import collections
import itertools
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pagelint.diagnostics import LinkOccurrence, RunResult, Target
from pagelint.run.linter import Linter
from pagelint.run.one_file import check_file
from pagelint.run.options import RunOptions
from pagelint.workers import become_worker

CHUNK_SIZE = 32  # files a worker checks per task: large enough to amortise the hand-over
CHUNKS_IN_FLIGHT = 4  # per process: enough to keep each busy, few enough to bound memory


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
    become_worker()
    _WORKER = Linter(cli_overrides, config_path)
    _WORKER.debug = debug
    _WORKER.collect_links = collect_links


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
