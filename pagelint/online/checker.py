"""Requests: one async httpx client, a global and a per-host limit, HEAD then GET, retries
with backoff and jitter, Retry-After honoured within a bound, redirects followed by hand
(each hop through the address guard), bodies read only when needed and never past a cap."""

from __future__ import annotations

import asyncio
import email.utils
import http
import importlib.util
import random
import re
import ssl
import sys
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

import httpcore
import httpx

if importlib.util.find_spec("sniffio") is None:
    # httpcore imports sniffio on every request and falls back to asyncio when it is absent;
    # a failed import searches sys.path each time (a third of the run's CPU). None fails at once.
    sys.modules.setdefault("sniffio", None)  # type: ignore[arg-type]

if TYPE_CHECKING:
    from pagelint.online.transport.http2 import Http2Transport

from pagelint import __version__
from pagelint.config import HostSettings, OnlineSettings
from pagelint.online.outcome import Outcome, decidable_fragment
from pagelint.online.transport.http11 import Http11Transport, NegotiatedHttp2
from pagelint.online.transport.message import Reply, Target, decoded, request_target
from pagelint.online.transport.safety import AddressPolicy, AddressRefused, GuardedBackend, HostNotFound

REDIRECTS = frozenset({301, 302, 303, 307, 308})
PERMANENT = frozenset({301, 308})
_HTTP2 = importlib.util.find_spec("h2") is not None
_NO_HOST_SETTINGS = HostSettings()
_KEEP_ALIVE_DRAIN = 16_384  # bodies up to this size are read to keep the connection; larger ones close it


@dataclass(frozen=True, slots=True)
class Answer:
    """A final (non-retried) HTTP answer of one request."""

    status: int
    location: str | None
    html: str | None  # the body, when it was wanted and is HTML
    complete: bool  # the body was read to its end, within the cap
    retry_after: str | None = None
    method: str = "GET"  # what was sent last: GET after a HEAD that failed


def _status_text(status: int) -> str:
    try:
        return f"{status} {http.HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds: a number or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _causes(exc: BaseException):
    """The exception, what caused it, and the members of exception groups on the way."""
    seen = set()
    pending: list[BaseException | None] = [exc]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        pending.extend([current.__cause__, current.__context__, *getattr(current, "exceptions", ())])


def _describe_connect_error(exc: Exception) -> tuple[str, bool]:
    """A reason, and whether retrying could help."""
    if any(isinstance(cause, ConnectionRefusedError) for cause in _causes(exc)):
        return "connection refused", True
    text = str(exc) or type(exc).__name__
    lowered = text.lower()
    if "ssl" in lowered or "certificate" in lowered or "tls" in lowered:
        return f"TLS error: {text}", False
    if "refused" in lowered:
        return "connection refused", True
    return f"connection failed: {text}", True


def anchor_present(html: str, fragment: str) -> bool:
    name = re.escape(unquote(fragment))
    return re.search(rf"""\b(?:id|name)\s*=\s*(?:"{name}"|'{name}'|{name}(?=[\s>/]))""", html) is not None


class PoolPerOrigin:
    """A connection pool per scheme, host and port (for HTTP/2): httpcore's pool looks at
    every one of its connections for every request, and one pool of hundreds costs more CPU
    than the requests."""

    def __init__(self, make_pool):
        self.make_pool = make_pool
        self.pools: dict[tuple[str, str, int], Http2Transport] = {}

    async def request(self, target: Target, method: bytes, headers: list[tuple[bytes, bytes]]) -> Reply:
        origin = (target.scheme, target.name, target.port)
        pool = self.pools.get(origin)
        if pool is None:
            pool = self.pools[origin] = self.make_pool(target.name)
        return await pool.request(target, method, headers)

    async def close_host(self, host: str) -> None:
        for origin in [origin for origin in self.pools if origin[1] == host]:
            await self.pools.pop(origin).aclose()

    async def aclose(self) -> None:
        for pool in self.pools.values():
            await pool.aclose()
        self.pools.clear()


