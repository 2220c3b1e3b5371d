"""Every error the gateway can give is problem+json, and bad input changes nothing.

401, 403 and 429 are in test_auth; here: 400, 404, 405, 413 (declared and chunked), 415, 422, 500, 502, 503,
504, plus request ids and CORS.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Request, Response

from resolute.gateway.main import create_app as create_gateway
from resolute.gateway.settings import GatewaySettings
from resolute.shared.testing.fixtures import serving

from .conftest import ADMIN_KEY, Gateway, GatewayFactory, nowhere

pytestmark = pytest.mark.integration

ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}


def assert_problem(response: Any, status: int, kind: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    assert body["request_id"] == response.headers["x-request-id"]
    if kind:
        assert body["type"] == f"https://resolute.example/problems/{kind}", body
    return body


class ScriptedService:
    """Stands in for the tracker: records what reaches it and answers as the test scripts it."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str], dict[str, str]]] = []
        self.mode = "ok"
        self.app = FastAPI()

        @self.app.get("/readyz")
        async def ready() -> dict[str, str]:
            return {"status": "ready"}

        @self.app.get("/{path:path}")
        async def anything(path: str, request: Request) -> Response:
            self.requests.append((path, dict(request.headers), dict(request.query_params)))
            if self.mode == "fail":
                return Response("Traceback (most recent call last): ...", status_code=500, media_type="text/plain")
            if self.mode == "slow":
                await asyncio.sleep(3)
            if self.mode == "plain-404":
                return Response('{"detail": "Not Found"}', status_code=404, media_type="application/json")
            return Response('{"items": [], "next_cursor": null}', media_type="application/json")


@pytest.fixture
async def scripted() -> AsyncIterator[tuple[ScriptedService, str]]:
    service = ScriptedService()
    async with serving(service.app) as url:
        yield service, url


@pytest.fixture
async def gw(make_gateway: GatewayFactory, scripted: tuple[ScriptedService, str]) -> AsyncIterator[Gateway]:
    async with make_gateway(tracker_url=scripted[1], upstream_timeout_seconds=1.0, max_upload_bytes=64 * 1024) as gw:
        yield gw


async def _key_count(gw: Gateway) -> int:
    return len((await gw.client.get("/v1/api-keys", headers=ADMIN)).json()["items"])


async def test_unknown_routes_and_methods(gw: Gateway) -> None:
    assert_problem(await gw.client.get("/v1/nothing-here", headers=ADMIN), 404)
    assert_problem(await gw.client.get("/nothing", headers=ADMIN), 404)
    not_allowed = assert_problem(await gw.client.put("/v1/me", headers=ADMIN), 405)
    assert "PUT" in not_allowed["detail"]
    assert_problem(await gw.client.delete("/v1/services", headers=ADMIN), 405)


async def test_oversize_bodies_are_413_declared_or_chunked_and_store_nothing(gw: Gateway) -> None:
    before = await _key_count(gw)
    huge = b'{"scope": "reader", "name": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    declared = await gw.client.post("/v1/api-keys", content=huge, headers=ADMIN | {"content-type": "application/json"})
    assert_problem(declared, 413, "too-large")

    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"scope": "reader", "name": "'
        for _ in range(64):
            yield b"x" * 32 * 1024
        yield b'"}'

    chunked = await gw.client.post(
        "/v1/api-keys", content=chunks(), headers=ADMIN | {"content-type": "application/json"}
    )
    assert "content-length" not in chunked.request.headers  # really sent chunked
    assert_problem(chunked, 413, "too-large")
    assert await _key_count(gw) == before

    # the upload route has its own, larger limit (64 KiB in this test), also for chunked multipart bodies
    upload = await gw.client.post(
        "/v1/documents", files={"file": ("big.txt", b"x" * 100 * 1024, "text/plain")}, headers=ADMIN
    )
    assert_problem(upload, 413, "too-large")

    async def upload_chunks() -> AsyncIterator[bytes]:
        for _ in range(10):
            yield b"y" * 16 * 1024

    chunked_upload = await gw.client.post(
        "/v1/documents", content=upload_chunks(), headers=ADMIN | {"content-type": "multipart/form-data; boundary=b"}
    )
    assert_problem(chunked_upload, 413, "too-large")


async def test_wrong_content_types_are_415(gw: Gateway) -> None:
    before = await _key_count(gw)
    for content_type in ("text/plain", "application/xml", "application/x-www-form-urlencoded"):
        response = await gw.client.post(
            "/v1/api-keys", content=b'{"scope": "reader"}', headers=ADMIN | {"content-type": content_type}
        )
        assert_problem(response, 415, "unsupported-media-type")
        upload = await gw.client.post("/v1/documents", content=b"text", headers=ADMIN | {"content-type": content_type})
        assert_problem(upload, 415, "unsupported-media-type")
    no_type = await gw.client.post("/v1/api-keys", content=b'{"scope": "reader"}', headers=ADMIN)
    assert_problem(no_type, 415)
    assert await _key_count(gw) == before


async def test_malformed_and_invalid_json_are_400_and_422(gw: Gateway) -> None:
    for raw in (b"{", b'{"text": }', b"\xff\xfe", b""):
        upload = await gw.client.post(
            "/v1/documents", content=raw, headers=ADMIN | {"content-type": "application/json"}
        )
        assert upload.status_code in (400, 422), raw
        assert upload.headers["content-type"] == "application/problem+json"
    assert_problem(
        await gw.client.post("/v1/documents", content=b"{", headers=ADMIN | {"content-type": "application/json"}),
        400,
        "malformed-json",
    )
    for body in ({"text": ""}, {"text": "x", "kind": "poem"}, {"title": "no text"}, ["text"]):
        invalid = await gw.client.post("/v1/documents", json=body, headers=ADMIN)
        problem = assert_problem(invalid, 422, "validation")
        assert problem["errors"] and all(e["loc"][0] == "body" for e in problem["errors"])


