"""The app factory every service uses: lifespan for its background parts, health, metrics, request ids."""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, Protocol

from fastapi import APIRouter, FastAPI, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from resolute.shared import metrics
from resolute.shared.logging import get_logger, request_id_var
from resolute.shared.web.docs import add_local_docs
from resolute.shared.web.problems import PROBLEM_MEDIA_TYPE, install_problem_handlers, problem_body, problems_in_openapi

log = get_logger(__name__)

REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def accepted_request_id(value: str | None) -> str:
    """A caller's request id if it is a sane token (it ends up in logs and headers), else a fresh one."""
    return value if value and _REQUEST_ID.match(value) else uuid.uuid4().hex


class RequestContext:
    """Request id (taken from X-Request-ID or made), per-route metrics and one access-log line per request.

    Plain ASGI rather than `@app.middleware("http")`: no extra task and stream per request, and the metrics
    and log line come when the response has really finished (streams included).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = accepted_request_id(Headers(scope=scope).get(REQUEST_ID_HEADER))
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        response = _ResponseWithId(send, request_id)
        try:
            await self.app(scope, receive, response.send)
        except Exception:
            log.exception("unhandled_error", path=scope["path"])
            if response.started:
                raise  # the answer is under way: cutting the connection is all that is left
            await response.internal_error(scope["path"])
        finally:
            _observe(scope, response.status, time.perf_counter() - started, state.get("principal_id"))
            request_id_var.reset(token)


class _ResponseWithId:
    """The response as it goes out: the request id header added, its status noted for metrics and the log."""

    def __init__(self, send: Send, request_id: str) -> None:
        self._send = send
        self.request_id = request_id
        self.status = 500
        self.started = False
        self._header = (REQUEST_ID_HEADER.lower().encode(), request_id.encode())

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.started = True
            self.status = message["status"]
            headers = [h for h in message.get("headers", []) if h[0].lower() != self._header[0]]
            message = {**message, "headers": [*headers, self._header]}
        await self._send(message)

    async def internal_error(self, path: str) -> None:
        """A 500 problem, answered here rather than by Starlette's last-resort handler so it keeps the id."""
        body = problem_body(
            500, "an internal error occurred; it has been logged", instance=path, request_id=self.request_id,
            kind="internal",
        )  # fmt: skip
        payload = json.dumps(body).encode()
        headers = [(b"content-type", PROBLEM_MEDIA_TYPE.encode()), (b"content-length", str(len(payload)).encode())]
        await self.send({"type": "http.response.start", "status": 500, "headers": headers})
        await self._send({"type": "http.response.body", "body": payload})


def _observe(scope: Scope, status: int, elapsed: float, principal: str | None) -> None:
    """Per-route metrics and one access-log line (none for the operational endpoints)."""
    route_path = getattr(scope.get("route"), "path", "unmatched")
    method = scope["method"]
    metrics.HTTP_REQUESTS.labels(method, route_path, str(status)).inc()
    metrics.HTTP_LATENCY.labels(method, route_path).observe(elapsed)
    if route_path not in ("/metrics", "/healthz", "/readyz"):
        log.info(
            "http_request",
            method=method,
            path=scope["path"],
            status=status,
            duration_ms=round(elapsed * 1000, 2),
            principal=principal,
        )


class Component(Protocol):
    """A background part of a service (outbox relay, consumer, scheduler) started and stopped with the app."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


ReadinessCheck = Callable[[], Awaitable[dict[str, Any]]]


def _lifespan(
    title: str,
    engine: AsyncEngine,
    components: Sequence[Component],
    on_startup: Sequence[Callable[[], Awaitable[None]]],
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """Start-up hooks, then the components in order; on the way out the components in reverse, then the engine."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        for hook in on_startup:
            await hook()
        started: list[Component] = []
        try:
            for component in components:
                await component.start()
                started.append(component)
            log.info("service_started", title=title)
            yield
        finally:
            for component in reversed(started):
                try:
                    await component.stop()
                except Exception:
                    log.exception("component_stop_failed", component=type(component).__name__)
            await engine.dispose()
            log.info("service_stopped", title=title)

    return lifespan


async def _readiness(engine: AsyncEngine, readiness_checks: Sequence[ReadinessCheck]) -> JSONResponse:
    checks: dict[str, Any] = {}
    ready = True
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"unavailable: {exc.__class__.__name__}"
        ready = False
    for check in readiness_checks:
        try:
            checks.update(await check())
        except Exception as exc:
            checks[check.__name__] = f"error: {exc}"
    return JSONResponse(
        {"status": "ready" if ready else "not_ready", "checks": checks}, status_code=200 if ready else 503
    )


def _add_operational_routes(app: FastAPI, engine: AsyncEngine, readiness_checks: Sequence[ReadinessCheck]) -> None:
    """/healthz, /readyz and /metrics: the same on every service."""

    @app.get("/healthz", tags=["operations"], summary="Liveness: the process is up")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get(
        "/readyz",
        tags=["operations"],
        summary="Readiness: the database answers; broker state reported",
        responses={503: {"description": "Not ready: the database does not answer"}},
    )
    async def readyz() -> JSONResponse:
        return await _readiness(engine, readiness_checks)

    @app.get(
        "/metrics",
        tags=["operations"],
        summary="Prometheus metrics",
        response_class=PlainTextResponse,
        responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}},
    )
    async def metrics_endpoint() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


def _document_problems(app: FastAPI) -> None:
    """The OpenAPI document files every error under application/problem+json."""
    generate_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = problems_in_openapi(generate_openapi())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def create_service_app(
    *,
    title: str,
    description: str,
    engine: AsyncEngine,
    routers: Sequence[APIRouter],
    components: Sequence[Component] = (),
    readiness_checks: Sequence[ReadinessCheck] = (),
    on_startup: Sequence[Callable[[], Awaitable[None]]] = (),
    version: str = "0.1.0",
    middleware: Sequence[Middleware] = (),
    openapi_tags: list[dict[str, Any]] | None = None,
) -> FastAPI:
    """Build an app with the shared operational surface; components start in order, stop in reverse.

    `middleware` runs inside the request context (request id, metrics, access log), outermost first.
    """
    lifespan = _lifespan(title, engine, components, on_startup)
    app = FastAPI(
        title=title,
        description=description,
        version=version,
        lifespan=lifespan,
        openapi_tags=openapi_tags,
        docs_url=None,  # served from this host instead (add_local_docs): FastAPI's page loads from a CDN
        redoc_url=None,
        redirect_slashes=False,  # `/x%2f` is no id: a 404, never a redirect to another resource
    )
    install_problem_handlers(app)
    for layer in reversed(middleware):
        app.add_middleware(layer.cls, *layer.args, **layer.kwargs)
    app.add_middleware(RequestContext)
    _add_operational_routes(app, engine, readiness_checks)
    add_local_docs(app, title)
    for router in routers:
        app.include_router(router)
    _document_problems(app)
    return app
