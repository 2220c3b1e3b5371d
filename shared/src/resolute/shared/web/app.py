"""The app factory every service uses: lifespan for its background parts, health, metrics, request ids."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any, Protocol

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.middleware import Middleware

from resolute.shared import metrics
from resolute.shared.logging import get_logger, request_id_var
from resolute.shared.web.problems import install_problem_handlers, problem_response, problems_in_openapi

log = get_logger(__name__)

REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def accepted_request_id(value: str | None) -> str:
    """A caller's request id if it is a sane token (it ends up in logs and headers), else a fresh one."""
    return value if value and _REQUEST_ID.match(value) else uuid.uuid4().hex


class Component(Protocol):
    """A background part of a service (outbox relay, consumer, scheduler) started and stopped with the app."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


ReadinessCheck = Callable[[], Awaitable[dict[str, Any]]]


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

    app = FastAPI(title=title, description=description, version=version, lifespan=lifespan, openapi_tags=openapi_tags)
    install_problem_handlers(app)
    for layer in reversed(middleware):
        app.add_middleware(layer.cls, *layer.args, **layer.kwargs)

    @app.middleware("http")
    async def _request_context(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        request_id = accepted_request_id(request.headers.get(REQUEST_ID_HEADER))
        request.state.request_id = request_id
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500
        try:
            try:
                response = await call_next(request)
            except Exception:
                # answered here rather than by Starlette's last-resort handler, so it keeps the request id header
                log.exception("unhandled_error", path=request.url.path)
                response = problem_response(
                    request, 500, "an internal error occurred; it has been logged", kind="internal"
                )
            status = response.status_code
            response.headers[REQUEST_ID_HEADER] = request_id
            return response
        finally:
            elapsed = time.perf_counter() - started
            route = request.scope.get("route")
            route_path = getattr(route, "path", "unmatched")
            metrics.HTTP_REQUESTS.labels(request.method, route_path, str(status)).inc()
            metrics.HTTP_LATENCY.labels(request.method, route_path).observe(elapsed)
            if route_path not in ("/metrics", "/healthz", "/readyz"):
                log.info(
                    "http_request",
                    method=request.method,
                    path=request.url.path,
                    status=status,
                    duration_ms=round(elapsed * 1000, 2),
                    principal=getattr(request.state, "principal_id", None),
                )
            request_id_var.reset(token)

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

    @app.get(
        "/metrics",
        tags=["operations"],
        summary="Prometheus metrics",
        response_class=PlainTextResponse,
        responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}},
    )
    async def metrics_endpoint() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    for router in routers:
        app.include_router(router)

    generate_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = problems_in_openapi(generate_openapi())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app
