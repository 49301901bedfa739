"""What the checker hands a transport (a `Target`) and gets back (a `Reply`), without httpx's
request and response objects: building those (their URL parsing, header normalisation,
content decoders) cost more CPU than the rest of a link check's request put together."""

from __future__ import annotations

import ipaddress
import re
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

import httpcore
import httpx

DEFAULT_PORTS = {"http": 80, "https": 443}
# URLs as pages nearly always write them: a lower-case-able ASCII host name or IPv4 address,
# a port, and a path and query of characters that go on the wire as they are. Anything else
# (IDNA, IPv6, user info, characters to escape) is parsed by httpx, as it always was.
_PLAIN = re.compile(
    r"(?P<scheme>https?)://(?P<host>[A-Za-z0-9.-]+)(?::(?P<port>[0-9]{1,5}))?"
    r"(?P<target>/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*)?",
    re.IGNORECASE,
)

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
    except tuple(_ERRORS) as exc:
        raise _ERRORS[type(exc)](str(exc)) from exc


@dataclass(frozen=True, slots=True)
class Target:
    """Where a request goes: `host` as connected to (lower case, IDNA), `name` as the
    checker names the host (urlsplit's `hostname`: Unicode), `authority` as the Host header
    says it, `path` with its query."""

    scheme: str
    host: str
    name: str
    port: int
    authority: bytes
    path: bytes


def request_target(url: str) -> Target:
    """The target of `url` (without its fragment); httpx.InvalidURL when it cannot be requested."""
    plain = _PLAIN.fullmatch(url)
    if plain is None or not _plain_host(plain["host"]):
        return _parsed_by_httpx(url)
    scheme, host, port = plain["scheme"].lower(), plain["host"].lower(), plain["port"]
    number = int(port) if port else DEFAULT_PORTS[scheme]
    if number > 65_535:
        raise httpx.InvalidURL(f"invalid port: {port}")
    authority = host if number == DEFAULT_PORTS[scheme] else f"{host}:{number}"
    return Target(scheme, host, host, number, authority.encode("ascii"), (plain["target"] or "/").encode("ascii"))


@lru_cache(maxsize=4096)
def _plain_host(host: str) -> bool:
    """A host name that needs no IDNA (no `xn--` label to check) or a valid IPv4 address;
    dotted numbers that are not one (`256.1.1.1`) are httpx's to refuse."""
    if not host or "xn--" in host.lower() or host.startswith(".") or ".." in host:
        return False
    if host.replace(".", "").isdigit():
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            return False
    return True


def _parsed_by_httpx(url: str) -> Target:
    parsed = httpx.URL(url)
    scheme = parsed.scheme
    if scheme not in DEFAULT_PORTS:
        raise httpx.UnsupportedProtocol(f"{scheme}:// is not requested")
    if not parsed.raw_host:
        raise httpx.InvalidURL("no host")
    port = parsed.port or DEFAULT_PORTS[scheme]
    return Target(scheme, parsed.raw_host.decode("ascii"), parsed.host, port, parsed.netloc, parsed.raw_path)


class Reply:
    """An answer's status and headers; its body is read with `read` (at most so many bytes)
    and the reply is `close`d, which keeps its connection for the next request when the body
    was read to its end. Header names are lower case; a repeated header keeps its last value."""

    status: int
    http_version: str
    headers: dict[str, str]

    async def read(self, limit: int) -> tuple[bytes, bool]:
        """The body up to `limit` bytes (or a little more: what the last read brought), and
        whether it was read to its end."""
        parts: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = await self.next_chunk()
            if chunk is None:
                return b"".join(parts), True
            parts.append(chunk)
            size += len(chunk)
        return b"".join(parts), False

    async def next_chunk(self) -> bytes | None:
        """The body's next bytes, or None at its end."""
        raise NotImplementedError

    async def close(self) -> None:
        raise NotImplementedError

    def header(self, name: str) -> str:
        return self.headers.get(name, "")


def header_text(value: bytes) -> str:
    """A header value as text: UTF-8 where it decodes (IRIs in `Location`), else Latin-1."""
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("latin-1")


def decoded(body: bytes, content_encoding: str, limit: int) -> bytes:
    """`body` without its gzip or deflate compression (at most `limit` bytes of it); a body
    that does not decompress as it says is httpx.DecodingError."""
    encoding = content_encoding.strip().lower()
    if encoding in ("", "identity"):
        return body
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise httpx.DecodingError(f"content encoding {encoding!r} is not supported")
    # gzip, or deflate as zlib data, or deflate as the raw data some servers send instead
    for window in ((16 + zlib.MAX_WBITS,) if "gzip" in encoding else (zlib.MAX_WBITS, -zlib.MAX_WBITS)):
        try:
            return zlib.decompressobj(window).decompress(body, limit)
        except zlib.error as exc:
            error = exc
    raise httpx.DecodingError(f"the body does not decompress as {encoding}: {error}")