HEAD_CONFIRMATIONS = 2
HANDSHAKE_FLOOR = 1.0  # seconds: the shortest wait for a TLS handshake, however quick the host
HANDSHAKE_SLACK = 4
HEAD_UNRELIABLE = -1


class Checker:
    """Checks URLs; use as `async with Checker(...) as checker: await checker.check(url)`."""

    def __init__(self, settings: OnlineSettings, allow_private: bool = False, sleep=asyncio.sleep):
        self.settings = settings
        self.policy = AddressPolicy(True if allow_private else settings.allow_private)
        self.sleep = sleep
        self.global_slots = asyncio.Semaphore(settings.concurrency)
        self.host_slots: dict[str, asyncio.Semaphore] = {}
        self.host_holds: dict[str, int] = {}  # see `hold`
        # Per host: how many HEAD errors a GET confirmed, or HEAD_UNRELIABLE once a GET worked
        # where HEAD failed. A host whose HEAD errors were confirmed twice is believed without
        # the GET: a site whose papers all moved answers 404 to HEAD and GET alike.
        self.head_confirmed: dict[str, int] = {}
        contact = f"; {settings.contact}" if settings.contact else ""
        self.user_agent = f"pagelint/{__version__} (link checker; +https://github.com/pagelint/pagelint{contact})"
        # Requests go to the transports themselves, as a `Target` and header lines: httpx's
        # client, requests and responses add nothing needed here (redirects are followed by
        # hand, there are no cookies) and cost more CPU than the rest of a request. There is no
        # timeout for each connect, read and write either: `_send_in_time` bounds the whole answer.
        self.headers = [(b"User-Agent", self.user_agent.encode("ascii", "replace")), (b"Accept", b"text/html,application/xhtml+xml,*/*;q=0.8")]
        self.header_lines = b"".join(b"%s: %s\r\n" % header for header in self.headers)
        self._tls: ssl.SSLContext | None = None
        # Origins whose TLS handshake chose HTTP/2: asked through `http2` from then on. The
        # others never reach httpcore's pool: `http1`'s connections carry the next request as
        # soon as an answer is read, and each costs a handshake of its own.
        self.http2_origins: set[tuple[str, int]] = set()
        # host -> whether it completes a TLS handshake on 443: True, False, or None when it was
        # not asked (a refused address, a name that does not resolve)
        self.tls_verdicts: dict[str, asyncio.Task[bool | None]] = {}
        self.tls_known: dict[str, bool] = {}  # host -> the verdict of an earlier run, from the cache
        self.slowest_answer: dict[str, float] = {}  # host -> seconds its slowest answer took (see `_handshake_deadline`)

    async def __aenter__(self) -> Checker:
        self.backend = backend = GuardedBackend(self.policy)
        self.http1 = Http11Transport(backend, self._tls_context)
        self.http2: PoolPerOrigin | None = None
        if _HTTP2:
            from pagelint.online.transport.http2 import Http2Transport

            self.http2 = PoolPerOrigin(lambda host: Http2Transport(backend, self._tls_context(), self.per_host(host)))
        return self

    async def __aexit__(self, *exc_info) -> None:
        await self.http1.aclose()
        if self.http2 is not None:
            await self.http2.aclose()

    def _tls_context(self) -> ssl.SSLContext:
        """Made when the first https:// connection needs it: it loads the system's certificates.
        One for both transports, offering HTTP/2 where it can be spoken: the server's choice
        in the handshake decides which transport asks the origin (see `_send`)."""
        if self._tls is None:
            self._tls = ssl.create_default_context()
            if self.settings.ca_bundle:
                self._tls.load_verify_locations(cafile=self.settings.ca_bundle)
            self._tls.set_alpn_protocols(["h2", "http/1.1"] if _HTTP2 else ["http/1.1"])
        return self._tls

    def host_settings(self, host: str) -> HostSettings:
        """The settings of the host or of the nearest parent domain that has some."""
        parts = host.split(".")
        for index in range(len(parts)):
            found = self.settings.hosts.get(".".join(parts[index:]))
            if found is not None:
                return found
        return _NO_HOST_SETTINGS

    def per_host(self, host: str) -> int:
        return self.host_settings(host).per_host or self.settings.per_host

    def hold(self, host: str) -> None:
        """Keep `host`'s connections open until as many `release`s: they are closed once
        nothing is under way or waiting for the host, so that a run over many hosts keeps
        few sockets open. A request holds its host; so does whoever has more URLs for it."""
        self.host_holds[host] = self.host_holds.get(host, 0) + 1

    async def release(self, host: str) -> None:
        self.host_holds[host] -= 1
        if not self.host_holds[host]:
            del self.host_holds[host]
            await self.http1.close_host(host)
            if self.http2 is not None:
                await self.http2.close_host(host)

    @asynccontextmanager
    async def _host_slot(self, host: str):
        """A request's turn at `host`."""
        slots = self.host_slots.get(host)
        if slots is None:
            slots = self.host_slots[host] = asyncio.Semaphore(self.per_host(host))
        self.hold(host)
        try:
            async with slots, self.global_slots:  # the host's turn first: a waiting request holds no global slot
                yield
        finally:
            await self.release(host)

    def _head_trusted(self, host: str) -> bool:
        return self.head_confirmed.get(host, 0) >= HEAD_CONFIRMATIONS

    def _learn_head(self, host: str, head_status: int, get_status: int) -> None:
        """What a GET after a failed HEAD says of the host's HEAD answers: confirmed (the same
        status), or wrong (GET works): then the host is asked with GET from now on."""
        if self.head_confirmed.get(host) == HEAD_UNRELIABLE:
            return
        if get_status < 400:
            self.head_confirmed[host] = HEAD_UNRELIABLE
        elif get_status == head_status:
            self.head_confirmed[host] = self.head_confirmed.get(host, 0) + 1

    def _backoff(self, attempt: int) -> float:
        return self.settings.retry_delay * 2**attempt * (1 + random.random())

    async def check(self, url: str, fragments: frozenset[str] = frozenset(), probe_https: bool = True) -> Outcome:
        """With `probe_https`, an http:// URL that works is compared with its https:// form."""
        outcome = await self._follow(url, fragments, self.settings.retries)
        if probe_https:
            await self.probe_https(url, outcome)
        return outcome

    async def probe_https(self, url: str, outcome: Outcome) -> None:
        """Whether the https:// form of `url`, which answered `outcome`, answers the same
        (L104). Only on hosts that complete a TLS handshake on port 443 (see `serves_tls`)."""
        outcome.https_probed = True
        secure_url = https_form(url) if outcome.kind == "ok" and outcome.moved_to[:8].lower() != "https://" else None
        if secure_url is None or not await self.serves_tls(urlsplit(url).hostname or ""):
            return
        secure = await self._follow(secure_url, frozenset(), retries=0)
        outcome.https = secure.kind == "ok" and secure.status == outcome.status and _same_page(outcome.final_url, secure.final_url)

    def know_tls(self, host: str, serves: bool) -> None:
        """What an earlier run found of `host` (see `serves_tls`), still within its time to live."""
        self.tls_known[host] = serves

    def tls_decided(self) -> dict[str, bool]:
        """The verdicts of this run's handshakes, for the cache."""
        decided = {}
        for host, verdict in self.tls_verdicts.items():
            serves = verdict.result() if verdict.done() and not verdict.cancelled() and verdict.exception() is None else None
            if serves is not None:
                decided[host] = serves
        return decided

    async def serves_tls(self, host: str) -> bool:
        """Whether `host` completes a TLS handshake on port 443: asked once a run, however
        many of its links wait for the answer, and not at all while an earlier run's answer lives."""
        if host in self.tls_known:
            return self.tls_known[host]
        verdict = self.tls_verdicts.get(host)
        if verdict is None:
            verdict = self.tls_verdicts[host] = asyncio.create_task(self._handshake(host))
        return bool(await asyncio.shield(verdict))

    async def _handshake(self, host: str) -> bool | None:
        """Outside the host's slot and within `tls-timeout` of its own: a port 443 that drops
        packets, or accepts and never speaks TLS, must not hold up the host's links for the
        whole answer timeout. Any failure means "no https", never a dead link. The connection
        made is the first of the host's https:// comparisons."""
        try:
            async with asyncio.timeout(self._handshake_deadline(host)):
                stream = await self.backend.connect_tcp(host, 443)
                try:
                    await stream.start_tls(self._tls_context(), server_hostname=host)
                except BaseException:
                    await stream.aclose()
                    raise
            if stream.get_extra_info("ssl_object").selected_alpn_protocol() == "h2":
                self.http2_origins.add((host, 443))
                await stream.aclose()
            else:
                self.http1.keep(host, 443, stream)
        except (AddressRefused, HostNotFound):
            return None  # nothing learnt of the host's TLS
        except (TimeoutError, OSError, httpcore.NetworkError, httpcore.TimeoutException):
            return False
        return True

    def _handshake_deadline(self, host: str) -> float:
        """`tls-timeout`, or less for a host that answers quickly: a TLS handshake takes about
        what an answer does (round trips, and the server's turn), so one not done in
        HANDSHAKE_SLACK times the host's slowest answer so far (at least HANDSHAKE_FLOOR) is
        not coming. The slowest, not the fastest: a busy server is slow at both."""
        deadline = min(self.settings.tls_timeout, self.settings.timeout)
        slowest = self.slowest_answer.get(host)
        return deadline if slowest is None else min(deadline, max(HANDSHAKE_FLOOR, HANDSHAKE_SLACK * slowest))

    async def _follow(self, url: str, fragments: frozenset[str], retries: int) -> Outcome:
        host_settings = self.host_settings(urlsplit(url).hostname or "")
        wanted = {fragment for fragment in fragments if decidable_fragment(fragment)}
        seen = {url}
        current, moved_to, permanent = url, "", True
        # The link's host decides for every hop: its settings are what the site's owner knows of it.
        method = "GET" if host_settings.skip_head or host_settings.soft_error else "HEAD"
        body_wanted = bool(wanted or host_settings.soft_error)
        for hops in range(self.settings.max_redirects + 1):
            answer = await self._request(current, method, body_wanted, retries)
            if isinstance(answer, Outcome):
                if hops:
                    answer.reason += f" (after redirects to {current})"
                return answer
            if answer.status not in REDIRECTS or not answer.location:
                return self._judge(answer, current, moved_to, wanted, host_settings)
            target = _redirect_target(current, answer.location, seen)
            if isinstance(target, Outcome):
                return target
            if permanent and answer.status in PERMANENT:
                moved_to = target
            else:
                permanent = False
            current = target
        return Outcome("dead", f"more than {self.settings.max_redirects} redirects")

    def _judge(self, answer: Answer, final_url: str, moved_to: str, wanted: set[str], host_settings: HostSettings) -> Outcome:
        status = answer.status
        accepted = host_settings.accept_status if host_settings.accept_status is not None else self.settings.accept_status
        if status in accepted:
            return Outcome("accepted", f"answered {_status_text(status)} (an accepted status: not verified)", status, final_url)
        if status == 429:
            return Outcome("accepted", f"answered {_status_text(status)} after retries (rate limited: not verified)", status, final_url)
        if status >= 400:
            return Outcome("dead", _status_text(status), status, final_url)
        outcome = Outcome("ok", "", status, final_url, moved_to)
        if answer.html is not None:
            lowered = answer.html.lower()
            for phrase in host_settings.soft_error:
                if phrase.lower() in lowered:
                    return Outcome("soft-error", f"the page says {phrase!r}", status, final_url)
            if answer.complete:
                outcome.whole_page = True
                outcome.anchors = {fragment: anchor_present(answer.html, fragment) for fragment in wanted}
        return outcome

    async def _request(self, url: str, method: str, body_wanted: bool, retries: int) -> Answer | Outcome:
        """One request, tried again (after a backoff, or as long as Retry-After asks) while
        what went wrong may pass: a timeout, a failed connection, 429, 5xx."""
        host = urlsplit(url).hostname or ""
        for attempt in range(retries + 1):
            result, passing = await self._attempt(url, host, method, body_wanted)
            if not passing:
                return result
            if isinstance(result, Answer):
                method = result.method  # a host whose HEAD failed is asked with GET on the next try
            wait = self._retry_after(result)
            if wait is not None and wait > self.settings.retry_after_max:
                return self._too_long_to_wait(result, wait)
            if attempt < retries:
                await self.sleep(self._backoff(attempt) if wait is None else wait)
        return result

    async def _attempt(self, url: str, host: str, method: str, body_wanted: bool) -> tuple[Answer | Outcome, bool]:
        """One try: the answer or what went wrong, and whether trying again may help."""
        try:
            answer = await self._ask(url, host, method, body_wanted)
        except _EXPECTED_FAILURES as exc:
            return self._failure(exc, host)
        return answer, answer.status >= 500 or answer.status == 429

    async def _ask(self, url: str, host: str, method: str, body_wanted: bool) -> Answer:
        """On the host's turn: HEAD, then GET when HEAD's error is not to be believed."""
        async with self._host_slot(host):
            if method == "HEAD" and self.head_confirmed.get(host) == HEAD_UNRELIABLE:
                method = "GET"  # decided on the host's turn: what earlier answers taught counts
            answer = await self._send_in_time(url, host, method, body_wanted)
            if method == "HEAD" and answer.status >= 400 and answer.status != 429 and not self._head_trusted(host):
                head_status = answer.status  # 405, 501, or a server that answers HEAD wrongly
                answer = await self._send_in_time(url, host, "GET", body_wanted)
                self._learn_head(host, head_status, answer.status)
            return answer

    async def _send_in_time(self, url: str, host: str, method: str, body_wanted: bool) -> Answer:
        started = time.monotonic()
        async with asyncio.timeout(self.settings.timeout):  # the whole answer, however slowly it dribbles
            answer = await self._send(url, method, body_wanted)
        took = time.monotonic() - started
        self.slowest_answer[host] = max(took, self.slowest_answer.get(host, 0.0))
        return answer

    def _failure(self, exc: Exception, host: str) -> tuple[Outcome, bool]:
        """What a failed request means for the link, and whether trying again may help."""
        if isinstance(exc, AddressRefused):
            return Outcome("refused", str(exc)), False
        if isinstance(exc, HostNotFound):
            return Outcome("dead", str(exc), unresolved=True), False
        if isinstance(exc, (TimeoutError, httpx.TimeoutException)):
            return self._timed_out(host), True
        if isinstance(exc, httpx.TransportError):
            reason, passing = _describe_connect_error(exc)
            return Outcome("dead", reason), passing
        if isinstance(exc, httpx.HTTPError):  # a body that does not decode as it says
            return Outcome("dead", f"unreadable answer: {exc}"), False
        return Outcome("dead", f"invalid URL: {exc}"), False  # a host name that is not valid IDNA, among others

    def _timed_out(self, host: str) -> Outcome:
        if self.backend.resolving(host):  # the name servers, not the host, did not answer
            message = f"host {host} not found within {self.settings.timeout:g} s (the name servers did not answer)"
            return Outcome("timeout", message, unresolved=True)
        return Outcome("timeout", f"no complete answer within {self.settings.timeout:g} s")

    @staticmethod
    def _retry_after(result: Answer | Outcome) -> float | None:
        if isinstance(result, Answer) and result.status in (429, 503):
            return retry_after_seconds(result.retry_after)
        return None

    def _too_long_to_wait(self, result: Answer | Outcome, wait: float) -> Outcome:
        status = result.status
        return Outcome(
            "accepted",
            f"answered {_status_text(status)} asking to wait {wait:.0f} s, more than "
            f"retry-after-max ({self.settings.retry_after_max:g} s): not verified",
            status,
        )

    async def _send(self, url: str, method: str, body_wanted: bool) -> Answer:
        target = request_target(url)
        origin = (target.name, target.port)
        verb = method.encode("ascii")
        reply: Reply
        if self.http2 is not None and origin in self.http2_origins:
            reply = await self.http2.request(target, verb, self.headers)
        else:
            try:
                reply = await self.http1.request(target, verb, self.header_lines)
            except NegotiatedHttp2:
                if self.http2 is None:  # HTTP/2 is offered only where it can be spoken
                    raise
                self.http2_origins.add(origin)
                reply = await self.http2.request(target, verb, self.headers)
        try:
            html, complete = None, False
            if body_wanted and method == "GET" and "html" in reply.header("content-type"):
                html, complete = await self._read_html(reply)
            elif method == "HEAD" or _small(reply.header("content-length")):
                await reply.read(_KEEP_ALIVE_DRAIN)  # the connection is kept alive only when the answer was read to its end
            return Answer(reply.status, reply.headers.get("location"), html, complete, reply.headers.get("retry-after"), method)
        finally:
            await reply.close()

    async def _read_html(self, reply: Reply) -> tuple[str, bool]:
        """The page, up to `max-body`, and whether it was read to its end."""
        limit = self.settings.max_body
        raw, ended = await reply.read(limit)
        body = decoded(raw, reply.header("content-encoding"), limit + 1)
        charset = _CHARSET.search(reply.header("content-type"))
        try:
            html = body[:limit].decode(charset[1] if charset else "utf-8", "replace")
        except LookupError:  # a charset Python does not know
            html = body[:limit].decode("utf-8", "replace")
        return html, ended and len(body) <= limit


