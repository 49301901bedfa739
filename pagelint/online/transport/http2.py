"""HTTP/2 (the `http2` extra) for the servers that offer it: httpcore's connection pool, built
with the guarded network backend as its public `network_backend` argument, so that every
connection it makes, on the first hop and after redirects, goes through the address guard.
httpx's own transport takes no backend; reaching into it to swap one in would bypass the
guard without a word the day httpcore renames the attribute."""

from __future__ import annotations

import ssl

import httpcore
import httpx

from pagelint.online.transport.http11 import as_httpx_errors


class _Body(httpx.AsyncByteStream):
    def __init__(self, stream):
        self.stream = stream

    async def __aiter__(self):
        with as_httpx_errors():
            async for chunk in self.stream:
                yield chunk

    async def aclose(self) -> None:
        await self.stream.aclose()


class Http2Transport(httpx.AsyncBaseTransport):
    """One origin's connections, HTTP/2 where the server's ALPN offers it, else HTTP/1.1."""

    def __init__(self, backend: httpcore.AsyncNetworkBackend, tls_context: ssl.SSLContext, connections: int):
        self.pool = httpcore.AsyncConnectionPool(
            ssl_context=tls_context, max_connections=connections, max_keepalive_connections=connections,
            keepalive_expiry=30, http1=True, http2=True, network_backend=backend,
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path),
            headers=request.headers.raw,
            extensions=request.extensions,
        )
        with as_httpx_errors():
            answer = await self.pool.handle_async_request(core_request)
        return httpx.Response(answer.status, headers=answer.headers, stream=_Body(answer.stream), request=request, extensions=answer.extensions)

    async def aclose(self) -> None:
        await self.pool.aclose()
