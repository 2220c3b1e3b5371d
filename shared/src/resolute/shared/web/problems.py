"""RFC 9457 problem details for every error a service returns, so clients parse one error shape."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://resolute.example/problems/"


class Problem(BaseModel):
    """The problem+json body (RFC 9457); `errors` lists field errors for validation problems."""

    model_config = ConfigDict(extra="allow")

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    request_id: str | None = None
    errors: list[dict[str, Any]] | None = None


class ProblemError(Exception):
    """Raise from domain services or routers to answer with a problem."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        kind: str | None = None,
        title: str | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.kind = kind
        self.title = title or HTTPStatus(status).phrase
        self.headers = headers or {}
        self.extra = extra


def problem_body(
    status: int,
    detail: str | None,
    *,
    instance: str | None,
    request_id: str | None,
    kind: str | None = None,
    title: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """The problem document itself, for code that answers below FastAPI (ASGI middleware)."""
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + kind if kind else "about:blank",
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    if request_id:
        body["request_id"] = request_id
    body.update({k: v for k, v in extra.items() if v is not None})
    return jsonable_encoder(body)  # type: ignore[no-any-return]


def problem_response(
    request: Request,
    status: int,
    detail: str | None,
    *,
    kind: str | None = None,
    title: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body = problem_body(
        status,
        detail,
        instance=request.url.path,
        request_id=getattr(request.state, "request_id", None),
        kind=kind,
        title=title,
        **extra,
    )
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError) -> JSONResponse:
        return problem_response(
            request, exc.status, exc.detail, kind=exc.kind, title=exc.title, headers=exc.headers, **exc.extra
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else None
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"no resource at {request.url.path}"
        if exc.status_code == 405:
            detail = f"{request.method} is not allowed on {request.url.path}"
        return problem_response(request, exc.status_code, detail, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": list(err.get("loc", ())), "msg": err.get("msg"), "type": err.get("type")} for err in exc.errors()
        ]
        if any(e["type"] == "json_invalid" for e in errors):
            return problem_response(
                request, 400, "the body is not well-formed JSON", kind="malformed-json", errors=errors
            )
        first = errors[0] if errors else None
        detail = f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}" if first else "the request is not valid"
        return problem_response(request, 422, detail, kind="validation", title="Invalid request", errors=errors)

    @app.exception_handler(Exception)
    async def _unhandled(request: Request, exc: Exception) -> JSONResponse:
        from resolute.shared.logging import get_logger

        get_logger(__name__).exception("unhandled_error", path=request.url.path)
        return problem_response(request, 500, "an internal error occurred; it has been logged", kind="internal")


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` documenting that these statuses answer with problem+json."""
    return {
        status: {"model": Problem, "content": {PROBLEM_MEDIA_TYPE: {}}, "description": HTTPStatus(status).phrase}
        for status in statuses
    }


def problems_in_openapi(document: dict[str, Any]) -> dict[str, Any]:
    """File each documented problem's schema under application/problem+json (FastAPI puts it under JSON)."""
    for path_item in document.get("paths", {}).values():
        for operation in path_item.values():
            for response in operation.get("responses", {}).values() if isinstance(operation, dict) else ():
                content = response.get("content", {})
                if PROBLEM_MEDIA_TYPE in content and "application/json" in content:
                    content[PROBLEM_MEDIA_TYPE] = content.pop("application/json")
    return document


PROBLEM_RESPONSES = problem_responses(400, 401, 403, 404, 409, 413, 415, 422, 429, 500, 502, 503, 504)
