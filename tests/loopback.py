"""Loopback servers for online checking beyond tests/test_online.py's HTTP/1.1 one: an
HTTP/2 server over TLS (ALPN h2, certificate from a test CA) and a counting listener. They
bind 127.0.0.1 only; every loop ends when the server is closed."""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading


class CountingListener:
    """Accepts TCP and never answers: counts connections (what reached it) and holds them open."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.accepted: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:  # closed: the test is over
                return
            self.accepted.append(connection)

    def close(self):
        self.listener.close()
        for connection in self.accepted:
            connection.close()


class Http2Server:
    """Answers over HTTP/2 only (ALPN h2) from `routes`: path -> (status, headers). It
    records (path, negotiated protocol) of every request."""

    def __init__(self, tls: ssl.SSLContext):
        tls.set_alpn_protocols(["h2"])
        self.tls = tls
        self.routes: dict[str, tuple[int, dict[str, str]]] = {}
        self.requests: list[tuple[str, str | None]] = []
        self.loop = asyncio.new_event_loop()
        started = threading.Event()
        self.thread = threading.Thread(target=self._run, args=(started,), daemon=True)
        self.thread.start()
        started.wait(10)

    def _run(self, started: threading.Event):
        asyncio.set_event_loop(self.loop)
        self.server = self.loop.run_until_complete(asyncio.start_server(self._serve, "127.0.0.1", 0, ssl=self.tls))
        self.port = self.server.sockets[0].getsockname()[1]
        started.set()
        self.loop.run_forever()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        import h2.config
        import h2.connection
        import h2.events

        protocol = writer.get_extra_info("ssl_object").selected_alpn_protocol()
        connection = h2.connection.H2Connection(h2.config.H2Configuration(client_side=False))
        connection.initiate_connection()
        writer.write(connection.data_to_send())
        try:
            while data := await reader.read(65536):
                for event in connection.receive_data(data):
                    if isinstance(event, h2.events.RequestReceived):
                        headers = dict(event.headers)
                        path = headers[b":path"].decode()
                        self.requests.append((path, protocol))
                        status, extra = self.routes.get(path, (404, {}))
                        answer = [(":status", str(status)), ("content-length", "0"), *extra.items()]
                        connection.send_headers(event.stream_id, answer, end_stream=True)
                writer.write(connection.data_to_send())
                await writer.drain()
        except (ConnectionError, ssl.SSLError):
            pass
        finally:
            writer.close()

    def close(self):
        def stop():
            self.server.close()
            self.loop.stop()

        self.loop.call_soon_threadsafe(stop)
        self.thread.join(10)
