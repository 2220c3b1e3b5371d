"""The console's way to the public API: /v1, called in process with the signed-in user's session.

Pages never reach a service or a table themselves: every read and write goes through the very routes an API
client calls, with the same authentication, scopes, rules, validation, rate limits and problems, so the
console can do exactly what the user's key or token may do and nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx
from fastapi import FastAPI

from resolute.gateway.console.sessions import CSRF_HEADER, SESSION_COOKIE
from resolute.shared.web.app import REQUEST_ID_HEADER

Json = Any


@dataclass
class ApiProblem(Exception):
    """A refusal of the API, as people read it: the problem's title and detail (never a trace)."""

    status: int
    title: str
    detail: str = ""
    errors: list[dict[str, Any]] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.title}: {self.detail}" if self.detail else self.title


class ConsoleApi:
    """The public API as one signed-in user: `await api.get("/commitments", params)` and so on."""

    def __init__(self, app: FastAPI, session_token: str, csrf_token: str, request_id: str | None = None) -> None:
        headers = {CSRF_HEADER: csrf_token}
        if request_id:
            headers[REQUEST_ID_HEADER] = request_id
        self._client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://console.internal/v1",
            cookies={SESSION_COOKIE: session_token},
            headers=headers,
            timeout=60,
        )

    async def __aenter__(self) -> ConsoleApi:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._client.aclose()

    async def get(self, path: str, params: dict[str, Any] | None = None) -> Json:
        return await self._send("GET", path, params=_params(params))

    async def post(self, path: str, body: Json = None, **kwargs: Any) -> Json:
        return await self._send("POST", path, json=body, **kwargs)

    async def put(self, path: str, body: Json) -> Json:
        return await self._send("PUT", path, json=body)

    async def patch(self, path: str, body: Json) -> Json:
        return await self._send("PATCH", path, json=body)

    async def delete(self, path: str) -> Json:
        return await self._send("DELETE", path)

    async def all_pages(self, path: str, params: dict[str, Any] | None = None, limit: int = 1000) -> list[Json]:
        """Every item of a list route, following `next_cursor` (up to `limit` items)."""
        query = {**(params or {}), "limit": min(limit, 200)}
        items: list[Json] = []
        while True:
            page = await self.get(path, query)
            items.extend(page["items"])
            if not page.get("next_cursor") or len(items) >= limit:
                return items[:limit]
            query["cursor"] = page["next_cursor"]

    async def _send(self, method: str, path: str, **kwargs: Any) -> Json:
        response = await self._client.request(method, path, **kwargs)
        if response.status_code >= 400:
            raise _problem(response)
        if response.status_code == 204 or not response.content:
            return None
        if "json" in response.headers.get("content-type", ""):
            return response.json()
        return response.text


def _params(params: dict[str, Any] | None) -> dict[str, Any] | None:
    """Query parameters without the empty ones a form sends for "any"."""
    if params is None:
        return None
    return {k: v for k, v in params.items() if v not in (None, "")}


def _problem(response: httpx.Response) -> ApiProblem:
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    return ApiProblem(
        status=response.status_code,
        title=str(body.get("title") or response.reason_phrase or "Error"),
        detail=str(body.get("detail") or ""),
        errors=list(body.get("errors") or []),
    )
