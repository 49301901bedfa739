"""HTTP/1.1 for the link checker: an httpx transport keeping connections alive per origin,
over the guarded network backend, with h11 for the protocol.

Why not httpx's own transport: httpcore's connection pool goes through anyio locks and
events that each yield to the event loop, several times between an answer and the next
request on its connection. With a hundred requests under way, every answer then waits for
all the others to be read before its connection's next request leaves: the requests move in
lockstep, and each round of them costs the time to read them all on top of the servers'
delay. Here the next request leaves as soon as an answer is read. It does only what a link
check needs: GET and HEAD without a request body, no proxies, no upgrades. HTTP/2 (the
`http2` extra) goes through httpcore's pool (`http2`)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import contextmanager

import h11
import httpcore
import httpx

_READ_SIZE = 65_536
_DEFAULT_PORTS = {b"http": 80, b"https": 443}
# The network backend and httpcore's pool raise httpcore's exceptions; the checker reads httpx's.
_ERRORS = {
    httpcore.ConnectTimeout: httpx.ConnectTimeout,
    httpcore.ConnectError: httpx.ConnectError,
    httpcore.ReadTimeout: httpx.ReadTimeout,
    httpcore.ReadError: httpx.ReadError,
    httpcore.WriteTimeout: httpx.WriteTimeout,
    httpcore.WriteError: httpx.WriteError,
    httpcore.PoolTimeout: httpx.PoolTimeout,
    httpcore.RemoteProtocolError: httpx.RemoteProtocolError,
    httpcore.LocalProtocolError: httpx.LocalProtocolError,
    httpcore.UnsupportedProtocol: httpx.UnsupportedProtocol,
}


@contextmanager
def as_httpx_errors():
    try:
        yield
    except h11.ProtocolError as exc:
        raise httpx.RemoteProtocolError(str(exc) or "the server broke the HTTP protocol") from exc
    except tuple(_ERRORS) as exc:
        raise _ERRORS[type(exc)](str(exc)) from exc


class _Disconnected(httpx.RemoteProtocolError):
    """The server closed the connection before answering."""


# What a connection kept alive from an earlier request does when the server closed it
# meanwhile: the request is sent again on a new connection.
_STALE = (_Disconnected, httpcore.ReadError, httpcore.WriteError)


class _Connection:
    def __init__(self, stream: httpcore.AsyncNetworkStream):
        self.stream = stream
        self.protocol = h11.Connection(h11.CLIENT)
        self.heard = False  # the server sent something since the last request went out

    async def next_event(self):
        while (event := self.protocol.next_event()) is h11.NEED_DATA:
            data = await self.stream.read(_READ_SIZE)
            self.heard = self.heard or bool(data)
            self.protocol.receive_data(data)
        return event

    async def ask(self, request: httpx.Request) -> h11.Response:
        head = h11.Request(method=request.method, target=request.url.raw_path, headers=request.headers.raw)
        self.heard = False
        await self.stream.write(self.protocol.send(head) + self.protocol.send(h11.EndOfMessage()))
        while True:
            try:
                event = await self.next_event()
            except h11.RemoteProtocolError:
                if not self.heard:
                    raise _Disconnected("the server closed the connection without answering") from None
                raise
            if isinstance(event, h11.Response):
                return event
            # else an informational answer (100 Continue): the real one follows

    def reusable(self) -> bool:
        return self.protocol.our_state is h11.DONE and self.protocol.their_state is h11.DONE

    def closed_by_server(self) -> bool:
        """An idle connection with something to read: only its end can be there."""
        return bool(self.stream.get_extra_info("is_readable"))

    async def close(self) -> None:
        await self.stream.aclose()


class _Body(httpx.AsyncByteStream):
    def __init__(self, connection: _Connection, done: Callable[[_Connection], None]):
        self.connection = connection
        self.done = done
        self.closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with as_httpx_errors():
            while True:
                event = await self.connection.next_event()
                if isinstance(event, h11.Data):
                    yield bytes(event.data)
                elif isinstance(event, (h11.EndOfMessage, h11.ConnectionClosed)):
                    return

    async def aclose(self) -> None:
        if self.closed:
            return
        self.closed = True
        connection = self.connection
        if connection.reusable():
            connection.protocol.start_next_cycle()
            self.done(connection)
        else:  # the body was not read to its end (a large page, an error): not reusable
            await connection.close()


class Http11Transport(httpx.AsyncBaseTransport):
    """Connections kept alive per origin, each carrying one request at a time; how many a
    host gets at once is the checker's per-host limit."""

    def __init__(self, backend: httpcore.AsyncNetworkBackend, tls_context):
        self.backend = backend
        self.tls_context = tls_context  # called when the first https:// connection is made
        self.idle: dict[tuple[bytes, str, int], list[_Connection]] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        # The host as httpx shows it (the checker closes a host's connections by that name),
        # and as it is sent: IDNA-encoded.
        origin = (url.raw_scheme, url.host, url.port or _DEFAULT_PORTS.get(url.raw_scheme, 80))
        with as_httpx_errors():
            while True:
                connection = await self._idle_connection(origin)
                reused = connection is not None
                if connection is None:
                    connection = await self._connect(origin, url.raw_host.decode("ascii"))
                try:
                    head = await connection.ask(request)
                except BaseException as exc:
                    await connection.close()
                    if reused and isinstance(exc, _STALE):  # closed by the server while idle
                        continue
                    raise
                return self._response(request, connection, head, origin)

    async def _idle_connection(self, origin: tuple[bytes, str, int]) -> _Connection | None:
        idle = self.idle.get(origin)
        while idle:
            connection = idle.pop()
            if not connection.closed_by_server():
                return connection
            await connection.close()
        return None

    async def _connect(self, origin: tuple[bytes, str, int], host: str) -> _Connection:
        scheme, _, port = origin
        if scheme not in _DEFAULT_PORTS:
            raise httpx.UnsupportedProtocol(f"{scheme.decode('ascii', 'replace')}:// is not requested")
        stream = await self.backend.connect_tcp(host, port)
        if scheme == b"https":
            stream = await stream.start_tls(self.tls_context(), server_hostname=host)
        return _Connection(stream)

    def _response(self, request: httpx.Request, connection: _Connection, head: h11.Response, origin) -> httpx.Response:
        def keep(connection: _Connection) -> None:
            self.idle.setdefault(origin, []).append(connection)

        return httpx.Response(
            head.status_code,
            headers=list(head.headers),
            stream=_Body(connection, keep),
            request=request,
            extensions={"http_version": b"HTTP/1.1", "reason_phrase": bytes(head.reason)},
        )

    async def close_host(self, host: str) -> None:
        for origin in [origin for origin in self.idle if origin[1] == host]:
            for connection in self.idle.pop(origin):
                await connection.close()

    async def aclose(self) -> None:
        for connections in self.idle.values():
            for connection in connections:
                await connection.close()
        self.idle.clear()
