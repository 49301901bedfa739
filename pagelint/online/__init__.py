"""`check --online`: request every unique external URL of the run once, however many pages
cite it, and report each outcome at every place the URL is cited. Imported only for online
runs: the offline path (and the pre-commit hook) never loads httpx."""

from __future__ import annotations

import asyncio
import sqlite3
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

from pagelint.config import Settings
from pagelint.diagnostics import Diagnostic, Fix, Severity
from pagelint.engine import LinkOccurrence, OnlineRun, ignore_interrupts
from pagelint.online.cache import LinkCache
from pagelint.online.checker import Checker, Outcome, decidable_fragment
from pagelint.rules.online import DeadLink, HttpsAvailable, LinkTimeout, MissingRemoteAnchor, PermanentRedirect, SoftError

CACHE_PATH = Path(".pagelint-cache") / "links.sqlite"
_DEAD, _MOVED, _TIMEOUT, _HTTPS, _SOFT, _ANCHOR = (
    DeadLink(), PermanentRedirect(), LinkTimeout(), HttpsAvailable(), SoftError(), MissingRemoteAnchor(),
)


def check_links(
    occurrences: dict[str, list[LinkOccurrence]], settings: Settings, site_root: Path | None, run: OnlineRun, sleep=asyncio.sleep
) -> tuple[list[Diagnostic], list[str], dict[str, int]]:
    """Online findings at every occurrence, notes for the user (cache problems, links left
    unchecked when the time budget ran out), and how many URLs are dead, redirected, ok."""
    online = settings.online
    fragments: dict[str, set[str]] = defaultdict(set)  # URL without fragment -> fragments cited
    probe_https: set[str] = set()  # URLs cited where L104 may report them
    for found in occurrences.values():
        for occurrence in found:
            url, fragment = urldefrag(occurrence.url.strip())
            fragments[url].add(fragment)
            if _HTTPS.code in occurrence.codes and url[:7].lower() == "http://":
                probe_https.add(url)
    notes: list[str] = []
    cache_path = Path(online.cache) if online.cache else (site_root or settings.base) / CACHE_PATH
    try:
        cache: LinkCache | None = LinkCache(cache_path)
    except (OSError, sqlite3.Error) as exc:
        notes.append(f"link cache {cache_path} not usable ({exc}); every link is requested")
        cache = None
    outcomes: dict[str, Outcome] = {}
    cached: dict[str, dict] = {}
    if cache is not None and not run.refresh:
        try:
            cached = cache.lookup(list(fragments))
        except sqlite3.Error as exc:
            notes.append(f"link cache {cache_path} not readable ({exc}); every link is requested")
    for url, data in cached.items():
        try:
            outcome = Outcome.from_dict(data)
        except TypeError:  # written by another version of pagelint
            continue
        anchors_known = not outcome.whole_page or all(f in outcome.anchors for f in fragments[url] if decidable_fragment(f))
        https_known = outcome.https_probed or url not in probe_https or outcome.kind != "ok"
        if anchors_known and https_known:
            outcomes[url] = outcome
    pending = [url for url in fragments if url not in outcomes]
    try:
        if run.jobs > 1 and len(pending) >= PARALLEL_URLS:
            found, unchecked = _check_in_processes(pending, fragments, probe_https, online, run, cache)
        else:
            found, unchecked = _check_here(_interleave_hosts(pending), fragments, probe_https, online, run, cache, sleep)
        if _looks_offline(found):
            hosts = len({urlsplit(url).hostname for url in found})
            notes.append(f"no host name could be resolved ({hosts} hosts): this machine looks offline, links were not checked")
            found = {}
        outcomes.update(found)
    finally:
        if cache is not None:
            cache.close()
            if cache.write_error:
                notes.append(f"link cache {cache_path} not written ({cache.write_error})")
    if unchecked:
        notes.append(f"{unchecked} links not checked: the time budget ({online.budget:g} s) ran out")
    diagnostics = [
        diagnostic
        for found in occurrences.values()
        for occurrence in found
        for diagnostic in _findings(occurrence, outcomes.get(urldefrag(occurrence.url.strip())[0]))
    ]
    diagnostics.sort(key=lambda diagnostic: diagnostic.sort_key)
    health = {"dead": 0, "redirected": 0, "ok": 0}
    for outcome in outcomes.values():
        if outcome.kind in ("dead", "timeout", "soft-error"):
            health["dead"] += 1
        elif outcome.kind == "ok":
            health["redirected" if outcome.moved_to else "ok"] += 1
    return diagnostics, notes, health


