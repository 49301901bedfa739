"""`check --online`: request every unique external URL of the run once, however many pages
cite it, and report each outcome at every place the URL is cited. URLs are requested while
the pages are still being checked (see `lanes`). Imported only for online runs; httpx is
imported only where requests are made, so never by the offline path and the pre-commit hook.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import re
import sqlite3
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

from pagelint.config import Settings
from pagelint.diagnostics import Diagnostic, Fix, LinkOccurrence, OnlineRun, Severity
from pagelint.online.cache import LinkCache
from pagelint.online.lanes import ProcessLane, ThreadLane, serve_now
from pagelint.online.outcome import Outcome
from pagelint.rules.online import DeadLink, HttpsAvailable, LinkTimeout, MissingRemoteAnchor, PermanentRedirect, SoftError

CACHE_PATH = Path(".pagelint-cache") / "links.sqlite"
_DEAD, _MOVED, _TIMEOUT, _HTTPS, _SOFT, _ANCHOR = (
    DeadLink(), PermanentRedirect(), LinkTimeout(), HttpsAvailable(), SoftError(), MissingRemoteAnchor(),
)


class LinkSession:
    """The links of one run: `add` each page's external links as the page is checked (new
    URLs not answered by the cache are requested at once), then `finish` for the findings."""

    def __init__(self, settings: Settings, site_root: Path | None, run: OnlineRun):
        self.online = settings.online
        self.run = run
        self.started = time.monotonic()
        self.notes: list[str] = []
        self.fragments: dict[str, set[str]] = defaultdict(set)  # URL without fragment -> fragments cited
        self.probe_https: set[str] = set()  # URLs cited where L104 may report them
        self.outcomes: dict[str, Outcome] = {}
        self.serves_tls: dict[str, bool | None] = {}  # host -> its TLS verdict from the cache (None: none there)
        self.cache_path = Path(self.online.cache) if self.online.cache else (site_root or settings.base) / CACHE_PATH
        try:
            self.cache: LinkCache | None = LinkCache(self.cache_path)
        except (OSError, sqlite3.Error) as exc:
            self.notes.append(f"link cache {self.cache_path} not usable ({exc}); every link is requested")
            self.cache = None
        # Processes are forked first thing, while this process has no other thread.
        in_processes = run.jobs > 1 and "fork" in multiprocessing.get_all_start_methods()
        lanes = run.jobs if in_processes else 1
        share = replace(self.online, concurrency=connections_allowed(max(1, self.online.concurrency // lanes)))
        self.lanes: list[ProcessLane | ThreadLane]
        if in_processes:
            context = multiprocessing.get_context("fork")
            self.lanes = [ProcessLane(context, share, run.allow_private) for _ in range(lanes)]
        else:
            self.lanes = [ThreadLane(share, run.allow_private)]
        self.lane_of_host: dict[str, int] = {}
        self.sent: list[list[str]] = [[] for _ in self.lanes]  # by lane, in order: the progress bar's hosts

    def add(self, occurrences: list[LinkOccurrence]) -> None:
        new = []
        for occurrence in occurrences:
            url, fragment = urldefrag(occurrence.url.strip())
            if url not in self.fragments:
                new.append(url)
            self.fragments[url].add(fragment)
            if _HTTPS.code in occurrence.codes and url[:7].lower() == "http://":
                self.probe_https.add(url)
        if new:
            self._request(self._not_cached(new))

    def _not_cached(self, urls: list[str]) -> list[str]:
        """The URLs the cache does not answer; the answers it has are taken."""
        if self.cache is None or self.run.refresh:
            return urls
        try:
            cached = self.cache.lookup(urls)
        except (sqlite3.Error, OSError) as exc:  # OSError: a broken file that could not be moved aside
            self.notes.append(f"link cache {self.cache_path} not readable ({exc}); every link is requested")
            self.cache = None
            return urls
        left = []
        for url in urls:
            try:
                outcome = Outcome.from_dict(cached[url]) if url in cached else None
            except TypeError:  # written by another version of pagelint
                outcome = None
            if outcome is not None and outcome.answers(self.fragments[url], url in self.probe_https):
                self.outcomes[url] = outcome
            else:
                left.append(url)
        return left

    def _request(self, urls: list[str]) -> None:
        batches: dict[int, list] = defaultdict(list)
        for url in urls:
            host = urlsplit(url).hostname or ""
            lane = self.lane_of_host.get(host)
            if lane is None:  # a new host goes to the lane with the fewest URLs so far
                lane = self.lane_of_host[host] = min(range(len(self.lanes)), key=lambda index: len(self.sent[index]))
            batches[lane].append(self._item(url))
            self.sent[lane].append(url)
        for lane, batch in batches.items():
            self.lanes[lane].send(batch)

    def stop(self) -> None:
        """The run is interrupted: nothing more is requested."""
        for lane in self.lanes:
            lane.stop()

    def finish(self, occurrences: dict[str, list[LinkOccurrence]]) -> tuple[list[Diagnostic], list[str], dict[str, int]]:
        """Online findings at every occurrence, notes for the user (cache problems, links
        left unchecked when the time budget ran out), and how many URLs are dead,
        redirected, ok."""
        try:
            fresh, unchecked = self._collect()
            unresolved, hosts = _name_failures(fresh)
            if _machine_cannot_resolve(unresolved, hosts):
                if unresolved == hosts:
                    self.notes.append(f"no host name could be resolved ({hosts} hosts): this machine looks offline, links were not checked")
                else:
                    self.notes.append(
                        f"{unresolved} of {hosts} host names could not be resolved: this machine's name resolution "
                        "looks cut off or restricted; links to those hosts were not checked"
                    )
                fresh = {url: outcome for url, outcome in fresh.items() if not outcome.unresolved}
            self.outcomes.update(fresh)
            # A URL answered before a later page cited it with a fragment (or where L104 may
            # report it) is asked again when that answer does not say enough.
            again = [url for url, outcome in self.outcomes.items() if not outcome.answers(self.fragments[url], url in self.probe_https)]
            if again:
                left = max(0.0, self.online.budget - (time.monotonic() - self.started))
                found, more, verdicts = serve_now(self._batch(again), replace(self.online, budget=left), self.run.allow_private)
                unchecked += more
                self._remember_tls(verdicts)
                for url, data in found.items():
                    self.outcomes[url] = outcome = Outcome.from_dict(data)
                    self._remember(url, outcome, data)
        finally:
            if self.cache is not None:
                self.cache.close()
                self.notes += self.cache.notes
                if self.cache.write_error:
                    self.notes.append(f"link cache {self.cache_path} not written ({self.cache.write_error})")
        if unchecked:
            self.notes.append(f"{unchecked} links not checked: the time budget ({self.online.budget:g} s) ran out")
        diagnostics = [
            diagnostic
            for found in occurrences.values()
            for occurrence in found
            for diagnostic in _findings(occurrence, self.outcomes.get(urldefrag(occurrence.url.strip())[0]))
        ]
        diagnostics.sort(key=lambda diagnostic: diagnostic.sort_key)
        health = {"dead": 0, "redirected": 0, "ok": 0}
        for outcome in self.outcomes.values():
            if outcome.kind in ("dead", "timeout", "soft-error"):
                health["dead"] += 1
            elif outcome.kind == "ok":
                health["redirected" if outcome.moved_to else "ok"] += 1
        return diagnostics, self.notes, health

    def _batch(self, urls: list[str]) -> list:
        return [self._item(url) for url in urls]

    def _item(self, url: str) -> tuple[str, frozenset[str], bool, bool | None]:
        """What a lane is given of `url` (see `lanes`)."""
        probe = url in self.probe_https
        return url, frozenset(self.fragments[url]), probe, self._cached_tls(urlsplit(url).hostname or "") if probe else None

    def _cached_tls(self, host: str) -> bool | None:
        """Whether `host` serves TLS, as a run within the verdict's time to live found; looked up once a run."""
        if host not in self.serves_tls:
            self.serves_tls[host] = None
            if self.cache is not None and not self.run.refresh:
                with contextlib.suppress(sqlite3.Error, OSError):  # as for the URLs' outcomes: `_not_cached` says so
                    self.serves_tls[host] = self.cache.lookup([tls_key(host)]).get(tls_key(host), {}).get("serves_tls")
        return self.serves_tls[host]

    def _remember_tls(self, verdicts: dict[str, bool]) -> None:
        """Cache the hosts' TLS verdicts as other results: "no https" for the failures' time to live."""
        if self.cache is not None:
            for host, serves in verdicts.items():
                self.cache.store(tls_key(host), {"serves_tls": serves}, self.online.ttl_ok if serves else self.online.ttl_failure)

    def _collect(self) -> tuple[dict[str, Outcome], int]:
        """Tell the lanes that no more URLs come and gather their outcomes (each stored in
        the cache), with a progress bar meanwhile when asked for one."""
        for lane in self.lanes:
            lane.send(None)
        total = sum(map(len, self.sent))
        progress = _Progress(total) if self.run.progress and total else None
        try:
            while progress is not None and not all(lane.ready(0.1 / len(self.lanes)) for lane in self.lanes):
                progress.show(*self._tally())
            fresh: dict[str, Outcome] = {}
            unchecked = 0
            for lane in self.lanes:
                found, left, verdicts = lane.result()
                unchecked += left
                self._remember_tls(verdicts)
                for url, data in found.items():
                    fresh[url] = outcome = Outcome.from_dict(data)
                    self._remember(url, outcome, data)
            return fresh, unchecked
        finally:
            if progress is not None:
                progress.stop()

    def _tally(self) -> tuple[int, int, str]:
        """URLs done, failing, and the host of one of the last done."""
        done = failing = 0
        host = ""
        for lane, sent in zip(self.lanes, self.sent, strict=True):
            lane_done, lane_failing, last = lane.tally
            done, failing = done + lane_done, failing + lane_failing
            if 0 <= last < len(sent):
                host = urlsplit(sent[last]).hostname or host
        return done, failing, host

    def _remember(self, url: str, outcome: Outcome, data: dict) -> None:
        """Cache an outcome for its time-to-live; a refused address was never asked, and an
        unresolved name is cheap to look up again (and often the machine's, not the link's, fault)."""
        if self.cache is not None and outcome.kind != "refused" and not outcome.unresolved:
            self.cache.store(url, data, self.online.ttl_ok if outcome.kind == "ok" else self.online.ttl_failure)


