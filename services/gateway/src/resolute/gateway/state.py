"""What the gateway's app holds, typed: settings, clock, its own database, the services behind it, the rate
limiter, the authenticator and the console's identity-provider client."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from resolute.gateway.auth.authenticator import Authenticator
from resolute.gateway.console.oidc import OidcClient
from resolute.gateway.rate_limits import RateLimiter
from resolute.gateway.settings import GatewaySettings
from resolute.gateway.upstreams.client import Upstream
from resolute.shared.clock import Clock
from resolute.shared.web.state import state_of


@dataclass
class GatewayState:
    settings: GatewaySettings
    clock: Clock  # RESOLUTE_NOW, as the services read it: the feeds' 'today'
    sessionmaker: async_sessionmaker[AsyncSession]
    upstreams: dict[str, Upstream]
    rate_limiter: RateLimiter
    authenticator: Authenticator
    http_client: httpx.AsyncClient  # the pool for upstreams and the identity provider
    console_oidc: OidcClient | None = None  # the console's sign-in through the identity provider, where configured


def gateway_state(request: Request) -> GatewayState:
    return state_of(request, GatewayState)
