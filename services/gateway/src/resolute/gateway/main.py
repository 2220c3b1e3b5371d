"""Gateway's app factory: the public /v1 API in front of ingest, tracker and notifier."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.middleware import Middleware

from resolute.gateway.api_keys.router import router as api_keys_router
from resolute.gateway.api_keys.service import ensure_bootstrap_admin
from resolute.gateway.auth.authenticator import Authenticator
from resolute.gateway.console.oidc import OidcClient
from resolute.gateway.console.router import router as console_router
from resolute.gateway.console.serving import CONSOLE_UPLOAD_PATH, is_console_path, serve_console
from resolute.gateway.documents.router import router as upload_router
from resolute.gateway.exports.router import EXPORTED_MODELS
from resolute.gateway.exports.router import router as exports_router
from resolute.gateway.feed_tokens.router import router as feed_tokens_router
from resolute.gateway.feeds.router import router as feeds_router
from resolute.gateway.forwarders import forwarders
from resolute.gateway.oidc.verifier import JwtVerifier
from resolute.gateway.operations.router import router as operations_router
from resolute.gateway.public_routes import document_models
from resolute.gateway.rate_limits import RateLimiter
from resolute.gateway.settings import GatewaySettings
from resolute.gateway.state import GatewayState
from resolute.gateway.upstreams.client import Upstream
from resolute.shared.api.routes import PUBLIC_ROUTES, UPLOAD_DOCUMENT
from resolute.shared.clock import Clock, utcnow
from resolute.shared.db import create_engine, make_sessionmaker
from resolute.shared.logging import get_logger
from resolute.shared.web.app import REQUEST_ID_HEADER, create_service_app
from resolute.shared.web.request_body import RequestBodyPolicy
from resolute.shared.web.state import attach

log = get_logger(__name__)

ROUTERS = [
    upload_router,
    forwarders(PUBLIC_ROUTES),
    exports_router,
    feeds_router,
    api_keys_router,
    feed_tokens_router,
    operations_router,
    console_router,
]

DESCRIPTION = """\
The one public API of Resolute: documents and their commitments, assignments per country and ministry,
deadlines, calendar, webhook subscriptions, bulk export.

* **Auth**: `Authorization: Bearer <key>` with an API key (scopes `admin`, `editor`, `reader`,
  `ministry:<CC>:<ministry>`), or an OIDC access token where configured. Calendar feeds
  (`/v1/feeds/deadlines/...ics`) also take a feed token (`?token=`) or an API key (`?key=`) in the URL.
* **Errors**: every error is `application/problem+json` (RFC 9457) with `type`, `title`, `status`, `detail`
  and the `request_id` to quote when asking for help.
* **Lists**: `limit` and `cursor` in, `{"items": [...], "next_cursor"}` out; pass `next_cursor` back as
  `cursor` until it is null. An unknown parameter is an error, never silently ignored.
* **Limits**: requests per key (429 with `Retry-After`), body size (413), body type (415).
"""


class _HttpClient:
    """Owns an HTTP connection pool for the app's lifetime."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        await self.client.aclose()


def _upstreams(settings: GatewaySettings, client: httpx.AsyncClient) -> dict[str, Upstream]:
    services = (("ingest", settings.ingest_url), ("tracker", settings.tracker_url), ("notifier", settings.notifier_url))
    return {name: Upstream(name, url, client, read_retries=settings.upstream_read_retries) for name, url in services}


def _jwt_verifier(settings: GatewaySettings, client: httpx.AsyncClient) -> JwtVerifier | None:
    if not settings.oidc_enabled:
        return None
    assert settings.oidc_issuer and settings.oidc_jwks_url
    return JwtVerifier(
        issuer=settings.oidc_issuer,
        jwks_url=settings.oidc_jwks_url,
        audience=settings.oidc_audience,
        algorithms=settings.oidc_algorithms,
        scope_claim=settings.oidc_scope_claim,
        cache_seconds=settings.oidc_jwks_cache_seconds,
        client=client,
    )


def _console_oidc(settings: GatewaySettings) -> OidcClient | None:
    if not settings.console_oidc_enabled:
        return None
    assert settings.console_oidc_client_id and settings.console_oidc_authorize_url and settings.console_oidc_token_url
    return OidcClient(
        client_id=settings.console_oidc_client_id,
        authorize_url=settings.console_oidc_authorize_url,
        token_url=settings.console_oidc_token_url,
        scopes=settings.console_oidc_scopes,
        client_secret=settings.console_oidc_client_secret,
    )


def _middleware(settings: GatewaySettings) -> list[Middleware]:
    overrides: dict[tuple[str, str], int] = {
        (UPLOAD_DOCUMENT.method, UPLOAD_DOCUMENT.public_path): settings.max_upload_bytes,
        ("POST", CONSOLE_UPLOAD_PATH): settings.max_upload_bytes,
    }
    return [
        Middleware(
            RequestBodyPolicy, max_bytes=settings.max_body_bytes, overrides=overrides, form_paths=is_console_path
        )
    ]


def _allow_cors(app: FastAPI, settings: GatewaySettings) -> None:
    app.add_middleware(
        CORSMiddleware,  # outermost, so that errors (413, 429, 5xx) carry CORS headers too
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        allow_headers=["Authorization", "Content-Type", REQUEST_ID_HEADER],
        expose_headers=[REQUEST_ID_HEADER, "Retry-After", "Location", "Content-Disposition"],
        max_age=600,
    )


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings()
    settings.refuse_placeholder("RESOLUTE_ADMIN_KEY", settings.admin_key or "set")
    engine = create_engine(settings.database_url)
    sessionmaker = make_sessionmaker(engine)
    client = httpx.AsyncClient(
        timeout=httpx.Timeout(settings.upstream_timeout_seconds, connect=3.0),
        limits=httpx.Limits(max_connections=200, max_keepalive_connections=50),
    )

    async def bootstrap_admin() -> None:
        if settings.admin_key:
            async with sessionmaker() as session, session.begin():
                await ensure_bootstrap_admin(session, settings.admin_key, now=utcnow())
            log.info("admin_key_bootstrapped")

    app = create_service_app(
        title="Resolute API",
        description=DESCRIPTION,
        engine=engine,
        routers=ROUTERS,
        components=[_HttpClient(client)],
        on_startup=[bootstrap_admin],
        middleware=_middleware(settings),
    )
    if settings.cors_origins:
        _allow_cors(app, settings)
    document_models(app, EXPORTED_MODELS)
    serve_console(app)
    authenticator = Authenticator(
        sessionmaker,
        jwt_verifier=_jwt_verifier(settings, client),
        cache_seconds=settings.auth_cache_seconds,
        now=utcnow,
    )
    state = GatewayState(
        settings=settings,
        clock=Clock(settings.now),
        sessionmaker=sessionmaker,
        upstreams=_upstreams(settings, client),
        rate_limiter=RateLimiter(settings.rate_limit),
        authenticator=authenticator,
        http_client=client,
        console_oidc=_console_oidc(settings),
    )
    attach(app, state)
    return app
