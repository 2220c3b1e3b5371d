"""Gateway's app factory: the public /v1 API in front of ingest, tracker and notifier."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from resolute.gateway.api_keys.router import router as api_keys_router
from resolute.gateway.api_keys.service import ensure_bootstrap_admin
from resolute.gateway.documents.router import router as documents_router
from resolute.gateway.operations.router import router as operations_router
from resolute.gateway.settings import GatewaySettings
from resolute.gateway.subscriptions.router import router as subscriptions_router
from resolute.gateway.tracking.actors import router as actors_router
from resolute.gateway.tracking.calendar import router as calendar_router
from resolute.gateway.tracking.deadlines import router as deadlines_router
from resolute.gateway.tracking.router import router as tracking_router
from resolute.gateway.tracking.scorecards import router as scorecards_router
from resolute.gateway.upstreams.client import Upstream
from resolute.shared.clock import utcnow
from resolute.shared.db import create_engine, make_sessionmaker
from resolute.shared.logging import get_logger
from resolute.shared.web.app import create_service_app

log = get_logger(__name__)


class _UpstreamClient:
    """Owns the HTTP connection pool to the services for the app's lifetime."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        await self.client.aclose()


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings()
    settings.refuse_placeholder("RESOLUTE_ADMIN_KEY", settings.admin_key or "set")
    engine = create_engine(settings.database_url)
    sessionmaker = make_sessionmaker(engine)
    client = httpx.AsyncClient(
        timeout=httpx.Timeout(settings.upstream_timeout_seconds, connect=3.0),
        limits=httpx.Limits(max_connections=200, max_keepalive_connections=50),
    )
    upstreams = {
        "ingest": Upstream("ingest", settings.ingest_url, client),
        "tracker": Upstream("tracker", settings.tracker_url, client),
        "notifier": Upstream("notifier", settings.notifier_url, client),
    }

    async def bootstrap_admin() -> None:
        if settings.admin_key:
            async with sessionmaker() as session, session.begin():
                await ensure_bootstrap_admin(session, settings.admin_key, now=utcnow())
            log.info("admin_key_bootstrapped")

    app = create_service_app(
        title="Resolute API",
        description=(
            "The one public API of Resolute: documents and their commitments, assignments per country and "
            "ministry, deadlines, calendar, webhook subscriptions. Authenticate with `Authorization: Bearer <key>`."
        ),
        engine=engine,
        routers=[documents_router, tracking_router, subscriptions_router, api_keys_router, operations_router],
        components=[_UpstreamClient(client)],
        on_startup=[bootstrap_admin],
    )
    app.include_router(deadlines_router)
    app.include_router(calendar_router)
    app.include_router(actors_router)
    app.include_router(scorecards_router)
    app.state.settings = settings
    app.state.sessionmaker = sessionmaker
    app.state.upstreams = upstreams
    return app
