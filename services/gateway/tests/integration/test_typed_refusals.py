"""Bad input to the tracker's and notifier's routes is refused at the gateway, as problem+json, unsent.

Both services are stand-ins that record every request reaching them: unknown filters, invalid dates and
enum values, malformed or invalid bodies and bodies that are not JSON must leave them untouched.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from fastapi import FastAPI, Request, Response

from resolute.shared.testing.fixtures import serving

from .conftest import ADMIN_KEY, Gateway, GatewayFactory

pytestmark = pytest.mark.integration

ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}
SUBSCRIPTION = "/v1/subscriptions/sub_1"


class RecordingService:
    """Stands in for a service: records every request that reaches it and answers an empty page."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []
        self.app = FastAPI()

        @self.app.get("/readyz")
        async def ready() -> dict[str, str]:
            return {"status": "ready"}

        @self.app.api_route("/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
        async def anything(path: str, request: Request) -> Response:
            self.requests.append((request.method, path))
            return Response('{"items": [], "next_cursor": null}', media_type="application/json")


@pytest.fixture
async def recorded(make_gateway: GatewayFactory) -> AsyncIterator[tuple[Gateway, RecordingService]]:
    service = RecordingService()
    async with serving(service.app) as url, make_gateway(tracker_url=url, notifier_url=url) as gateway:
        yield gateway, service


def assert_problem(response: Any, status: int, kind: str) -> dict[str, Any]:
    assert response.status_code == status, (response.request.url, response.text)
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["type"].endswith("/" + kind), body
    return body


BAD_QUERIES: list[tuple[str, dict[str, str]]] = [
    ("/v1/commitments", {"colour": "red"}),
    ("/v1/commitments", {"due_before": "2025-13-45"}),
    ("/v1/commitments", {"as_of": "yesterday"}),
    ("/v1/commitments", {"status": "done"}),
    ("/v1/commitments", {"sort": "text"}),
    ("/v1/commitments/c1", {"as_of": "2026-02-30"}),
    ("/v1/commitments/c1", {"colour": "red"}),
    ("/v1/assignments", {"overdue": "sometimes"}),
    ("/v1/assignments", {"role": "boss"}),
    ("/v1/assignments", {"verification": "maybe"}),
    ("/v1/assignments", {"as_of": "2026-06-31"}),
    ("/v1/assignments", {"colour": "red"}),
    ("/v1/assignments/a1", {"as_of": "noon"}),
    ("/v1/assignments/a1", {"colour": "red"}),
    ("/v1/calendar/occurrences", {"from": "2026-13-01"}),
    ("/v1/calendar/occurrences", {"to": "soon"}),
    ("/v1/calendar/occurrences", {"from": "2026-02-01", "to": "2026-01-01"}),
    ("/v1/calendar/occurrences", {"state": "cancelled"}),
    ("/v1/calendar/occurrences", {"colour": "red"}),
    ("/v1/calendar/occurrences/NATO/2026", {}),
    ("/v1/calendar/occurrences/nato-summit/0", {}),
    ("/v1/scorecards/countries", {"country": "EE"}),
    ("/v1/scorecards/countries", {"as_of": "last year"}),
    ("/v1/scorecards/ministries", {"country": "Estonia"}),
    ("/v1/scorecards/ministries", {"policy_area": "Defence Policy"}),
    ("/v1/actors", {"country": "Estonia"}),
    ("/v1/actors", {"as_of": "2026-1-1"}),
    ("/v1/actors", {"colour": "red"}),
    ("/v1/subscriptions", {"enabled": "maybe"}),
    ("/v1/subscriptions", {"colour": "red"}),
    ("/v1/subscriptions/notices", {"limit": "0"}),
    ("/v1/subscriptions/notices", {"enabled": "true"}),
    (f"{SUBSCRIPTION}/deliveries", {"status": "lost"}),
    (f"{SUBSCRIPTION}/deliveries", {"since": "2026-01-01"}),
    (f"{SUBSCRIPTION}/dead-letters", {"status": "dead"}),
    ("/v1/subscriptions/sub 1", {}),
]


async def test_unknown_filters_invalid_dates_and_enums_are_422_and_never_forwarded(
    recorded: tuple[Gateway, RecordingService],
) -> None:
    gateway, service = recorded
    for path, params in BAD_QUERIES:
        problem = assert_problem(await gateway.client.get(path, params=params, headers=ADMIN), 422, "validation")
        assert problem["errors"], (path, params)
    assert service.requests == []  # no service saw any of them
    fine = await gateway.client.get("/v1/commitments", params={"q": "mobility", "as_of": "2026-06-30"}, headers=ADMIN)
    assert fine.status_code == 200 and service.requests == [("GET", "commitments")]  # the stand-in is reachable


BODIES: list[tuple[str, str, dict[str, Any]]] = [
    ("POST", "/v1/assignments/a1/status", {"status": "done"}),
    ("POST", "/v1/assignments/a1/status", {"status": "completed", "evidence_urls": ["not a url"]}),
    ("POST", "/v1/assignments/a1/status", {"status": "completed", "colour": "red"}),
    ("POST", "/v1/assignments/a1/reassign", {"ministry": "Ministry of Defence"}),
    ("PUT", "/v1/calendar/occurrences/nato-summit/2026", {"start": "2026-07-07", "end": "2026-07-01"}),
    ("PUT", "/v1/calendar/occurrences/nato-summit/2026", {"start": "2026-02-30"}),
    ("PUT", "/v1/actors/countries/EE", {"name": ""}),
    ("PUT", "/v1/actors/countries/EE/ministries/defence", {"nom": "Defence"}),
    ("PUT", "/v1/actors/bodies/baltic-assembly", {"name": "Baltic Assembly", "kind": "club"}),
    ("PUT", "/v1/actors/series/ba-session", {"numbered": "often"}),
    ("POST", "/v1/subscriptions", {"url": "http://127.0.0.1:9/hook", "event_types": ["commitment.invented"]}),
    ("POST", "/v1/subscriptions", {"url": "http://127.0.0.1:9/hook", "filter": {"countries": ["Estonia"]}}),
    ("POST", "/v1/subscriptions", {"event_types": []}),
    ("PATCH", SUBSCRIPTION, {"mode": "hourly"}),
    ("PATCH", SUBSCRIPTION, {"rate_limit": 0}),
    ("POST", f"{SUBSCRIPTION}/recover", {"since": "2026-01-01T00:00:00"}),  # no time zone
    ("POST", f"{SUBSCRIPTION}/recover", {"since": "2026-02-01T00:00:00Z", "until": "2026-01-01T00:00:00Z"}),
]


async def test_bodies_malformed_invalid_or_not_json_are_400_422_415_and_never_forwarded(
    recorded: tuple[Gateway, RecordingService],
) -> None:
    gateway, service = recorded
    routes = sorted({(method, path) for method, path, _ in BODIES})
    for method, path in routes:
        malformed = await gateway.client.request(
            method, path, content=b'{"status": ', headers=ADMIN | {"content-type": "application/json"}
        )
        assert_problem(malformed, 400, "malformed-json")
        for content_type in ("text/plain", "application/x-www-form-urlencoded"):
            wrong_type = await gateway.client.request(
                method, path, content=b'{"status": "completed"}', headers=ADMIN | {"content-type": content_type}
            )
            assert_problem(wrong_type, 415, "unsupported-media-type")
        no_type = await gateway.client.request(method, path, content=b"{}", headers=ADMIN)
        assert_problem(no_type, 415, "unsupported-media-type")
    for method, path, body in BODIES:
        problem = assert_problem(
            await gateway.client.request(method, path, json=body, headers=ADMIN), 422, "validation"
        )
        assert problem["errors"] and all(e["loc"][0] == "body" for e in problem["errors"]), (path, body)
    assert service.requests == []
