"""The checker's HTTP/1.1 transport against scripted loopback servers: connections kept alive
and reused, a kept connection the server closed meanwhile, bodies delimited every way HTTP/1.1
allows, informational answers, answers that are not HTTP, host names in IDNA; and the
asyncio network backend's errors, whose messages users read as why a link is dead."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading

import httpx
import pytest

from pagelint.config import OnlineSettings
from pagelint.online.checker import Checker
from pagelint.online.transport.http11 import Http11Transport
from pagelint.online.transport.message import request_target
from pagelint.online.transport.safety import AddressPolicy, GuardedBackend


class ScriptedServer:
    """Answers each request read on a connection with `answer(request_head, number)` (the
    bytes to send, or None to close the connection without answering), closing it after an
    HTTP/1.0 answer or one saying `Connection: close`; counts connections and requests."""

    def __init__(self, answer):
        self.answer = answer
        self.connections = 0
        self.requests: list[bytes] = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        self.listener.settimeout(0.05)
        while not self.stop.is_set():
            try:
                connection, _ = self.listener.accept()
            except OSError:
                continue
            self.connections += 1
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection):
        buffer = b""
        with connection:
            while True:
                while b"\r\n\r\n" not in buffer:
                    data = connection.recv(65536)
                    if not data:
                        return
                    buffer += data
                head, buffer = buffer.split(b"\r\n\r\n", 1)
                self.requests.append(head)
                reply = self.answer(head, len(self.requests))
                if reply is None:
                    return
                connection.sendall(reply)
                if reply.startswith(b"HTTP/1.0") or b"\r\nConnection: close\r\n" in reply:
                    return

    def close(self):
        self.stop.set()
        self.listener.close()


@pytest.fixture
def scripted():
    servers = []

    def start(answer):
        servers.append(ScriptedServer(answer))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def ok(body: bytes = b"<p id='x'>fine</p>", extra: bytes = b"") -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n%s\r\n%s" % (len(body), extra, body)


def fetch_all(port: int, paths: list[str], method: str = "GET", host: str = "127.0.0.1") -> list[tuple[int, bytes]]:
    """Request `paths` one after another through one transport; (status, body) of each."""

    async def go():
        transport = Http11Transport(GuardedBackend(AddressPolicy(True)), lambda: None)
        answers = []
        try:
            for path in paths:
                reply = await transport.request(request_target(f"http://{host}:{port}{path}"), method.encode(), b"")
                body, ended = await reply.read(1_000_000)
                await reply.close()
                assert ended
                answers.append((reply.status, body))
        finally:
            await transport.aclose()
        return answers

    return asyncio.run(go())


def test_a_connection_is_kept_alive_and_reused(scripted):
    server = scripted(lambda head, number: ok())
    assert fetch_all(server.port, ["/a", "/b", "/c"]) == [(200, b"<p id='x'>fine</p>")] * 3
    assert server.connections == 1 and len(server.requests) == 3
    assert server.requests[0].startswith(b"GET /a HTTP/1.1\r\n") and b"host: 127.0.0.1:" in server.requests[0].lower()


def test_head_answers_have_no_body_and_keep_the_connection(scripted):
    server = scripted(lambda head, number: b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n")
    assert fetch_all(server.port, ["/a", "/b"], method="HEAD") == [(200, b""), (200, b"")]
    assert server.connections == 1


def test_a_kept_connection_the_server_closed_is_replaced(scripted):
    # The server answers the first request and then closes: the second request goes out on
    # the kept connection (or finds it closed) and is sent again on a new one.
    server = scripted(lambda head, number: ok() if number != 2 else None)
    assert fetch_all(server.port, ["/a", "/b"]) == [(200, b"<p id='x'>fine</p>")] * 2
    assert server.connections == 2


def test_connection_close_and_close_delimited_bodies(scripted):
    answers = [
        b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nhi",
        b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<a id='end'>until the close</a>",
        ok(),
    ]
    server = scripted(lambda head, number: answers[number - 1])
    assert fetch_all(server.port, ["/a", "/b", "/c"]) == [(200, b"hi"), (200, b"<a id='end'>until the close</a>"), (200, ok()[-18:])]
    assert server.connections == 3  # neither of the first two could carry another request


def test_chunked_bodies_and_informational_answers(scripted):
    chunked = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
    server = scripted(lambda head, number: chunked)
    assert fetch_all(server.port, ["/a", "/b"]) == [(200, b"hello world")] * 2
    assert server.connections == 1


def test_an_answer_that_is_not_http_is_a_protocol_error(scripted):
    server = scripted(lambda head, number: b"SSH-2.0-OpenSSH_9.6\r\n\r\n")
    with pytest.raises(httpx.RemoteProtocolError):
        fetch_all(server.port, ["/"])


def test_a_server_closing_without_answering_is_a_protocol_error(scripted):
    server = scripted(lambda head, number: None)
    with pytest.raises(httpx.RemoteProtocolError):
        fetch_all(server.port, ["/"])
    assert server.connections == 1  # a new connection is not retried: only a kept one is


def test_idna_host_names_are_sent_encoded(scripted, monkeypatch):
    real = socket.getaddrinfo
    asked = []

    def getaddrinfo(host, port, *args, **kwargs):
        asked.append(host)
        return real("127.0.0.1", port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    server = scripted(lambda head, number: ok())
    assert fetch_all(server.port, ["/"], host="bücher.example") == [(200, b"<p id='x'>fine</p>")]
    assert asked == ["xn--bcher-kva.example"]
    assert b"host: xn--bcher-kva.example:" in server.requests[0].lower()


def check_without_head(scripted, page: bytes, fragments: set[str]):
    """The checker's outcome for a server that answers HEAD 405 and GET `page`; the GET goes
    out on the HEAD's connection."""
    server = scripted(lambda head, number: b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n" if head.startswith(b"HEAD") else page)

    async def go():
        async with Checker(OnlineSettings(retries=0, timeout=5), allow_private=True) as checker:
            return await checker.check(f"http://127.0.0.1:{server.port}/paper", frozenset(fragments), probe_https=False)

    outcome = asyncio.run(go())
    assert server.connections == 1
    return outcome


def test_the_checker_reads_fragments_from_a_close_delimited_page(scripted):
    page = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<h2 id='methods'>Methods</h2>"
    outcome = check_without_head(scripted, page, {"methods", "results"})
    assert outcome.kind == "ok" and outcome.whole_page and outcome.anchors == {"methods": True, "results": False}


def test_compressed_pages_are_read_decoded(scripted):
    import gzip

    body = gzip.compress(b"<section id='results'>Results</section>")
    page = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
    outcome = check_without_head(scripted, page, {"results"})
    assert outcome.kind == "ok" and outcome.anchors == {"results": True}


class Resetting:
    """Accepts, reads the request, and resets the connection (a RST, not a FIN)."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.listener.settimeout(0.05)
        self.stop = threading.Event()
        self.resets = 0
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while not self.stop.is_set():
            try:
                connection, _ = self.listener.accept()
            except OSError:
                continue
            connection.settimeout(1)
            with contextlib.suppress(OSError):
                connection.recv(65_536)
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            connection.close()
            self.resets += 1

    def close(self):
        self.stop.set()
        self.thread.join()
        self.listener.close()


def stream_error(operation):
    """The httpcore exception (and its cause) that `operation(backend)` raises."""
    import httpcore

    from pagelint.online.transport.streams import AsyncioBackend

    async def go():
        try:
            await operation(AsyncioBackend())
        except httpcore.NetworkError as exc:
            return exc
        except httpcore.TimeoutException as exc:
            return exc
        raise AssertionError("no error")

    return asyncio.run(go())


def test_the_asyncio_backend_maps_network_failures_to_httpcore_errors():
    import httpcore

    from tests.loopback import Mute, NeverAccepts

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    refused = stream_error(lambda backend: backend.connect_tcp("127.0.0.1", closed_port))
    assert isinstance(refused, httpcore.ConnectError) and isinstance(refused.__cause__, ConnectionRefusedError)

    hanging = NeverAccepts()
    mute = Mute()
    try:
        timed_out = stream_error(lambda backend: backend.connect_tcp("127.0.0.1", hanging.port, timeout=0.2))
        assert isinstance(timed_out, httpcore.ConnectTimeout) and str(timed_out) == "no connection within the timeout"

        async def read_nothing(backend):
            stream = await backend.connect_tcp("127.0.0.1", mute.port)
            await stream.read(100, timeout=0.2)

        silent = stream_error(read_nothing)
        assert isinstance(silent, httpcore.ReadTimeout) and str(silent) == "no data within the timeout"

        async def handshake(backend):
            import ssl

            stream = await backend.connect_tcp("127.0.0.1", mute.port)
            await stream.start_tls(ssl.create_default_context(), server_hostname="127.0.0.1", timeout=0.2)

        no_tls = stream_error(handshake)
        assert isinstance(no_tls, httpcore.ConnectTimeout) and str(no_tls) == "no TLS handshake within the timeout"
    finally:
        hanging.close()
        mute.close()


def test_a_connection_reset_is_a_read_or_write_error_and_the_reason_of_a_dead_link():
    import httpcore

    resetting = Resetting()
    try:

        async def ask(backend):
            stream = await backend.connect_tcp("127.0.0.1", resetting.port)
            await stream.write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            for _ in range(50):  # the reset arrives at a read, or at a write after it
                await stream.read(100, timeout=2)
                await stream.write(b"more")

        reset = stream_error(ask)
        assert isinstance(reset, httpcore.ReadError | httpcore.WriteError) and "reset" in str(reset).lower()

        async def no_wait(seconds):
            pass

        async def check():
            async with Checker(OnlineSettings(retries=1), allow_private=True, sleep=no_wait) as checker:
                return await checker.check(f"http://127.0.0.1:{resetting.port}/", probe_https=False)

        before = resetting.resets
        outcome = asyncio.run(check())
        assert outcome.kind == "dead" and outcome.reason.startswith("connection failed:") and "reset" in outcome.reason.lower()
        assert resetting.resets - before == 2  # tried again once: a reset may pass
    finally:
        resetting.close()


@pytest.mark.parametrize(("answers_a_connection", "connections"), [(1, 6), (3, 2)])
def test_servers_closing_keep_alive_after_every_answer_or_after_a_few(scripted, answers_a_connection, connections):
    def answer(head, number):
        closing = number % answers_a_connection == 0
        return ok(extra=b"Connection: close\r\n" if closing else b"")

    server = scripted(answer)
    assert fetch_all(server.port, [f"/{index}" for index in range(6)]) == [(200, b"<p id='x'>fine</p>")] * 6
    assert server.connections == connections and len(server.requests) == 6
