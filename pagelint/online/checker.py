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
from urllib.parse import unquote, urljoin, urlsplit

import httpcore
import httpx

if importlib.util.find_spec("sniffio") is None:
    # httpcore imports sniffio on every request and falls back to asyncio when it is absent;
    # a failed import searches sys.path each time (a third of the run's CPU). None fails at once.
    sys.modules.setdefault("sniffio", None)  # type: ignore[arg-type]

from pagelint import __version__
from pagelint.config import HostSettings, OnlineSettings
from pagelint.online.outcome import Outcome, decidable_fragment
from pagelint.online.transport.http11 import Http11Transport
from pagelint.online.transport.safety import AddressPolicy, AddressRefused, GuardedBackend, HostNotFound

REDIRECTS = frozenset({301, 302, 303, 307, 308})
PERMANENT = frozenset({301, 308})
_HTTP2 = importlib.util.find_spec("h2") is not None
_NO_HOST_SETTINGS = HostSettings()
_KEEP_ALIVE_DRAIN = 16_384  # bodies up to this size are read to keep the connection; larger ones close it
# Where an http:// port has an https:// twin: the default port and an explicit :80. Any other
# explicit port (http://host:8080/) almost never serves TLS on the same port.
HTTPS_PORTS: dict[int | None, int] = {None: 443, 80: 443}
# A TLS handshake is quick or never comes (port 443 silently dropped by old department
# servers): its own deadline, far below the answer timeout.
TLS_HANDSHAKE_DEADLINE = 3.0


@dataclass(frozen=True, slots=True)
class Answer:
    """A final (non-retried) HTTP answer of one request."""

    status: int
    location: str | None
    html: str | None  # the body, when it was wanted and is HTML
    complete: bool  # the body was read to its end, within the cap
    retry_after: str | None = None


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


HTTP2_UNGUARDED = "this httpcore's connection pool cannot be routed through the private-address guard: uninstall h2 to check links over HTTP/1.1"


class Unguarded(RuntimeError):
    """httpx's pool no longer takes the guarded network backend: a connection could reach a private address."""


def guard_pool(pool: httpx.AsyncHTTPTransport, backend: GuardedBackend) -> httpx.AsyncHTTPTransport:
    """Route `pool`'s connections through the guard. httpx takes no network backend, its
    httpcore pool does (a private attribute): checked by a test that raises whatever the
    optimisation level, since a renamed attribute would silently bypass the guard."""
    inner = getattr(pool, "_pool", None)
    if not isinstance(inner, httpcore.AsyncConnectionPool) or not isinstance(getattr(inner, "_network_backend", None), httpcore.AsyncNetworkBackend):
        raise Unguarded(HTTP2_UNGUARDED)
    inner._network_backend = backend
    return pool


class PoolPerOrigin(httpx.AsyncBaseTransport):
    """httpx's own transport (for HTTP/2), a connection pool per scheme, host and port:
    httpcore's pool looks at every one of its connections for every request, and one pool of
    hundreds costs more CPU than the requests."""

    def __init__(self, make_pool):
        self.make_pool = make_pool
        self.pools: dict[tuple[str, str, int | None], httpx.AsyncHTTPTransport] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        origin = (request.url.scheme, request.url.host, request.url.port)
        pool = self.pools.get(origin)
        if pool is None:
            pool = self.pools[origin] = self.make_pool(request.url.host)
        return await pool.handle_async_request(request)

    async def close_host(self, host: str) -> None:
        for origin in [origin for origin in self.pools if origin[1] == host]:
            await self.pools.pop(origin).aclose()

    async def aclose(self) -> None:
        for pool in self.pools.values():
            await pool.aclose()
        self.pools.clear()


