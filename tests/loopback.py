"""Loopback servers that behave as parts of the real web do: ports that accept and never
speak, ports whose connections hang, a server that drips its answers, a test CA, an HTTP/2
server. They listen on 127.0.0.0/8 only, every loop of theirs ends when they are closed, and
each counts what reached it."""

from __future__ import annotations

import asyncio
import shutil
import socket
import ssl
import subprocess
import threading
from pathlib import Path

import pytest


class Mute:
    """Accepts TCP connections and never sends a byte: neither HTTP nor a TLS handshake."""

    def __init__(self, host: str = "127.0.0.1"):
        self.listener = socket.socket()
        self.listener.bind((host, 0))
        self.listener.listen(16)
        self.listener.settimeout(0.05)
        self.port = self.listener.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                self.accepted.append(self.listener.accept()[0])
            except OSError:
                continue

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        for connection in self.accepted:
            connection.close()
        self.listener.close()


class NeverAccepts:
    """A listening socket whose one-place queue is taken by a connection of its own: the
    kernel drops every further SYN, so a connect hangs, as at a firewall that drops packets."""

    def __init__(self, host: str = "127.0.0.1"):
        self.listener = socket.socket()
        self.listener.bind((host, 0))
        self.listener.listen(0)
        self.port = self.listener.getsockname()[1]
        self.filler = socket.create_connection((host, self.port), timeout=5)

    def close(self) -> None:
        self.filler.close()
        self.listener.close()


class Drip:
    """Reads a request and answers it one byte every `interval` seconds (a server behind a
    choked link): the answer is always under way, never complete in time. `on_close(n)` is
    called when the connection ends, with the bytes sent by then."""

    ANSWER = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 2\r\n\r\nok"

    def __init__(self, host: str = "127.0.0.1", interval: float = 1.0, on_close=lambda sent: None):
        self.interval = interval
        self.on_close = on_close
        self.listener = socket.create_server((host, 0))
        self.listener.settimeout(0.05)
        self.port = self.listener.getsockname()[1]
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._accept, daemon=True)]
        self.threads[0].start()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                connection = self.listener.accept()[0]
            except OSError:
                continue
            thread = threading.Thread(target=self._drip, args=(connection,), daemon=True)
            self.threads.append(thread)
            thread.start()

    def _drip(self, connection: socket.socket) -> None:
        with connection:
            connection.recv(65_536)
            sent = 0
            try:
                while sent < len(self.ANSWER) and not self.stop.wait(self.interval):
                    connection.sendall(self.ANSWER[sent : sent + 1])
                    sent += 1
                    connection.settimeout(0)
                    try:
                        if connection.recv(1) == b"":  # the client closed its end: it gave up
                            break
                    except BlockingIOError:
                        pass
            except OSError:  # reset by the client
                pass
            self.on_close(sent)

    def wait_for_clients(self, timeout: float = 5.0) -> None:
        """Until each connection's client has gone (it is noticed at the next byte's turn)."""
        for thread in self.threads[1:]:
            thread.join(timeout)

    def close(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join()
        self.listener.close()


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate (its own CA, for `ca-bundle`) for 127.0.0.1 and 127.0.0.2."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a certificate")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1,IP:127.0.0.2"],
        check=True, capture_output=True, timeout=30,
    )
    return cert, key


def server_context(cert: Path, key: Path, alpn: list[str] | None = None) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    if alpn:
        context.set_alpn_protocols(alpn)
    return context


class Http2Server:
    """HTTP/2 over TLS (ALPN `h2` only: a client that cannot speak it gets nothing), answering
    `routes`: path -> (status, headers), 404 otherwise. Counts connections and requests."""

    def __init__(self, host: str, context: ssl.SSLContext):
        self.routes: dict[str, tuple[int, dict[str, str]]] = {}
        self.connections = 0
        self.requests: list[tuple[str, str]] = []
        self.loop = asyncio.new_event_loop()
        self.server = self.loop.run_until_complete(asyncio.start_server(self._serve, host, 0, ssl=context))
        self.port = self.server.sockets[0].getsockname()[1]
        self.base = f"https://{host}:{self.port}"
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        import h2.config
        import h2.connection
        import h2.events

        self.connections += 1
        connection = h2.connection.H2Connection(h2.config.H2Configuration(client_side=False, header_encoding="utf-8"))
        connection.initiate_connection()
        writer.write(connection.data_to_send())
        try:
            while data := await reader.read(65_536):
                for event in connection.receive_data(data):
                    if isinstance(event, h2.events.RequestReceived):
                        headers = dict(event.headers)
                        self.requests.append((headers[":method"], headers[":path"]))
                        status, extra = self.routes.get(headers[":path"], (404, {}))
                        answer = [(":status", str(status)), ("content-length", "0"), *extra.items()]
                        connection.send_headers(event.stream_id, answer, end_stream=True)
                writer.write(connection.data_to_send())
                await writer.drain()
        except (ConnectionError, ssl.SSLError):
            pass
        finally:
            writer.close()

    def close(self) -> None:
        async def stop():
            self.server.close()
            await self.server.wait_closed()

        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(5)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()
        self.loop.close()
