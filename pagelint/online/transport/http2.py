"""HTTP/2 (the `http2` extra) for the servers that offer it: httpcore's connection pool, built
with the guarded network backend as its public `network_backend` argument, so that every
connection it makes, on the first hop and after redirects, goes through the address guard.
httpx's own transport takes no backend; reaching into it to swap one in would bypass the
guard without a word the day httpcore renames the attribute."""

from __future__ import annotations

import ssl

import httpcore

from pagelint.online.transport.message import Reply, Target, as_httpx_errors, header_text


class _Answer(Reply):
    def __init__(self, answer: httpcore.Response):
        self.answer = answer
        self.status = answer.status
        self.http_version = answer.extensions.get("http_version", b"HTTP/1.1").decode("ascii", "replace")
        self.headers = {name.decode("latin-1").lower(): header_text(value) for name, value in answer.headers}
        self.chunks = answer.aiter_stream()

    async def next_chunk(self) -> bytes | None:
        with as_httpx_errors():
            try:
                return await anext(self.chunks)
            except StopAsyncIteration:
                return None

    async def close(self) -> None:
        await self.answer.aclose()


class Http2Transport:
    """One origin's connections, HTTP/2 where the server's ALPN offers it, else HTTP/1.1."""

    def __init__(self, backend: httpcore.AsyncNetworkBackend, tls_context: ssl.SSLContext, connections: int):
        self.pool = httpcore.AsyncConnectionPool(
            ssl_context=tls_context, max_connections=connections, max_keepalive_connections=connections,
            keepalive_expiry=30, http1=True, http2=True, network_backend=backend,
        )

    async def request(self, target: Target, method: bytes, headers: list[tuple[bytes, bytes]]) -> Reply:
        url = httpcore.URL(scheme=target.scheme.encode("ascii"), host=target.host.encode("ascii"), port=target.port, target=target.path)
        core_request = httpcore.Request(method=method, url=url, headers=[(b"Host", target.authority), *headers])
        with as_httpx_errors():
            return _Answer(await self.pool.handle_async_request(core_request))

    async def aclose(self) -> None:
        await self.pool.aclose()
