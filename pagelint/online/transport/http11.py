"""HTTP/1.1 for the link checker: connections kept alive per origin, over the guarded network
backend, each carrying one request at a time, with a reader of answers of its own.

Why not httpx's own transport: httpcore's connection pool goes through anyio locks and
events that each yield to the event loop, several times between an answer and the next
request on its connection. With a hundred requests under way, every answer then waits for
all the others to be read before its connection's next request leaves: the requests move in
lockstep, and each round of them costs the time to read them all on top of the servers'
delay. Here the next request leaves as soon as an answer is read.

Why not h11: its state machine, event objects and header validation cost more CPU than the
rest of a request, and a link check needs a small part of HTTP/1.1: GET and HEAD without a
request body; the answer's status line and headers (informational answers skipped); its body
delimited by a length, by chunks or by the connection's end. HTTP/2 (the `http2` extra) goes
through httpcore's pool (`http2`)."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx

from pagelint.online.transport.message import Reply, Target, as_httpx_errors, header_text
from pagelint.online.transport.streams import AsyncioStream

_READ_SIZE = 65_536
_HEAD_LIMIT = 65_536  # bytes of an answer's head, or of a chunk's size line: more is not an HTTP server
_HEAD_END = re.compile(rb"\r?\n\r?\n")
_NO_BODY = frozenset({204, 304})
_LENGTH, _CHUNKED, _UNTIL_CLOSED = range(3)


class NegotiatedHttp2(Exception):
    """The server chose HTTP/2 in the TLS handshake: the origin is for the HTTP/2 transport."""


class _Disconnected(httpx.RemoteProtocolError):
    """The server closed the connection before answering."""


# What a connection kept alive from an earlier request does when the server closed it
# meanwhile: the request is sent again on a new connection.
_STALE = (_Disconnected, httpx.ReadError, httpx.WriteError)


class _Connection:
    def __init__(self, stream: AsyncioStream):
        self.stream = stream
        self.buffer = bytearray()  # read and not used yet
        self.heard = False  # the server sent something since the last request went out

    async def _more(self) -> bool:
        """Read what the server sent next into the buffer; False at the connection's end."""
        try:
            data = await self.stream.reader.read(_READ_SIZE)
        except OSError as exc:
            raise httpx.ReadError(str(exc) or type(exc).__name__) from exc
        self.buffer += data
        self.heard = self.heard or bool(data)
        return bool(data)

    async def _until(self, pattern: re.Pattern[bytes]) -> bytes:
        """The bytes up to `pattern` (taken from the buffer with it), within _HEAD_LIMIT."""
        while (found := pattern.search(self.buffer)) is None:
            if len(self.buffer) > _HEAD_LIMIT:
                raise httpx.RemoteProtocolError(f"no end of line within {_HEAD_LIMIT} bytes: not an HTTP answer")
            if not await self._more():
                if not self.heard:
                    raise _Disconnected("the server closed the connection without answering")
                raise httpx.RemoteProtocolError("the server closed the connection in the middle of its answer")
        taken = bytes(self.buffer[: found.start()])
        del self.buffer[: found.end()]
        return taken

    async def take(self, size: int) -> bytes:
        """`size` bytes of the body, fewer when fewer are at hand (at least one)."""
        if not self.buffer and not await self._more():
            raise httpx.RemoteProtocolError("the server closed the connection in the middle of its answer")
        taken = bytes(self.buffer[:size])
        del self.buffer[:size]
        return taken

    async def rest(self) -> bytes | None:
        """What came before the connection's end (an answer delimited by it), None at the end."""
        if not self.buffer and not await self._more():
            return None
        taken = bytes(self.buffer)
        self.buffer.clear()
        return taken

    async def line(self) -> bytes:
        return await self._until(_LINE_END)

    async def ask(self, target: Target, method: bytes, headers: bytes) -> _Answer:
        self.heard = False
        # No drain: a request is a few hundred bytes, which the socket takes at once.
        self.stream.writer.write(b"%s %s HTTP/1.1\r\nHost: %s\r\n%s\r\n" % (method, target.path, target.authority, headers))
        while True:
            head = await self._until(_HEAD_END)
            answer = _Answer(self, head, method == b"HEAD")
            if not 100 <= answer.status < 200:
                return answer
            # else an informational answer (100 Continue): the real one follows

    def idle_and_open(self) -> bool:
        """Neither closed by the server nor holding stray bytes: fit to carry a request."""
        return not self.buffer and not self.stream.reader.at_eof()

    async def close(self) -> None:
        await self.stream.aclose()


_LINE_END = re.compile(rb"\r?\n")


