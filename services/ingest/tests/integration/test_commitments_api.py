"""A document's commitments with filters and cursor pages, as a portal lists and highlights them."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from resolute.shared.testing.fixtures import REPO_ROOT, all_pages

pytestmark = pytest.mark.integration

CORPUS = REPO_ROOT / "corpus"


async def _upload(client: httpx.AsyncClient, name: str) -> str:
    path = CORPUS / name
    response = await client.post("/documents", files={"file": (path.name, path.read_bytes())})
    assert response.status_code == 202, response.text
    return str(response.json()["id"])


async def _list(client: httpx.AsyncClient, document_id: str, **params: Any) -> list[dict[str, Any]]:
    return await all_pages(client, f"/documents/{document_id}/commitments", **params)


async def test_filters_select_exactly_the_commitments_that_match(ingest: httpx.AsyncClient) -> None:
    document_id = await _upload(ingest, "ba-44th-session-resolution-2025.txt")
    every = await _list(ingest, document_id, limit=500)
    assert len(every) == 91

    energy = await _list(ingest, document_id, section="Baltic ENERGY strategy")
    assert energy and all("energy strategy" in c["section"] for c in energy)
    assert [c["id"] for c in energy] == [c["id"] for c in every if "energy strategy" in (c["section"] or "")]

    assert len(await _list(ingest, document_id, country="ee")) == 91  # every item is addressed to the three
    assert await _list(ingest, document_id, country="US") == []

    dated = await _list(ingest, document_id, has_deadline="true")
    undated = await _list(ingest, document_id, has_deadline="false")
    assert dated and all(c["deadline"] for c in dated) and not any(c["deadline"] for c in undated)
    assert sorted(c["position"] for c in dated + undated) == list(range(91))
    events = await _list(ingest, document_id, deadline_kind="event")
    assert events and {c["deadline"]["kind"] for c in events} == {"event"}
    assert {c["id"] for c in events} < {c["id"] for c in dated}

    defence = await _list(ingest, document_id, ministry="defence", country="LT")
    assert defence and all({"country": "LT", "ministry": "defence"} in c["ministries"] for c in defence)
    assert len(defence) < 91
    transport = await _list(ingest, document_id, policy_area="transport")
    assert transport and {c["policy_area"] for c in transport} == {"transport"}
    rail = await _list(ingest, document_id, q="rail baltica")
    assert rail and all("rail baltica" in c["text"].lower() for c in rail)
    council = await _list(ingest, document_id, body="baltic council of ministers")
    assert len(council) == 91

    both = await _list(ingest, document_id, policy_area="transport", q="rail baltica")
    assert {c["id"] for c in both} == {c["id"] for c in transport} & {c["id"] for c in rail}


async def test_pages_follow_document_order_with_and_without_filters(ingest: httpx.AsyncClient) -> None:
    document_id = await _upload(ingest, "nato-pa-policy-recommendations-2025.md")
    every = await _list(ingest, document_id, limit=500)
    assert len(every) == 143
    paged = await _list(ingest, document_id, limit=7)
    assert paged == every
    assert [c["position"] for c in paged] == list(range(143))
    assert sorted({c["part"] for c in every}) == list(range(8))
    filtered = await _list(ingest, document_id, limit=3, has_deadline="true")
    assert filtered == [c for c in every if c["deadline"]]
    first = (await ingest.get(f"/documents/{document_id}/commitments", params={"limit": 10})).json()
    assert len(first["items"]) == 10 and first["next_cursor"]


@pytest.mark.parametrize(
    "params",
    [
        {"country": "EST"},
        {"country": "e1"},
        {"has_deadline": "maybe"},
        {"deadline_kind": "soon"},
        {"ministry": "Defence Ministry"},
        {"limit": 0},
        {"limit": 501},
        {"q": ""},
    ],
)
async def test_invalid_filters_are_a_422_problem(ingest: httpx.AsyncClient, params: dict[str, Any]) -> None:
    document_id = await _upload(ingest, "ies-commentary-bmma-declaration-2026.txt")
    response = await ingest.get(f"/documents/{document_id}/commitments", params=params)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"


async def test_a_cursor_from_elsewhere_is_a_400_problem(ingest: httpx.AsyncClient) -> None:
    document_id = await _upload(ingest, "ies-commentary-bmma-declaration-2026.txt")
    listing_cursor = "eyJrIjpbIjIwMjYtMDEtMDFUMDA6MDA6MDArMDA6MDAiLCJ4Il19"  # a documents-list cursor
    for cursor in ("not-a-cursor", listing_cursor):
        response = await ingest.get(f"/documents/{document_id}/commitments", params={"cursor": cursor})
        assert response.status_code == 400, response.text
        assert response.json()["type"].endswith("/bad-cursor")
