"""Hostile and sloppy input through the gateway to the real services: each case is refused with a 4xx
problem+json, never a 5xx or a redirect, and changes nothing (the keys, subscriptions and calendar read the
same afterwards). The cases are the kinds a fuzz of the API found loose: scopes naming no ministry of the
registry, webhook URLs a parser reads otherwise than a person, dates no meeting or report can have, unknown
enum values in filters, ids that cannot be ids."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .conftest import ADMIN_KEY, Gateway

pytestmark = pytest.mark.integration

ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}
OCCURRENCE = "/v1/calendar/occurrences/baltic-council/32"

#: (method, path, JSON body or query, the status it must get)
CASES: list[tuple[str, str, dict[str, Any], int]] = [
    ("POST", "/v1/api-keys", {"scope": "editor\n", "name": "newline"}, 422),
    ("POST", "/v1/api-keys", {"scope": "ministry:XX:defence", "name": "no such country"}, 422),
    ("POST", "/v1/api-keys", {"scope": "ministry:EE:astrology", "name": "no such ministry"}, 422),
    ("POST", "/v1/api-keys", {"scope": " admin", "name": "space"}, 422),
    ("POST", "/v1/subscriptions", {"url": "http://[::1", "event_types": []}, 422),
    ("POST", "/v1/subscriptions", {"url": "https://example.org/\x00hook", "event_types": []}, 422),
    ("POST", "/v1/subscriptions", {"url": "https://example.org/my hook", "event_types": []}, 422),
    ("POST", "/v1/subscriptions", {"url": "https://exa%6Dple.org/hook", "event_types": []}, 422),
    ("POST", "/v1/subscriptions", {"url": "https://example.org\t/hook", "event_types": []}, 422),
    ("POST", "/v1/subscriptions", {"url": "https://user:pass@example.org/hook", "event_types": []}, 422),
    ("PUT", OCCURRENCE, {"start": "0001-01-01"}, 422),
    ("PUT", OCCURRENCE, {"start": 0}, 422),
    ("PUT", OCCURRENCE, {"start": "9999-12-31"}, 422),
    ("GET", "/v1/scorecards/countries", {"as_of": "9999-12-31"}, 422),
    ("GET", "/v1/scorecards/ministries", {"as_of": "0001-01-01T00:00:00Z"}, 422),
    ("GET", "/v1/commitments", {"due_before": "0"}, 422),
    ("GET", "/v1/deadlines", {"from": "0001-01-01"}, 422),
    ("GET", "/v1/calendar/occurrences", {"to": "99999-01-01"}, 422),
]

#: ids that cannot be ids: a 404 or 422, never a redirect to somewhere else
ODD_PATHS = [
    "/v1/commitments/a%2fb",
    "/v1/commitments/a%2f",
    "/v1/documents/%2e%2e%2fapi-keys",
    "/v1/subscriptions/x%2fdeliveries",
    "/v1/commitments/" + "x" * 5000,
]


async def _state(gateway: Gateway) -> tuple[Any, ...]:
    keys = (await gateway.client.get("/v1/api-keys", headers=ADMIN, params={"limit": 500})).json()["items"]
    subscriptions = (await gateway.client.get("/v1/subscriptions", headers=ADMIN)).json()["items"]
    occurrence = (await gateway.client.get(OCCURRENCE, headers=ADMIN)).json()
    return (
        sorted(k["id"] for k in keys),
        sorted(s["id"] for s in subscriptions),
        occurrence.get("start"),
        occurrence.get("state"),
    )


def _refused(response: httpx.Response, status: int) -> None:
    assert response.status_code == status, (response.request.method, response.request.url, response.text[:400])
    assert response.headers["content-type"] == "application/problem+json", response.headers
    assert response.json()["detail"]


@pytest.mark.parametrize(("method", "path", "given", "status"), CASES, ids=[f"{c[0]} {c[1]} {c[2]}" for c in CASES])
async def test_hostile_bodies_and_queries_are_refused_and_change_nothing(
    gateway: Gateway, method: str, path: str, given: dict[str, Any], status: int
) -> None:
    before = await _state(gateway)
    if method == "GET":
        response = await gateway.client.get(path, params=given, headers=ADMIN)
    else:
        response = await gateway.client.request(method, path, json=given, headers=ADMIN)
    _refused(response, status)
    assert await _state(gateway) == before


async def test_an_unknown_event_type_filter_is_refused(gateway: Gateway) -> None:
    created = await gateway.client.post(
        "/v1/subscriptions", json={"url": "https://example.org/hook", "event_types": []}, headers=ADMIN
    )
    assert created.status_code == 201, created.text
    subscription = created.json()["id"]
    response = await gateway.client.get(
        f"/v1/subscriptions/{subscription}/deliveries", params={"event_type": "commitment.exploded"}, headers=ADMIN
    )
    _refused(response, 422)
    known = await gateway.client.get(
        f"/v1/subscriptions/{subscription}/deliveries", params={"event_type": "commitment.assigned"}, headers=ADMIN
    )
    assert known.status_code == 200, known.text


@pytest.mark.parametrize("path", ODD_PATHS)
async def test_an_id_that_cannot_be_an_id_is_not_redirected(gateway: Gateway, path: str) -> None:
    response = await gateway.client.get(path, headers=ADMIN, follow_redirects=False)
    assert response.status_code in (404, 422), (path, response.status_code, response.headers.get("location"))
    assert response.headers["content-type"] == "application/problem+json"
