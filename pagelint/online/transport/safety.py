"""No request to the runner's own network: every address a host name resolves to is
checked before a connection is made, on every hop, since a public name can resolve (or
redirect) to a private address."""

from __future__ import annotations

import asyncio
import ipaddress
import socket

import httpcore

from pagelint.online.transport.streams import AsyncioBackend

LOOKUPS_AT_ONCE = 8  # name lookups under way at once: a burst of them is what name servers drop


class AddressRefused(Exception):
    """A host resolves to an address that the run may not reach; nothing was sent."""


class HostNotFound(Exception):
    """The host name does not resolve."""


def why_not_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    """Why an address is not on the public internet, or ''."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_multicast:
        return "a multicast address"
    if address.is_private or address.is_unspecified or not address.is_global:
        return "a private address"
    return ""


class AddressPolicy:
    """Which addresses may be connected to. `allow` is True (any), False (public only) or
    the networks (`10.1.0.0/16`) and host names that are allowed besides public ones."""

    def __init__(self, allow: bool | tuple[str, ...]):
        self.allow_all = allow is True
        entries = allow if isinstance(allow, tuple) else ()
        self.networks = []
        self.hosts = set()
        for entry in entries:
            try:
                self.networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                self.hosts.add(entry.lower().rstrip("."))

    def refusal(self, host: str, address: str) -> str:
        if self.allow_all or host.lower().rstrip(".") in self.hosts:
            return ""
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        why = why_not_public(ip)
        if not why or any(ip in network for network in self.networks):
            return ""
        try:
            literal = ipaddress.ip_address(host.strip("[]")) == ip
        except ValueError:
            literal = False
        shown = f"{host} is {why}" if literal else f"{host} resolves to {address}, {why}"
        return f"{shown}: not requested (--allow-private allows it)"


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, resolving names itself and connecting to the address it
    checked (so that a second, different DNS answer cannot slip through)."""

    def __init__(self, policy: AddressPolicy):
        self.policy = policy
        self.inner = AsyncioBackend()
        self.lookups: dict[str, asyncio.Task] = {}  # host -> its one lookup of the run
        self.names_resolved = self.names_failed = 0
        self.lookup_slots = asyncio.Semaphore(LOOKUPS_AT_ONCE)

    async def resolve(self, host: str, port: int) -> list[str]:
        """The host's addresses (an address literal is its own). A name is looked up once a
        run, whatever its answer, by however many requests at once: a burst of lookups of
        the same names is what makes name servers drop queries (and answer seconds late)."""
        try:
            return [str(ipaddress.ip_address(host))]
        except ValueError:
            pass
        lookup = self.lookups.get(host)
        if lookup is None:
            lookup = self.lookups[host] = asyncio.create_task(self._look_up(host, port))
        return await asyncio.shield(lookup)  # a request that gives up leaves the lookup to the others

    def resolving(self, host: str) -> bool:
        """The host's lookup is under way."""
        lookup = self.lookups.get(host)
        return lookup is not None and not lookup.done()

    def cut_off(self) -> bool:
        """Names do not resolve on this machine: twenty or more failed, nearly all of those
        looked up (a runner without network, or one that lets a package index through and
        nothing else). Looking up the rest would only wait on name servers."""
        return self.names_failed >= 20 and self.names_failed >= 19 * self.names_resolved

    async def _look_up(self, host: str, port: int) -> list[str]:
        async with self.lookup_slots:
            if self.cut_off():
                raise HostNotFound(f"host {host} not looked up: host names do not resolve on this machine")
            try:
                infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
            except (socket.gaierror, UnicodeError) as exc:
                self.names_failed += 1
                why = exc.strerror if isinstance(exc, socket.gaierror) else exc
                raise HostNotFound(f"host {host} not found ({why})") from None
        self.names_resolved += 1
        return list(dict.fromkeys(str(info[4][0]) for info in infos))

    async def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        addresses = await self.resolve(host, port)
        for address in addresses:
            refusal = self.policy.refusal(host, address)
            if refusal:
                raise AddressRefused(refusal)
        error: Exception | None = None
        for address in addresses:
            try:
                return await self.inner.connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:  # try the host's next address
                error = exc
        assert error is not None
        raise error

    async def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise AddressRefused("unix sockets are never connected to")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)