def _interleave_hosts(urls: list[str]) -> list[str]:
    """Round-robin over hosts, so that every host's slots fill from the start."""
    by_host: dict[str, list[str]] = defaultdict(list)
    for url in urls:
        by_host[urlsplit(url).hostname or ""].append(url)
    queues = list(by_host.values())
    return [queue[index] for index in range(max(map(len, queues), default=0)) for queue in queues if index < len(queue)]


def _remember(cache: LinkCache | None, url: str, outcome: Outcome, data: dict, online) -> None:
    """Cache an outcome for its time-to-live; a refused address was never asked, and an
    unresolved name is cheap to look up again (and often the machine's, not the link's, fault)."""
    if cache is not None and outcome.kind != "refused" and not outcome.unresolved:
        cache.store(url, data, online.ttl_ok if outcome.kind == "ok" else online.ttl_failure)


def _looks_offline(outcomes: dict[str, Outcome]) -> bool:
    """Every URL requested failed on its name, on more than one host: the machine has no
    network (a CI runner without it, a laptop on a train), and a dead link for each would
    say nothing about the links."""
    return (
        all(outcome.unresolved for outcome in outcomes.values())
        and len({urlsplit(url).hostname for url in outcomes}) >= 2
    )


def _failed(outcome: Outcome) -> bool:
    return outcome.kind not in ("ok", "accepted", "refused")


async def _check_all(urls, fragments, probe_https, online, allow_private: bool, report, sleep=asyncio.sleep):
    """Check `urls`; `report(url, outcome)` is told of each as it completes. Returns the
    outcomes and how many URLs the time budget left unchecked."""
    outcomes: dict[str, Outcome] = {}
    queue = iter(urls)
    under_way = 0

    async def worker(checker: Checker) -> None:
        # Workers take URLs one at a time from the shared queue: a bounded number under way
        # (memory does not grow with the run), and no wait over every task after each answer.
        nonlocal under_way
        for url in queue:
            under_way += 1
            outcomes[url] = outcome = await checker.check(url, frozenset(fragments[url]), url in probe_https)
            under_way -= 1
            report(url, outcome)

    async with Checker(online, allow_private, sleep) as checker:
        workers = [asyncio.create_task(worker(checker)) for _ in range(min(len(urls), 2 * online.concurrency))]
        if not workers:
            return outcomes, 0
        done, pending = await asyncio.wait(workers, timeout=online.budget)
        for task in done:
            task.result()  # an internal error surfaces (with --debug, its traceback)
        if not pending:
            return outcomes, 0
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        return outcomes, under_way + sum(1 for _ in queue)


def _check_here(urls, fragments, probe_https, online, run: OnlineRun, cache, sleep):
    progress = _Progress(len(urls)) if run.progress else None

    def report(url: str, outcome: Outcome) -> None:
        _remember(cache, url, outcome, outcome.to_dict(), online)
        if progress is not None:
            progress.advance(url, _failed(outcome))

    try:
        return asyncio.run(_check_all(urls, fragments, probe_https, online, run.allow_private, report, sleep))
    finally:
        if progress is not None:
            progress.stop()


PARALLEL_URLS = 400  # below this many URLs to request, one process is as fast
_COUNTERS = None  # in a worker: (URLs done, failures), shared with the parent for its progress bar


def _start_worker(done, failures) -> None:
    global _COUNTERS
    ignore_interrupts()
    _COUNTERS = (done, failures)


def _count(url: str, outcome: Outcome) -> None:
    done, failures = _COUNTERS
    with done.get_lock():
        done.value += 1
    if _failed(outcome):
        with failures.get_lock():
            failures.value += 1


def _check_share(arguments) -> tuple[dict[str, dict], int]:
    urls, fragments, probe_https, online, allow_private = arguments
    outcomes, unchecked = asyncio.run(_check_all(urls, fragments, probe_https, online, allow_private, _count))
    return {url: outcome.to_dict() for url, outcome in outcomes.items()}, unchecked


