"""Calls to the services: timeouts, retries for idempotent reads, problems when a service is down or fails."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import httpx
from fastapi import Request, Response
from pydantic import BaseModel

from resolute.gateway.api_keys.scopes import Principal
from resolute.gateway.metrics import UPSTREAM_ERRORS
from resolute.shared.logging import get_logger
from resolute.shared.web.app import REQUEST_ID_HEADER
from resolute.shared.web.identity import PRINCIPAL_HEADER, SCOPE_HEADER
from resolute.shared.web.problems import PROBLEM_MEDIA_TYPE, PROBLEM_TYPE_BASE, ProblemError

log = get_logger(__name__)

_PASSED_RESPONSE_HEADERS = ("content-type", "retry-after", "location", "content-disposition")
_RETRIED = (httpx.ConnectError, httpx.ConnectTimeout, httpx.RemoteProtocolError)
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"  # RFC 3986 pchar and '/'; everything else (spaces, controls, '?', '#') is encoded


class Upstream:
    """One service's HTTP API."""

    def __init__(self, name: str, base_url: str, client: httpx.AsyncClient, *, read_retries: int = 2) -> None:
        self.name = name
        self.base_url = base_url.rstrip("/")
        self._client = client
        self._read_retries = read_retries
        UPSTREAM_ERRORS.labels(name)  # the series exists at 0 before the first error, for dashboards and alerts

    def unavailable(self, exc: Exception | None = None) -> ProblemError:
        UPSTREAM_ERRORS.labels(self.name).inc()
        log.warning("upstream_unavailable", service=self.name, error=type(exc).__name__ if exc else None)
        return ProblemError(
            503,
            f"the {self.name} service is not answering; try again shortly",
            kind="service-unavailable",
            headers={"Retry-After": "5"},
            service=self.name,
        )

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Any = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        json: Any = None,
    ) -> httpx.Response:
        """Send one request; a connection that cannot be made is retried for reads (nothing reached the service)."""
        retries = self._read_retries if method in IDEMPOTENT_METHODS else 0
        url = self.base_url + quote(path, safe=_PATH_SAFE)  # whatever a caller put in the path stays in the path
        attempt = 0
        while True:
            try:
                return await self._client.request(
                    method, url, params=params, content=content, headers=headers, json=json
                )
            except _RETRIED as exc:
                if attempt < retries:
                    attempt += 1
                    await asyncio.sleep(0.05 * 2**attempt)
                    continue
                raise self.unavailable(exc) from exc
            except httpx.TimeoutException as exc:
                UPSTREAM_ERRORS.labels(self.name).inc()
                log.warning("upstream_timeout", service=self.name, path=path, error=type(exc).__name__)
                raise ProblemError(
                    504,
                    f"the {self.name} service did not answer in time",
                    kind="upstream-timeout",
                    service=self.name,
                ) from exc
            except httpx.HTTPError as exc:
                raise self.unavailable(exc) from exc

    async def healthy(self) -> bool:
        try:
            response = await self._client.get(self.base_url + "/readyz", timeout=2.0)
        except httpx.HTTPError:
            return False
        return response.status_code == 200


def upstream_path(template: str, **segments: str) -> str:
    """A service path with each path segment percent-encoded, so an id can never reach another route ('../')."""
    return template.format(**{name: quote(value, safe="") for name, value in segments.items()})


def forward_headers(request: Request, principal: Principal | None) -> dict[str, str]:
    headers = {REQUEST_ID_HEADER: getattr(request.state, "request_id", "")}
    if principal is not None:
        headers[PRINCIPAL_HEADER] = principal.key_id
        headers[SCOPE_HEADER] = principal.scope
    content_type = request.headers.get("content-type")
    if content_type:
        headers["content-type"] = content_type
    return headers


def query_params(model: BaseModel) -> dict[str, Any]:
    """A validated query model as the service's query string: only what was given, booleans as true/false."""
    params = model.model_dump(mode="json", exclude_none=True, by_alias=True)
    return {k: ("true" if v is True else "false" if v is False else v) for k, v in params.items()}


def upstream_problem(upstream: Upstream, response: httpx.Response) -> ProblemError | None:
    """The error to answer with when a service's answer cannot be passed on as it is; None when it can."""
    if response.status_code >= 500:
        if response.status_code in (503, 504):
            UPSTREAM_ERRORS.labels(upstream.name).inc()
            return ProblemError(
                response.status_code,
                f"the {upstream.name} service is not available; try again shortly",
                kind="service-unavailable" if response.status_code == 503 else "upstream-timeout",
                headers={"Retry-After": response.headers.get("retry-after", "5")},
                service=upstream.name,
            )
        UPSTREAM_ERRORS.labels(upstream.name).inc()
        log.error("upstream_failed", service=upstream.name, status=response.status_code, body=response.text[:500])
        return ProblemError(
            502,
            f"the {upstream.name} service failed to answer this request",
            kind="upstream-error",
            service=upstream.name,
        )
    if response.status_code >= 400 and not response.headers.get("content-type", "").startswith(PROBLEM_MEDIA_TYPE):
        return ProblemError(
            response.status_code, _error_detail(response), kind="upstream-rejected", service=upstream.name
        )
    return None


def _error_detail(response: httpx.Response) -> str:
    try:
        detail = response.json().get("detail")
    except (ValueError, AttributeError):
        detail = None
    return detail if isinstance(detail, str) else f"the request was refused ({response.status_code})"


async def forward(
    request: Request,
    upstream: Upstream,
    path: str,
    principal: Principal | None,
    *,
    params: Any = None,
    body: bytes | BaseModel | None = None,
) -> Response:
    """Send the request on and hand the service's answer back (its problems included; its failures as ours).

    `params`: a validated query model (only its fields are sent) or raw pairs; by default the request's own.
    `body`: a validated body model (sent as JSON), raw bytes, or by default the request's own body.
    """
    headers = forward_headers(request, principal)
    if isinstance(body, BaseModel):
        content: bytes | None = body.model_dump_json(exclude_unset=True).encode()
        headers["content-type"] = "application/json"
    elif body is None and request.method not in ("GET", "HEAD", "DELETE"):
        content = await request.body()
    else:
        content = body
    if isinstance(params, BaseModel):
        params = query_params(params)
    response = await upstream.request(
        request.method,
        path,
        params=params if params is not None else list(request.query_params.multi_items()),
        content=content,
        headers=headers,
    )
    problem = upstream_problem(upstream, response)
    if problem is not None:
        raise problem
    passed = {k: v for k, v in response.headers.items() if k.lower() in _PASSED_RESPONSE_HEADERS}
    return Response(content=response.content, status_code=response.status_code, headers=passed)


async def fetch_json(
    request: Request, upstream: Upstream, path: str, principal: Principal | None, **params: Any
) -> Any:
    """GET a service resource for the gateway's own use (not passed through): its JSON, or the problem raised."""
    response = await upstream.request("GET", path, params=params, headers=forward_headers(request, principal))
    problem = upstream_problem(upstream, response)
    if problem is not None:
        raise problem
    if response.status_code >= 400:
        body = response.json()
        problem_type = str(body.get("type", ""))
        raise ProblemError(
            response.status_code,
            str(body.get("detail") or "the request was refused"),
            kind=problem_type.removeprefix(PROBLEM_TYPE_BASE) if problem_type.startswith(PROBLEM_TYPE_BASE) else None,
            **{k: v for k, v in body.items() if k in ("errors", "service")},
        )
    return json.loads(response.content)