_EXPECTED_FAILURES = (AddressRefused, HostNotFound, TimeoutError, httpx.HTTPError, httpx.InvalidURL, UnicodeError)


def https_form(url: str) -> str | None:
    """The https:// URL to compare an http:// one with, where the comparison can mean
    something: on the default port (or an explicit :80, whose https:// form is on 443). A
    server on another explicit port almost never serves TLS there."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() != "http" or port not in (None, 80):
        return None
    if port is None:
        return "https" + url[url.index(":") :]
    return urlunsplit(parts._replace(scheme="https", netloc=parts.netloc.rsplit(":", 1)[0]))


def _same_page(http_url: str, https_url: str) -> bool:
    """Whether the two final URLs are the same page, but for the scheme (and its default port)."""
    plain, secure = urlsplit(http_url), urlsplit(https_url)
    return (
        (plain.hostname, plain.path, plain.query) == (secure.hostname, secure.path, secure.query)
        and plain.port in (None, 80)
        and secure.port in (None, 443)
    )


def _redirect_target(current: str, location: str, seen: set[str]) -> str | Outcome:
    """Where a redirect leads (added to `seen`), or why it is not followed."""
    target = urljoin(current, location.strip())
    if urlsplit(target).scheme.lower() not in ("http", "https"):
        return Outcome("dead", f"redirects to {target}, which is not http(s)")
    if target in seen:
        return Outcome("dead", f"redirect loop at {target}")
    seen.add(target)
    return target


def _small(content_length: str) -> bool:
    return content_length.strip().isdigit() and int(content_length) <= _KEEP_ALIVE_DRAIN


_CHARSET = re.compile(r"""charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