def tls_key(host: str) -> str:
    """The cache's key for a host's TLS verdict: not a URL, so never one a page cites."""
    return f"tls-verdict {host}"


FILES_RESERVED = 64  # open files a process keeps for other things than connections: pages, pipes, the cache


def connections_allowed(wanted: int) -> int:
    """How many connections a process may have open at once: `wanted`, raising the soft
    limit of open files towards the hard one if it is lower (macOS starts processes at 256),
    or what the limit leaves. Past it, connections would fail as dead links."""
    try:
        import resource
    except ImportError:  # Windows: no such limit
        return wanted
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = wanted + FILES_RESERVED
    if soft == resource.RLIM_INFINITY or soft >= needed:
        return wanted
    limit = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
    if limit > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (limit, hard))
        except (ValueError, OSError):
            limit = soft
    return max(1, min(wanted, limit - FILES_RESERVED))


def _name_failures(outcomes: dict[str, Outcome]) -> tuple[int, int]:
    """How many of the hosts requested did not resolve, and how many hosts there were."""
    hosts: dict[str, bool] = {}
    for url, outcome in outcomes.items():
        host = urlsplit(url).hostname or ""
        hosts[host] = hosts.get(host, True) and outcome.unresolved
    return sum(hosts.values()), len(hosts)


