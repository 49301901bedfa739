"""Where links are requested: lanes, each an event loop with hosts of its own, fed URLs while
the pages are still being checked, so that the first requests leave as soon as the first page
is read. A lane runs in a thread of this process or, in a run of several processes, in a
process of its own (forked before any thread exists): the requests' CPU, not the network,
bounds large runs. A host's URLs all go to one lane, so that its per-host limit holds.

A lane is given batches of (URL, fragments cited, whether to probe https://, whether the
host serves TLS as an earlier run found, or None) and, once told that no more come, answers
with the outcomes (as dicts), how many URLs the time budget left unchecked, and the TLS
verdicts of hosts it decided (for the cache). Its `tally` is [URLs done, failing, position of the URL last done], read by
the parent for the progress bar."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import threading
import traceback
from collections import deque
from collections.abc import Callable, MutableSequence
from urllib.parse import urlsplit

from pagelint.config import OnlineSettings
from pagelint.online.outcome import Outcome

Batch = list[tuple[str, frozenset[str], bool, bool | None]]
LaneResult = tuple[dict[str, dict], int, dict[str, bool]]


class HostScheduler:
    """Checks the URLs added with, for each host, up to `per_host` runners, and `limit` in
    all. A runner takes its host's next URL as soon as its last is answered, so that nothing
    waits in the event loop's queue between an answer and the next request; and a page
    citing hundreds of links to one host does not hold up the other hosts' links."""

    def __init__(self, checker, report: Callable[[str, Outcome, int], None], limit: int):
        self.checker = checker
        self.report = report
        self.limit = limit
        self.waiting: dict[str, deque] = {}  # host -> URLs not started; present while the host has runners
        self.running: dict[str, int] = {}
        self.startable: deque[str] = deque()  # hosts with URLs waiting for a runner beyond `limit`
        self.marked: set[str] = set()  # the hosts in `startable`
        self.tasks: set[asyncio.Task] = set()
        self.probes: set[asyncio.Task] = set()  # https:// comparisons (L104) of URLs checked, not reported yet
        self.idle = asyncio.Event()
        self.idle.set()
        self.error: BaseException | None = None

    def add(self, url: str, fragments: frozenset[str], probe_https: bool, position: int) -> None:
        """`position`: the URL's place in the order of arrival, given back to `report`."""
        host = urlsplit(url).hostname or ""
        if host not in self.waiting:
            self.waiting[host] = deque()
            self.checker.hold(host)  # until the host has nothing left: its connections stay open
        self.waiting[host].append((url, fragments, probe_https, position))
        self.idle.clear()
        self._start(host)

    def _start(self, host: str) -> None:
        queue = self.waiting.get(host)  # None: its runners took every URL while it waited for one
        while queue and self.running.get(host, 0) < self.checker.per_host(host):
            if len(self.tasks) >= self.limit:
                if host not in self.marked:
                    self.startable.append(host)
                    self.marked.add(host)
                return
            self.running[host] = self.running.get(host, 0) + 1
            self.tasks.add(asyncio.create_task(self._run(host, queue.popleft())))

    async def _run(self, host: str, item: tuple) -> None:
        queue = self.waiting[host]
        try:
            while True:
                url, fragments, probe_https, position = item
                outcome = await self.checker.check(url, fragments, False)
                if probe_https:
                    self._probe(host, url, outcome, position)
                else:
                    self.report(url, outcome, position)
                if not queue:
                    break
                item = queue.popleft()
        except Exception as exc:  # a bug: surfaces from `finished` (with --debug, its traceback)
            self.error = self.error or exc
            self.idle.set()
        finally:
            self.tasks.discard(asyncio.current_task())
            self.running[host] -= 1
            if not self.running[host] and not queue:
                del self.running[host], self.waiting[host]
                await self.checker.release(host)
            while len(self.tasks) < self.limit and self.startable:
                waiting = self.startable.popleft()
                self.marked.discard(waiting)
                self._start(waiting)
            if not self.tasks and not self.probes:
                self.idle.set()

    def _probe(self, host: str, url: str, outcome: Outcome, position: int) -> None:
        """Compare the page with its https:// form (L104) beside the host's runners, not in
        one: a host's TLS verdict can take seconds, and its other links need not wait for it."""
        self.checker.hold(host)
        self.probes.add(asyncio.create_task(self._run_probe(host, url, outcome, position)))

    async def _run_probe(self, host: str, url: str, outcome: Outcome, position: int) -> None:
        try:
            await self.checker.probe_https(url, outcome)
            self.report(url, outcome, position)
        except Exception as exc:  # a bug: surfaces from `finished`
            self.error = self.error or exc
            self.idle.set()
        finally:
            self.probes.discard(asyncio.current_task())
            await self.checker.release(host)
            if not self.tasks and not self.probes:
                self.idle.set()

    async def finished(self) -> None:
        await self.idle.wait()
        if self.error is not None:
            await self.cancel()
            raise self.error

    async def cancel(self) -> int:
        """Stop every check; returns how many URLs were left unchecked."""
        left = len(self.tasks) + len(self.probes) + sum(map(len, self.waiting.values()))
        for queue in self.waiting.values():
            queue.clear()
        self.startable.clear()
        self.marked.clear()
        under_way = [*self.tasks, *self.probes]
        for task in under_way:
            task.cancel()
        await asyncio.gather(*under_way, return_exceptions=True)
        return left


