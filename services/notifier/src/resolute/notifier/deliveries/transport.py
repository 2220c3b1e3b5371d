"""An HTTP transport that resolves, checks and then connects to the checked address (no DNS rebinding).

The check lives in the connection layer (httpcore's network backend), not in a URL rewrite: the request
keeps its hostname, so the Host header, TLS SNI and certificate verification stay those of the
hostname, and pooled connections stay keyed by hostname.
"""

from __future__ import annotations

import logging
import ssl
from collections.abc import Callable, Iterable
from typing import Any

import certifi
import httpcore
import httpx

from resolute.notifier.subscriptions.address_policy import AddressPolicy

# one INFO line per request from httpx would double the delivery log; attempts are logged by the worker
logging.getLogger("httpx").setLevel(logging.WARNING)


class GuardedNetworkBackend(httpcore.AsyncNetworkBackend):
    """Every TCP connection goes only to an address the policy (as configured now) permitted a moment ago."""

    def __init__(self, policy: Callable[[], AddressPolicy], inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self._policy = policy
        self._inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self._policy().addresses_for(host, port)  # RefusedAddress propagates as it is
        failure: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    str(address), port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None
        raise failure

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("webhooks are never delivered over unix sockets")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport with the guarded backend underneath (httpx has no public hook for it yet)."""

    def __init__(self, policy: Callable[[], AddressPolicy], *, limits: httpx.Limits) -> None:
        super().__init__(trust_env=False, limits=limits)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl.create_default_context(cafile=certifi.where()),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedNetworkBackend(policy),
        )


def webhook_client(policy: Callable[[], AddressPolicy], *, max_connections: int) -> httpx.AsyncClient:
    """The client every delivery goes through: guarded, no redirects, no proxies from the environment."""
    limits = httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections)
    return httpx.AsyncClient(
        transport=GuardedTransport(policy, limits=limits),
        follow_redirects=False,
        trust_env=False,
        timeout=None,  # the sender bounds each attempt as a whole
    )
