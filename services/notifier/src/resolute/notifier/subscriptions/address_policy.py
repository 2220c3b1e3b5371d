"""Which webhook URLs Resolute will call: http(s) only, and never internal addresses unless allowed (SSRF)."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit


class UnsafeWebhookUrl(ValueError):
    """The URL points somewhere Resolute must not send requests."""


def is_public_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def resolve_addresses(host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UnsafeWebhookUrl(f"the host {host!r} does not resolve") from exc
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]


def check_webhook_url(url: str, *, allow_private: bool) -> None:
    """Refuse non-http(s) URLs, and URLs whose host resolves to a non-public address unless allowed."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UnsafeWebhookUrl("webhook URLs must use http or https")
    if not parts.hostname:
        raise UnsafeWebhookUrl("the webhook URL has no host")
    if parts.username or parts.password:
        raise UnsafeWebhookUrl("webhook URLs must not carry credentials")
    if allow_private:
        return
    for address in resolve_addresses(parts.hostname.strip("[]")):
        if not is_public_address(address):
            raise UnsafeWebhookUrl(f"the webhook URL resolves to a non-public address ({address})")