async def test_unknown_filters_and_invalid_dates_are_422(gw: Gateway, scripted: tuple[ScriptedService, str]) -> None:
    service, _ = scripted
    cases = [
        ("/v1/documents", {"colour": "red"}),
        ("/v1/documents", {"limit": "0"}),
        ("/v1/documents", {"limit": "100000"}),
        ("/v1/api-keys", {"sort": "name"}),
        ("/v1/api-keys", {"revoked": "perhaps"}),
        ("/v1/export/commitments", {"due_before": "2025-13-45"}),
        ("/v1/export/commitments", {"due_after": "tomorrow"}),
        ("/v1/export/commitments", {"due_after": "2026-02-01", "due_before": "2026-01-01"}),
        ("/v1/export/commitments", {"country": "Estonia"}),
        ("/v1/export/commitments", {"status": "done"}),
        ("/v1/export/commitments", {"cursor": "x"}),
        ("/v1/export/assignments", {"overdue": "sometimes"}),
        ("/v1/export/documents", {"q": "x"}),
    ]
    for path, params in cases:
        problem = assert_problem(await gw.client.get(path, params=params, headers=ADMIN), 422, "validation")
        assert problem["errors"], (path, params)
    assert service.requests == []  # refused at the gateway: no service saw any of them


async def test_request_ids_reach_the_service_and_come_back(gw: Gateway, scripted: tuple[ScriptedService, str]) -> None:
    service, _ = scripted
    response = await gw.client.get("/v1/export/commitments", headers=ADMIN | {"X-Request-ID": "portal-42"})
    assert response.status_code == 200 and response.headers["x-request-id"] == "portal-42"
    _, headers, params = service.requests[-1]
    assert headers["x-request-id"] == "portal-42"
    assert headers["x-resolute-scope"] == "admin" and headers["x-resolute-principal"]
    assert params == {"limit": "500"}
    generated = await gw.client.get("/v1/export/commitments", headers=ADMIN | {"X-Request-ID": "bad id\nforged"})
    assert generated.headers["x-request-id"] != "bad id\nforged"
    assert service.requests[-1][1]["x-request-id"] == generated.headers["x-request-id"]


async def test_upstream_failures_are_502_503_504(
    gw: Gateway, scripted: tuple[ScriptedService, str], make_gateway: GatewayFactory
) -> None:
    service, _ = scripted
    service.mode = "fail"
    failed = assert_problem(await gw.client.get("/v1/export/assignments", headers=ADMIN), 502, "upstream-error")
    assert failed["service"] == "tracker" and "Traceback" not in failed["detail"]
    service.mode = "slow"
    timed_out = assert_problem(await gw.client.get("/v1/export/assignments", headers=ADMIN), 504, "upstream-timeout")
    assert timed_out["service"] == "tracker"
    service.mode = "plain-404"
    assert_problem(await gw.client.get("/v1/export/assignments", headers=ADMIN), 404, "upstream-rejected")
    down_response = await gw.client.get("/v1/documents", headers=ADMIN)
    down = assert_problem(down_response, 503, "service-unavailable")
    assert down["service"] == "ingest" and int(down_response.headers["retry-after"]) > 0
    service.mode = "ok"
    assert (await gw.client.get("/v1/export/assignments", headers=ADMIN)).status_code == 200


async def test_an_unexpected_error_is_a_500_problem(gw: Gateway) -> None:
    broken = APIRouter()

    @broken.get("/v1/broken")
    async def fail() -> None:
        raise RuntimeError("a bug")

    gw.app.include_router(broken)
    problem = assert_problem(await gw.client.get("/v1/broken", headers=ADMIN), 500, "internal")
    assert "a bug" not in problem["detail"]


async def test_cors_for_configured_portals(make_gateway: GatewayFactory) -> None:
    async with make_gateway(cors_origins="https://portal.example.eu, https://intranet.example") as gw:
        preflight = await gw.client.options(
            "/v1/documents",
            headers={
                "Origin": "https://portal.example.eu",
                "Access-Control-Request-Method": "GET",
                "Access-Control-Request-Headers": "authorization",
            },
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == "https://portal.example.eu"
        refused = await gw.client.get("/v1/me", headers={"Origin": "https://portal.example.eu"})
        assert refused.status_code == 401
        assert refused.headers["access-control-allow-origin"] == "https://portal.example.eu"
        assert "x-request-id" in refused.headers["access-control-expose-headers"].lower()
        other = await gw.client.get("/v1/me", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


async def test_oversize_uploads_over_real_http_get_their_413(make_database: Any) -> None:
    """A client sends its whole body before reading: the gateway reads and drops the rest, then answers."""
    settings = GatewaySettings(
        database_url=make_database("gateway"), admin_key=ADMIN_KEY, ingest_url=nowhere(), max_upload_bytes=64 * 1024
    )

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(1024):  # 16 MiB, sent chunked
            yield b"z" * 16 * 1024

    multipart = ADMIN | {"content-type": "multipart/form-data; boundary=z"}
    async with serving(create_gateway(settings)) as url, httpx.AsyncClient(base_url=url, timeout=60) as client:
        chunked = await client.post("/v1/documents", content=chunks(), headers=multipart)
        assert_problem(chunked, 413, "too-large")
        declared = await client.post("/v1/documents", content=b"z" * 16 * 1024 * 1024, headers=multipart)
        assert_problem(declared, 413, "too-large")
        assert (await client.get("/readyz")).status_code == 200