def _check_in_processes(urls, fragments, probe_https, online, run: OnlineRun, cache):
    """One event loop a process, each with its own hosts (so that per-host limits hold) and
    its share of the global limit: the requests' CPU, not the network, bounds large runs."""
    import multiprocessing
    import time
    from concurrent.futures import ProcessPoolExecutor

    by_host: dict[str, list[str]] = defaultdict(list)
    for url in urls:
        by_host[urlsplit(url).hostname or ""].append(url)
    shares: list[list[str]] = [[] for _ in range(run.jobs)]
    for host_urls in sorted(by_host.values(), key=len, reverse=True):  # the largest hosts first, to the lightest share
        min(shares, key=len).extend(host_urls)
    share_online = replace(online, concurrency=max(1, online.concurrency // run.jobs))
    context = multiprocessing.get_context("fork")
    done, failures = context.Value("i", 0), context.Value("i", 0)
    progress = _Progress(len(urls)) if run.progress else None
    outcomes: dict[str, Outcome] = {}
    unchecked = 0
    try:
        with ProcessPoolExecutor(run.jobs, mp_context=context, initializer=_start_worker, initargs=(done, failures)) as pool:
            futures = [
                pool.submit(_check_share, (_interleave_hosts(share), {url: fragments[url] for url in share},
                                           probe_https & set(share), share_online, run.allow_private))
                for share in shares
                if share
            ]
            while progress is not None and not all(future.done() for future in futures):
                progress.show(done.value, failures.value)
                time.sleep(0.1)
            for future in futures:
                found, left = future.result()
                unchecked += left
                for url, data in found.items():
                    outcomes[url] = outcome = Outcome.from_dict(data)
                    _remember(cache, url, outcome, data, online)
    finally:
        if progress is not None:
            progress.stop()
    return outcomes, unchecked


class _Progress:
    """A rich progress bar on stderr: URLs done of all, failures so far, the last host."""

    def __init__(self, total: int):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.bar = Progress(
            TextColumn("links"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[failures]} failing"),
            TextColumn("{task.fields[host]}"), console=Console(stderr=True), transient=True,
        )
        self.task = self.bar.add_task("links", total=total, failures=0, host="")
        self.failures = 0
        self.bar.start()

    def advance(self, url: str, failed: bool) -> None:
        self.failures += failed
        self.bar.update(self.task, advance=1, failures=self.failures, host=urlsplit(url).hostname or "")

    def show(self, done: int, failures: int) -> None:
        self.bar.update(self.task, completed=done, failures=failures)

    def stop(self) -> None:
        self.bar.stop()


def _findings(occurrence: LinkOccurrence, outcome: Outcome | None) -> list[Diagnostic]:
    if outcome is None:
        return []
    where = (occurrence.path, *occurrence.span)
    found: list[Diagnostic] = []
    if outcome.kind == "dead":
        found.append(_DEAD.diagnostic_at(*where, f"dead link: {outcome.reason}"))
    elif outcome.kind in ("accepted", "refused"):
        found.append(_DEAD.diagnostic_at(*where, outcome.reason, severity=Severity.INFO))
    elif outcome.kind == "timeout":
        found.append(_TIMEOUT.diagnostic_at(*where, f"timeout: {outcome.reason}"))
    elif outcome.kind == "soft-error":
        found.append(_SOFT.diagnostic_at(*where, f"error page answering {outcome.status}: {outcome.reason}"))
    else:
        found.extend(_ok_findings(occurrence, outcome, where))
    levels = dict(occurrence.severity)
    return [
        replace(diagnostic, severity=levels[diagnostic.code]) if diagnostic.code in levels else diagnostic
        for diagnostic in found
        if diagnostic.code in occurrence.codes
    ]


def _ok_findings(occurrence: LinkOccurrence, outcome: Outcome, where: tuple) -> list[Diagnostic]:
    found = []
    _, fragment = urldefrag(occurrence.url.strip())
    if outcome.moved_to:
        target = outcome.moved_to if not fragment or "#" in outcome.moved_to else f"{outcome.moved_to}#{fragment}"
        same_host = urlsplit(target).hostname == urlsplit(occurrence.url.strip()).hostname
        fix = Fix(target, *occurrence.offsets, *occurrence.span, safe=same_host)
        found.append(_MOVED.diagnostic_at(*where, f"permanent redirect to {target}", fix))
    elif outcome.https:
        colon = occurrence.url.find(":")  # "http" ends there, after leading spaces if any
        start, (line, column, _, _) = occurrence.offsets[0], occurrence.span
        fix = Fix("https", start + colon - 4, start + colon, line, column + colon - 4, line, column + colon)
        found.append(_HTTPS.diagnostic_at(*where, "the https:// form of this link answers the same", fix))
    if fragment and outcome.anchors.get(fragment) is False:
        found.append(_ANCHOR.diagnostic_at(*where, f"no anchor #{fragment} in the page"))
    return found