class _Answer(Reply):
    def __init__(self, connection: _Connection, head: bytes, bodiless: bool):
        self.connection = connection
        status_line, *lines = head.split(b"\n")
        version, _, rest = status_line.rstrip(b"\r").partition(b" ")
        status = rest[:3]
        if not version.startswith(b"HTTP/1.") or len(status) != 3 or not status.isdigit():
            raise httpx.RemoteProtocolError(f"not an HTTP answer: {status_line[:60]!r}")
        self.status = int(status)
        self.http_version = "HTTP/1.1"
        self.headers = _headers(lines)
        self.keep_alive = version == b"HTTP/1.1" and "close" not in self.header("connection").lower()
        self.ended = False  # the body was read to its end
        self.returned: Callable[[_Connection], None] | None = None
        self.framing, self.left = _framing(self, bodiless)
        if self.framing == _LENGTH and not self.left:
            self.ended = True

    async def next_chunk(self) -> bytes | None:
        if self.ended:
            return None
        if self.framing == _LENGTH:
            chunk = await self.connection.take(self.left)
            self.left -= len(chunk)
            self.ended = not self.left
            return chunk
        if self.framing == _CHUNKED:
            return await self._next_of_chunks()
        rest = await self.connection.rest()
        self.ended = rest is None
        return rest

    async def _next_of_chunks(self) -> bytes | None:
        if not self.left:
            size = await self.connection.line()
            try:
                self.left = int(size.split(b";", 1)[0].strip(), 16)
            except ValueError:
                raise httpx.RemoteProtocolError("a chunk of the answer without its size") from None
            if not self.left:
                while await self.connection.line():  # trailers, up to the empty line
                    pass
                self.ended = True
                return None
        chunk = await self.connection.take(self.left)
        self.left -= len(chunk)
        if not self.left and await self.connection.line():
            raise httpx.RemoteProtocolError("a chunk of the answer longer than its size")
        return chunk

    async def close(self) -> None:
        connection = self.connection
        if self.ended and self.keep_alive and self.returned is not None:
            self.returned(connection)
            self.returned = None
        else:  # the body was not read to its end (a large page, an error), or the server closes
            await connection.close()


def _headers(lines: list[bytes]) -> dict[str, str]:
    headers: dict[str, str] = {}
    name = ""
    for raw in lines:
        line = raw.rstrip(b"\r")
        if line[:1] in (b" ", b"\t") and name:  # a folded line continues the header before it
            headers[name] += " " + header_text(line.strip())
            continue
        key, colon, value = line.partition(b":")
        if not colon or not key or key[-1:] in (b" ", b"\t"):
            raise httpx.RemoteProtocolError(f"not an HTTP header: {line[:60]!r}")
        name = key.decode("latin-1").lower()
        headers[name] = header_text(value.strip())
    return headers


def _framing(answer: _Answer, bodiless: bool) -> tuple[int, int]:
    """How the body is delimited, and its length where a length says it."""
    if bodiless or answer.status in _NO_BODY:
        return _LENGTH, 0
    coding = answer.header("transfer-encoding").lower()
    if coding:
        return (_CHUNKED if coding.rsplit(",", 1)[-1].strip() == "chunked" else _UNTIL_CLOSED), 0
    length = answer.header("content-length")
    if not length:
        answer.keep_alive = False
        return _UNTIL_CLOSED, 0
    values = {value.strip() for value in length.split(",")}  # the same length repeated is one
    if len(values) != 1 or not (value := values.pop()).isdigit():
        raise httpx.RemoteProtocolError(f"an answer with an unreadable length: {length!r}")
    return _LENGTH, int(value)


class Http11Transport:
    """Connections kept alive per origin, each carrying one request at a time; how many a
    host gets at once is the checker's per-host limit."""

    def __init__(self, backend, tls_context):
        self.backend = backend  # the guarded network backend, giving `AsyncioStream`s
        self.tls_context = tls_context  # called when the first https:// connection is made
        self.idle: dict[tuple[str, str, int], list[_Connection]] = {}

    async def request(self, target: Target, method: bytes, headers: bytes) -> Reply:
        """Send a request (`headers`: lines after Host, each ending in CRLF) and read its answer's head."""
        origin = (target.scheme, target.name, target.port)
        while True:
            connection = await self._idle_connection(origin)
            reused = connection is not None
            if connection is None:
                connection = await self._connect(target)
            try:
                answer = await connection.ask(target, method, headers)
            except BaseException as exc:
                await connection.close()
                if reused and isinstance(exc, _STALE):  # closed by the server while idle
                    continue
                raise
            answer.returned = self.idle.setdefault(origin, []).append
            return answer

    async def _idle_connection(self, origin: tuple[str, str, int]) -> _Connection | None:
        idle = self.idle.get(origin)
        while idle:
            connection = idle.pop()
            if connection.idle_and_open():
                return connection
            await connection.close()
        return None

    async def _connect(self, target: Target) -> _Connection:
        with as_httpx_errors():
            stream = await self.backend.connect_tcp(target.host, target.port)
            if target.scheme == "https":
                stream = await stream.start_tls(self.tls_context(), server_hostname=target.host)
        if target.scheme == "https" and stream.get_extra_info("ssl_object").selected_alpn_protocol() == "h2":
            await stream.aclose()
            raise NegotiatedHttp2(target.name)
        return _Connection(stream)

    def keep(self, name: str, port: int, stream: AsyncioStream) -> None:
        """Keep a TLS connection made elsewhere (HTTP/1.1 chosen in its handshake) for the next request to the origin."""
        self.idle.setdefault(("https", name, port), []).append(_Connection(stream))

    async def close_host(self, name: str) -> None:
        for origin in [origin for origin in self.idle if origin[1] == name]:
            for connection in self.idle.pop(origin):
                await connection.close()

    async def aclose(self) -> None:
        for connections in self.idle.values():
            for connection in connections:
                await connection.close()
        self.idle.clear()
