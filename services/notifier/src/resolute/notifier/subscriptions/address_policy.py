"""Which webhook targets Resolute will call: http(s) only, never internal addresses unless allowed (SSRF).

The same policy runs twice: when a URL is saved (a clear 422 for the owner) and again when a delivery
connects, on the addresses DNS gives at that moment, so a name that later resolves inward (DNS
rebinding) is refused too. The transport then connects to the very address that was checked.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Not reachable on the public internet, or a way back into the host's own networks. `is_global` covers
# most of these; they are listed so the policy does not hang on one Python version's special-case table.
_BLOCKED_NETWORKS: tuple[IPNetwork, ...] = tuple(
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8",  # "this" network; 0.0.0.0 reaches the local host
        "10.0.0.0/8",  # private
        "100.64.0.0/10",  # carrier-grade NAT (also Alibaba's metadata 100.100.100.200)
        "127.0.0.0/8",  # loopback
        "169.254.0.0/16",  # link-local, cloud metadata 169.254.169.254
        "172.16.0.0/12",  # private
        "192.0.0.0/24",  # IETF protocol assignments
        "192.0.2.0/24",  # documentation
        "192.88.99.0/24",  # 6to4 relay anycast
        "192.168.0.0/16",  # private
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",  # documentation
        "203.0.113.0/24",  # documentation
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, broadcast
        "::/128",  # unspecified
        "::1/128",  # loopback
        "100::/64",  # discard
        "2001::/23",  # IETF protocol assignments (Teredo among them)
        "2001:db8::/32",  # documentation
        "fc00::/7",  # unique local (AWS metadata fd00:ec2::254)
        "fe80::/10",  # link-local
        "fec0::/10",  # site-local (deprecated)
        "ff00::/8",  # multicast
    )
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_SIX_TO_FOUR = ipaddress.ip_network("2002::/16")


class UnsafeWebhookUrl(ValueError):
    """The URL points somewhere Resolute must not send requests."""


class RefusedAddress(UnsafeWebhookUrl):
    """At connection time the host resolved to an address the policy refuses."""


def embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one stands for (mapped, NAT64, 6to4): it is where the packets really go."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address in _SIX_TO_FOUR:
        return address.sixtofour
    return None


def is_public_address(address: IPAddress) -> bool:
    """True for an address on the public internet; loopback, private, link-local, CGNAT, metadata... are not."""
    inner = embedded_ipv4(address)
    if inner is not None:
        return is_public_address(inner)
    if any(address in network for network in _BLOCKED_NETWORKS if network.version == address.version):
        return False
    return address.is_global and not address.is_multicast


def parse_networks(values: Iterable[str]) -> tuple[IPNetwork, ...]:
    """CIDRs from settings ('10.20.0.0/16, fd00:1::/64'); a bad one is a configuration error."""
    return tuple(ipaddress.ip_network(v.strip(), strict=False) for v in values if v.strip())


async def resolve_host(host: str, port: int) -> list[IPAddress]:
    """Every address the host resolves to now. Tests replace this: DNS lies outside the system."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UnsafeWebhookUrl(f"the host {host!r} does not resolve") from exc
    seen: dict[IPAddress, None] = {}
    for info in infos:
        seen[ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])] = None
    return list(seen)


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


@dataclass(frozen=True)
class AddressPolicy:
    """allow_private lifts the address rule (development); allowed_networks lifts it for chosen CIDRs."""

    allow_private: bool = False
    allowed_networks: Sequence[IPNetwork] = field(default_factory=tuple)

    def permits(self, address: IPAddress) -> bool:
        if self.allow_private or is_public_address(address):
            return True
        candidates = [address]
        inner = embedded_ipv4(address)
        if inner is not None:
            candidates.append(inner)
        return any(
            c in network for c in candidates for network in self.allowed_networks if network.version == c.version
        )

    async def addresses_for(self, host: str, port: int) -> list[IPAddress]:
        """The addresses to connect to; refuses if any is not permitted (a mixed answer is no safer)."""
        literal = _literal(host)
        addresses = [literal] if literal is not None else await resolve_host(host, port)
        if not addresses:
            raise RefusedAddress(f"the host {host!r} has no address")
        for address in addresses:
            if not self.permits(address):
                raise RefusedAddress(f"{host} resolves to {address}, which is not a public address")
        return addresses

    async def check_url(self, url: str) -> None:
        """The save-time check: scheme, shape, and (unless private is allowed) where the host resolves now."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise UnsafeWebhookUrl("webhook URLs must use http or https")
        if not parts.hostname:
            raise UnsafeWebhookUrl("the webhook URL has no host")
        if parts.username or parts.password:
            raise UnsafeWebhookUrl("webhook URLs must not carry credentials")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as exc:
            raise UnsafeWebhookUrl("the webhook URL's port is not valid") from exc
        if self.allow_private:
            return
        try:
            await self.addresses_for(parts.hostname, port)
        except RefusedAddress as exc:
            raise UnsafeWebhookUrl(str(exc)) from exc
