"""Tracker consumes commitments from the broker and fans them out, once, whatever the broker re-delivers; a newer
document version moves a commitment keeping its assignments; a withdrawal supersedes them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from resolute.shared.events.catalogue import CommitmentExtractedV1, CommitmentWithdrawnV1
from resolute.shared.events.envelope import new_envelope
from resolute.shared.extracted import MinistryRef
from resolute.shared.testing.fixtures import eventually
from resolute.shared.topics import COMMITMENTS

pytestmark = pytest.mark.integration


def extracted(
    n: int, document_id: str = "doc-1", countries: tuple[str, ...] = ("EE", "LV", "LT"), **extra: Any
) -> CommitmentExtractedV1:
    values: dict[str, Any] = {
        "commitment_id": f"{document_id}-c{n}",
        "document_id": document_id,
        "document_kind": "resolution",
        "position": n,
        "text": f"to cooperate on energy security measure {n}",
        "span": (n * 10, n * 10 + 9),
        "countries": list(countries),
        "bodies": ["Baltic Council of Ministers"],
        "ministries": [MinistryRef(country="EE", ministry="climate")],
        "policy_area": "energy",
    }
    return CommitmentExtractedV1(**(values | extra))


async def test_commitments_fan_out_once_despite_redelivery(tracker: Any) -> None:
    events = [extracted(n) for n in range(5)]
    published = datetime(2026, 11, 20, 9, tzinfo=UTC)
    envelopes = [
        (e.commitment_id.encode(), new_envelope(e, source="/resolute/ingest", time=published).to_bytes())
        for e in events
    ]
    await tracker.publish_raw(COMMITMENTS.name, envelopes + envelopes[:2])  # the broker hands two out again
    await tracker.publish(*events[:3])  # ... and ingest re-publishes three under new envelope ids

    async def fanned_out() -> bool:
        return len(await tracker.all_pages("/assignments", limit=7)) == 5 * 4

    await eventually(fanned_out, 60)
    await tracker.settle()
    assert len(await tracker.all_pages("/assignments")) == 20
    commitments = await tracker.all_pages("/commitments", limit=2)
    assert [c["position"] for c in commitments] == [0, 1, 2, 3, 4]
    detail = (await tracker.client.get(f"/commitments/{commitments[0]['id']}")).json()
    assert sorted((a["country"] or a["body"]) for a in detail["assignments"]) == [
        "EE", "LT", "LV", "baltic-council-of-ministers",
    ]  # fmt: skip
    estonia = next(a for a in detail["assignments"] if a["country"] == "EE")
    assert (estonia["ministry"], estonia["ministry_name"]) == ("climate", "Ministry of Climate")
    assert estonia["status"] == "not_reported" and estonia["verification"] is None
    latvia = next(a for a in detail["assignments"] if a["country"] == "LV")
    assert latvia["ministry"] == "climate-and-energy"  # the registry's lead where extraction named none
    assigned = await tracker.outbox("commitment.assigned.v1")
    assert len(assigned) == 20 and len({e["id"] for e in assigned}) == 20
    history = (await tracker.client.get(f"/assignments/{estonia['id']}/history")).json()["items"]
    assert [h["kind"] for h in history] == ["assigned"]


async def test_commitment_filters(tracker: Any) -> None:
    await tracker.publish(
        *[extracted(n, "doc-a") for n in range(3)],
        extracted(9, "doc-b", ("EE",), deadline={"verbatim": "in 2027", "kind": "year", "year": 2027}),
    )

    async def arrived() -> bool:
        return len(await tracker.all_pages("/commitments")) == 4

    await eventually(arrived, 60)
    assert len(await tracker.all_pages("/commitments", document_id="doc-a")) == 3
    assert len(await tracker.all_pages("/commitments", country="lt")) == 3
    assert len(await tracker.all_pages("/commitments", ministry="climate")) == 4
    assert len(await tracker.all_pages("/commitments", q="MEASURE 9")) == 1
    assert len(await tracker.all_pages("/commitments", status="completed")) == 0
    due = await tracker.all_pages("/commitments", due_after="2027-01-01", due_before="2027-12-31")
    assert [(c["id"], c["due_date"], c["due_projected"]) for c in due] == [("doc-b-c9", "2027-12-31", False)]
    assert await tracker.all_pages("/commitments", due_before="2027-12-30") == []
    for params, status in [
        ({"status": "done-ish"}, 422),
        ({"country": "EST"}, 422),
        ({"cursor": "garbage!"}, 400),
        ({"due_after": "2028-01-01", "due_before": "2027-01-01"}, 422),
        ({"as_of": "last tuesday"}, 422),
    ]:
        bad = await tracker.client.get("/commitments", params=params)
        assert bad.status_code == status, params
        assert bad.headers["content-type"] == "application/problem+json"


async def test_a_newer_document_version_moves_the_commitment_and_keeps_its_assignments(tracker: Any) -> None:
    first = extracted(1, "doc-v1")
    await tracker.publish(first)
    await eventually(lambda: _assignment_count(tracker, "doc-v1-c1", 4), 60)
    estonia = next(a for a in await tracker.all_pages("/assignments", country="EE"))
    claimed = await tracker.client.post(
        f"/assignments/{estonia['id']}/status",
        json={"status": "in_progress", "note": "drafting"},
        headers={"X-Resolute-Principal": "k", "X-Resolute-Scope": "ministry:EE:climate"},
    )
    assert claimed.status_code == 200, claimed.text
    moved = first.model_copy(update={"document_id": "doc-v2", "position": 4, "section": "regarding energy"})
    await tracker.publish(moved)

    async def carried_over() -> bool:
        detail = (await tracker.client.get("/commitments/doc-v1-c1")).json()
        return bool(detail["document_id"] == "doc-v2")

    await eventually(carried_over, 60)
    detail = (await tracker.client.get("/commitments/doc-v1-c1")).json()
    assert (detail["position"], detail["section"]) == (4, "regarding energy")
    assert len(detail["assignments"]) == 4
    kept = next(a for a in detail["assignments"] if a["country"] == "EE")
    assert (kept["id"], kept["status"], kept["note"]) == (estonia["id"], "in_progress", "drafting")
    assert len(await tracker.outbox("commitment.assigned.v1")) == 4  # nobody is told twice


async def test_a_withdrawn_commitment_supersedes_its_open_assignments(tracker: Any) -> None:
    await tracker.publish(extracted(1, "doc-w"))
    await eventually(lambda: _assignment_count(tracker, "doc-w-c1", 4), 60)
    withdrawal = CommitmentWithdrawnV1(commitment_id="doc-w-c1", document_id="doc-w2", reason="not in version 2")
    await tracker.publish(withdrawal, withdrawal)

    async def superseded() -> bool:
        items = await tracker.all_pages("/assignments", commitment_id="doc-w-c1")
        return all(a["status"] == "superseded" for a in items)

    await eventually(superseded, 60)
    await tracker.settle()
    detail = (await tracker.client.get("/commitments/doc-w-c1")).json()
    assert detail["withdrawn"] and detail["withdrawn_reason"] == "not in version 2"
    one = detail["assignments"][0]
    history = (await tracker.client.get(f"/assignments/{one['id']}/history")).json()["items"]
    assert [(h["kind"], h["status"]) for h in history] == [("assigned", "not_reported"), ("superseded", "superseded")]
    changes = await tracker.outbox("assignment.status_changed.v1")
    assert len(changes) == 4 and {c["data"]["status"] for c in changes} == {"superseded"}
    assert (await tracker.client.get("/assignments", params={"status": "superseded"})).json()["items"]


async def _assignment_count(tracker: Any, commitment_id: str, expected: int) -> bool:
    return len(await tracker.all_pages("/assignments", commitment_id=commitment_id)) == expected