HEAD_CONFIRMATIONS = 2
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
        # Requests go to the transport itself: httpx's client adds nothing needed here
        # (redirects are followed by hand, there are no cookies) and costs a fifth of the CPU.
        self.headers = httpx.Headers({"User-Agent": self.user_agent, "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
        # No timeout for each connect, read and write: `_request` bounds the whole answer, and
        # a timer for each read and write is CPU on every request.
        self.timeouts = {"timeout": httpx.Timeout(None).as_dict()}
        self._tls: ssl.SSLContext | None = None
        self.tls_verdicts: dict[tuple[str, int], asyncio.Task[bool]] = {}

    async def __aenter__(self) -> Checker:
        self.backend = backend = GuardedBackend(self.policy)
        self.http1 = Http11Transport(backend, self._tls_context)
        self.http2: PoolPerOrigin | None = None
        if _HTTP2:

            def make_pool(host: str) -> httpx.AsyncHTTPTransport:
                size = self.per_host(host)
                limits = httpx.Limits(max_connections=size, max_keepalive_connections=size, keepalive_expiry=30)
                pool = httpx.AsyncHTTPTransport(verify=self._tls_context(), limits=limits, http2=True, trust_env=False)
                return guard_pool(pool, backend)

            self.http2 = PoolPerOrigin(make_pool)
        return self

    async def __aexit__(self, *exc_info) -> None:
        await self.http1.aclose()
        if self.http2 is not None:
            await self.http2.aclose()

    def _tls_context(self) -> ssl.SSLContext:
        """Made when the first https:// connection needs it: it loads the system's certificates."""
        if self._tls is None:
            self._tls = ssl.create_default_context()
            if self.settings.ca_bundle:
                self._tls.load_verify_locations(cafile=self.settings.ca_bundle)
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
        """With `probe_https`, an http:// URL that works is tried once over https:// too,
        where the host serves TLS at all."""
        outcome = await self._follow(url, fragments, self.settings.retries)
        secure_url = https_form(url) if probe_https and outcome.kind == "ok" else None
        if secure_url is not None and outcome.moved_to[:8].lower() != "https://":
            parts = urlsplit(secure_url)
            if await self._serves_tls(parts.hostname or "", parts.port or 443):
                secure = await self._follow(secure_url, frozenset(), retries=0)
                outcome.https = (
                    secure.kind == "ok"
                    and secure.status == outcome.status
                    and _without_scheme_and_port(secure.final_url) == _without_scheme_and_port(outcome.final_url)
                )
        outcome.https_probed = probe_https
        return outcome

    async def _serves_tls(self, host: str, port: int) -> bool:
        """Whether `host` completes a TLS handshake on `port`: decided once a run, by
        whichever request asks first, without a turn at the host (its other requests go on)."""
        verdict = self.tls_verdicts.get((host, port))
        if verdict is None:
            verdict = self.tls_verdicts[(host, port)] = asyncio.create_task(self._handshake(host, port))
        return await asyncio.shield(verdict)

    async def _handshake(self, host: str, port: int) -> bool:
        """No TLS (refused, dropped, silent, a bad certificate) means "no https", never a dead link."""
        try:
            async with asyncio.timeout(TLS_HANDSHAKE_DEADLINE):
                stream = await self.backend.connect_tcp(host, port)
                try:
                    await stream.start_tls(self._tls_context(), server_hostname=host)
                finally:
                    await stream.aclose()
        except (TimeoutError, OSError, httpcore.NetworkError, httpcore.TimeoutException, AddressRefused, HostNotFound):
            return False
        return True

    async def _follow(self, url: str, fragments: frozenset[str], retries: int) -> Outcome:
        host_settings = self.host_settings(urlsplit(url).hostname or "")
        wanted = {fragment for fragment in fragments if decidable_fragment(fragment)}
        seen = {url}
        current, moved_to, permanent = url, "", True
        for hops in range(self.settings.max_redirects + 1):
            method = "GET" if host_settings.skip_head or host_settings.soft_error else "HEAD"
            answer = await self._request(current, method, bool(wanted or host_settings.soft_error), retries)
            if isinstance(answer, Outcome):
                if hops:
                    answer.reason += f" (after redirects to {current})"
                return answer
            if answer.status not in REDIRECTS or not answer.location:
                return self._judge(answer, current, moved_to, wanted, host_settings)
            target = urljoin(current, answer.location.strip())
            if urlsplit(target).scheme.lower() not in ("http", "https"):
                return Outcome("dead", f"redirects to {target}, which is not http(s)")
            if target in seen:
                return Outcome("dead", f"redirect loop at {target}")
            seen.add(target)
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
        """One request, retried on timeouts, failed connections, 429 and 5xx; HEAD falls
        back to GET when the server answers it with an error."""
        host = urlsplit(url).hostname or ""
        last: Answer | Outcome = Outcome("dead", "no request made")
        for attempt in range(retries + 1):
            delay = self._backoff(attempt)
            try:
                async with self._host_slot(host):
                    if method == "HEAD" and self.head_confirmed.get(host) == HEAD_UNRELIABLE:
                        method = "GET"  # decided on the host's turn: what earlier answers taught counts
                    async with asyncio.timeout(self.settings.timeout):  # the whole answer, however slowly it dribbles
                        answer = await self._send(url, method, body_wanted)
                    if method == "HEAD" and answer.status >= 400 and answer.status != 429 and not self._head_trusted(host):
                        method = "GET"  # 405, 501, or a server that answers HEAD wrongly
                        head_status = answer.status
                        async with asyncio.timeout(self.settings.timeout):
                            answer = await self._send(url, method, body_wanted)
                        self._learn_head(host, head_status, answer.status)
            except AddressRefused as exc:
                return Outcome("refused", str(exc))
            except HostNotFound as exc:
                return Outcome("dead", str(exc), unresolved=True)
            except (TimeoutError, httpx.TimeoutException):
                if self.backend.resolving(host):  # the name servers, not the host, did not answer
                    message = f"host {host} not found within {self.settings.timeout:g} s (the name servers did not answer)"
                    last = Outcome("timeout", message, unresolved=True)
                else:
                    last = Outcome("timeout", f"no complete answer within {self.settings.timeout:g} s")
            except httpx.TransportError as exc:
                reason, retry = _describe_connect_error(exc)
                last = Outcome("dead", reason)
                if not retry:
                    return last
            except httpx.HTTPError as exc:  # a body that does not decode as it says
                return Outcome("dead", f"unreadable answer: {exc}")
            except (httpx.InvalidURL, UnicodeError) as exc:  # a host name that is not valid IDNA, among others
                return Outcome("dead", f"invalid URL: {exc}")
            else:
                last = answer
                if answer.status < 500 and answer.status != 429:
                    return answer
                wait = retry_after_seconds(answer.retry_after) if answer.status in (429, 503) else None
                if wait is not None and wait > self.settings.retry_after_max:
                    return Outcome(
                        "accepted",
                        f"answered {_status_text(answer.status)} asking to wait {wait:.0f} s, more than "
                        f"retry-after-max ({self.settings.retry_after_max:g} s): not verified",
                        answer.status,
                    )
                if wait is not None:
                    delay = wait
            if attempt < retries:
                await self.sleep(delay)
        return last

    async def _send(self, url: str, method: str, body_wanted: bool) -> Answer:
        request = httpx.Request(method, url, headers=self.headers, extensions=self.timeouts)
        transport = self.http2 if self.http2 is not None and request.url.scheme == "https" else self.http1
        response = await transport.handle_async_request(request)
        response.request = request
        try:
            html, complete = None, False
            if body_wanted and method == "GET" and "html" in response.headers.get("content-type", ""):
                chunks, size = [], 0
                complete = True
                async for chunk in response.aiter_bytes():
                    chunks.append(chunk)
                    size += len(chunk)
                    if size > self.settings.max_body:
                        complete = False
                        break
                body = b"".join(chunks)[: self.settings.max_body]
                try:
                    html = body.decode(response.encoding or "utf-8", "replace")
                except LookupError:  # a charset Python does not know
                    html = body.decode("utf-8", "replace")
            elif method == "HEAD" or _small(response.headers.get("content-length")):
                await response.aread()  # the connection is kept alive only when the answer was read to its end
            headers = response.headers
            return Answer(response.status_code, headers.get("location"), html, complete, headers.get("retry-after"))
        finally:
            await response.aclose()


def https_form(url: str) -> str | None:
    """The https:// twin of an http:// URL, where its port has one (see HTTPS_PORTS)."""
    if url[:7].lower() != "http://":
        return None
    parts = urlsplit(url)
    try:
        port = HTTPS_PORTS.get(parts.port)
    except ValueError:  # a port that is not a number: the request failed already
        return None
    if port is None:
        return None
    netloc = parts.netloc.rsplit(":", 1)[0] if parts.port is not None else parts.netloc
    return parts._replace(scheme="https", netloc=netloc if port == 443 else f"{netloc}:{port}").geturl()


def _without_scheme_and_port(url: str) -> str:
    parts = urlsplit(url)
    return parts._replace(scheme="", netloc=parts.hostname or "").geturl()


def _small(content_length: str | None) -> bool:
    return content_length is not None and content_length.strip().isdigit() and int(content_length) <= _KEEP_ALIVE_DRAIN