async def serve(inbox: asyncio.Queue, online: OnlineSettings, allow_private: bool, tally: MutableSequence[int]) -> LaneResult:
    """Check the URLs of the batches that arrive in `inbox` until None arrives; the time
    budget runs from the first batch."""
    batch = await inbox.get()
    if batch is None:  # every link was answered by the cache: nothing to import or start
        return {}, 0, {}
    from pagelint.online.checker import Checker  # httpx: in the lane, not in the parent of processes

    outcomes: dict[str, dict] = {}

    def report(url: str, outcome: Outcome, position: int) -> None:
        outcomes[url] = outcome.to_dict()
        tally[0] += 1
        tally[1] += outcome.failed
        tally[2] = position

    arrived = 0
    ended = False  # no more batches come
    async with Checker(online, allow_private) as checker:
        scheduler = HostScheduler(checker, report, online.concurrency)  # a runner has one connection at most
        budget = asyncio.timeout(online.budget)
        try:
            async with budget:
                while batch is not None:
                    for url, fragments, probe_https, serves_tls in batch:
                        if serves_tls is not None:
                            checker.know_tls(urlsplit(url).hostname or "", serves_tls)
                        scheduler.add(url, fragments, probe_https, arrived)
                        arrived += 1
                    batch = await inbox.get()
                ended = True
                await scheduler.finished()
            return outcomes, 0, checker.tls_decided()
        except TimeoutError:
            if not budget.expired():
                raise
        unchecked = await scheduler.cancel()
        while not ended and (batch := await inbox.get()) is not None:  # what still comes is left unchecked too
            unchecked += len(batch)
        return outcomes, unchecked, checker.tls_decided()


def serve_now(batch: Batch, online: OnlineSettings, allow_private: bool) -> LaneResult:
    """Check `batch` here and now (the few URLs asked again once the lanes are done)."""

    async def main():
        inbox: asyncio.Queue = asyncio.Queue()
        inbox.put_nowait(batch)
        inbox.put_nowait(None)
        return await serve(inbox, online, allow_private, [0, 0, -1])

    return asyncio.run(main())


class ThreadLane:
    """A lane on an event loop in a thread of this process."""

    def __init__(self, online: OnlineSettings, allow_private: bool):
        self.tally: MutableSequence[int] = [0, 0, -1]
        self._result: concurrent.futures.Future = concurrent.futures.Future()
        started = threading.Event()

        async def main():
            self._loop = asyncio.get_running_loop()
            self._inbox: asyncio.Queue = asyncio.Queue()
            started.set()
            return await serve(self._inbox, online, allow_private, self.tally)

        def run() -> None:
            try:
                self._result.set_result(asyncio.run(main()))
            except BaseException as exc:
                self._result.set_exception(exc)
                started.set()

        threading.Thread(target=run, name="pagelint-links", daemon=True).start()
        started.wait()

    def send(self, batch: Batch | None) -> None:
        with contextlib.suppress(RuntimeError):  # the loop has ended, failing: `result` says why
            self._loop.call_soon_threadsafe(self._inbox.put_nowait, batch)

    def ready(self, timeout: float) -> bool:
        return concurrent.futures.wait([self._result], timeout).done != set()

    def result(self) -> LaneResult:
        return self._result.result()

    def stop(self) -> None:
        """Ctrl-C: the thread is a daemon, gone with the process."""


class ProcessLane:
    """A lane in a process of its own, fed through a pipe."""

    def __init__(self, context, online: OnlineSettings, allow_private: bool):
        self.tally: MutableSequence[int] = context.RawArray("q", [0, 0, -1])
        self._pipe, child_end = context.Pipe()
        self._process = context.Process(target=_lane_process, args=(child_end, online, allow_private, self.tally), daemon=True)
        self._process.start()
        child_end.close()

    def send(self, batch: Batch | None) -> None:
        with contextlib.suppress(OSError):  # the lane has ended: `result` says why
            self._pipe.send(batch)

    def ready(self, timeout: float) -> bool:
        return self._pipe.poll(timeout)

    def result(self) -> LaneResult:
        try:
            status, value = self._pipe.recv()
        except EOFError:
            self._process.join()
            raise RuntimeError(f"the link-checking process ended without its results (exit code {self._process.exitcode})") from None
        self._process.join()
        if status == "error":
            error, where = value
            raise RuntimeError(f"in a link-checking process: {error}") from _RemoteTraceback(where)
        return value

    def stop(self) -> None:
        self._process.terminate()


def _lane_process(pipe, online: OnlineSettings, allow_private: bool, tally) -> None:
    from pagelint.workers import become_worker

    become_worker()

    async def main():
        loop = asyncio.get_running_loop()
        inbox: asyncio.Queue = asyncio.Queue()

        def receive() -> None:  # a blocking read of the pipe, handed to the loop
            while True:
                try:
                    batch = pipe.recv()
                except EOFError:  # the parent is gone
                    batch = None
                try:
                    loop.call_soon_threadsafe(inbox.put_nowait, batch)
                except RuntimeError:  # the loop has ended, failing: the parent is told why
                    return
                if batch is None:
                    return

        threading.Thread(target=receive, daemon=True).start()
        return await serve(inbox, online, allow_private, tally)

    try:
        answer = ("ok", asyncio.run(main()))
    except Exception as exc:
        answer = ("error", (repr(exc), traceback.format_exc()))
    pipe.send(answer)


class _RemoteTraceback(Exception):
    """The traceback of an error in a lane's process, shown by --debug as the cause."""

    def __str__(self) -> str:
        return self.args[0]
