"""Calls to the services: timeouts, retries for idempotent reads, a 503 problem when a service is down."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import httpx
from fastapi import Request, Response

from resolute.gateway.api_keys.scopes import Principal
from resolute.shared.logging import get_logger
from resolute.shared.web.app import REQUEST_ID_HEADER
from resolute.shared.web.identity import PRINCIPAL_HEADER, SCOPE_HEADER
from resolute.shared.web.problems import ProblemError

log = get_logger(__name__)

_PASSED_RESPONSE_HEADERS = ("content-type", "retry-after", "location", "content-disposition")


class Upstream:
    """One service's HTTP API."""

    def __init__(self, name: str, base_url: str, client: httpx.AsyncClient, *, read_retries: int = 2) -> None:
        self.name = name
        self.base_url = base_url.rstrip("/")
        self._client = client
        self._read_retries = read_retries

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
        retries = self._read_retries if method in ("GET", "HEAD") else 0
        attempt = 0
        while True:
            try:
                return await self._client.request(
                    method, self.base_url + path, params=params, content=content, headers=headers, json=json
                )
            except (
                httpx.ConnectError,
                httpx.ConnectTimeout,
                httpx.ReadTimeout,
                httpx.RemoteProtocolError,
            ) as exc:
                if attempt < retries and not isinstance(exc, httpx.ReadTimeout):
                    attempt += 1
                    await asyncio.sleep(0.1 * attempt)
                    continue
                log.warning("upstream_unavailable", service=self.name, path=path, error=type(exc).__name__)
                raise ProblemError(
                    503,
                    f"the {self.name} service is not answering; try again shortly",
                    kind="service-unavailable",
                    headers={"Retry-After": "5"},
                    service=self.name,
                ) from exc
            except httpx.TimeoutException as exc:
                raise ProblemError(
                    504,
                    f"the {self.name} service did not answer in time",
                    kind="upstream-timeout",
                    service=self.name,
                ) from exc

    async def healthy(self) -> bool:
        try:
            response = await self._client.get(self.base_url + "/readyz", timeout=2.0)
        except httpx.HTTPError:
            return False
        return response.status_code == 200


def forward_headers(request: Request, principal: Principal | None) -> dict[str, str]:
    headers = {REQUEST_ID_HEADER: getattr(request.state, "request_id", "")}
    if principal is not None:
        headers[PRINCIPAL_HEADER] = principal.key_id
        headers[SCOPE_HEADER] = principal.scope
    content_type = request.headers.get("content-type")
    if content_type:
        headers["content-type"] = content_type
    return headers


async def forward(
    request: Request,
    upstream: Upstream,
    path: str,
    principal: Principal | None,
    *,
    params: Any = None,
    body: bytes | None = None,
) -> Response:
    """Send the request on and hand the service's answer back as it is (problem+json included)."""
    if body is None and request.method not in ("GET", "HEAD", "DELETE"):
        body = await request.body()
    response = await upstream.request(
        request.method,
        path,
        params=params if params is not None else list(request.query_params.multi_items()),
        content=body,
        headers=forward_headers(request, principal),
    )
    headers = {k: v for k, v in response.headers.items() if k.lower() in _PASSED_RESPONSE_HEADERS}
    return Response(content=response.content, status_code=response.status_code, headers=headers)