def _machine_cannot_resolve(unresolved: int, hosts: int) -> bool:
    """The names failed, not the links: every host of two or more, or nearly every one of
    many (a CI runner whose network lets a package index through and nothing else). Expired
    domains are a few of a site's hosts, not four in five; a dead link for each name would
    say nothing about the links."""
    return unresolved >= 2 and (unresolved == hosts or (hosts >= 10 and unresolved >= 0.8 * hosts))


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
        self.bar.start()

    def show(self, done: int, failures: int, host: str) -> None:
        self.bar.update(self.task, completed=done, failures=failures, host=host)

    def stop(self) -> None:
        self.bar.stop()


def _findings(occurrence: LinkOccurrence, outcome: Outcome | None) -> list[Diagnostic]:
    if outcome is None:
        return []
    where: tuple[str, int, int, int, int] = (occurrence.path, *occurrence.span)
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


def _ok_findings(occurrence: LinkOccurrence, outcome: Outcome, where: tuple[str, int, int, int, int]) -> list[Diagnostic]:
    found = []
    _, fragment = urldefrag(occurrence.url.strip())
    if outcome.moved_to:
        target = outcome.moved_to if not fragment or "#" in outcome.moved_to else f"{outcome.moved_to}#{fragment}"
        same_host = urlsplit(target).hostname == urlsplit(occurrence.url.strip()).hostname
        fix = Fix(target, *occurrence.offsets, *occurrence.span, safe=same_host)
        found.append(_MOVED.diagnostic_at(*where, f"permanent redirect to {target}", fix))
    elif outcome.https:
        found.append(_HTTPS.diagnostic_at(*where, "the https:// form of this link answers the same", _https_fix(occurrence)))
    if fragment and outcome.anchors.get(fragment) is False:
        found.append(_ANCHOR.diagnostic_at(*where, f"no anchor #{fragment} in the page"))
    return found


def _https_fix(occurrence: LinkOccurrence) -> Fix:
    """`http` becomes `https`; on an explicit `:80` the port goes too (https:// on port 80
    would not answer): `http://host:80` becomes `https://host`."""
    url = occurrence.url
    colon = url.find(":")  # "http" ends there, after leading spaces if any
    start, (line, column, _, _) = occurrence.offsets[0], occurrence.span
    end, replacement = colon, "https"
    if urlsplit(url.strip()).port == 80:
        authority = re.split(r"[/?#\s]", url[colon + 3 :], maxsplit=1)[0]
        end, replacement = colon + 3 + len(authority), "https://" + authority.rsplit(":", 1)[0]
    return Fix(replacement, start + colon - 4, start + end, line, column + colon - 4, line, column + end)
