"""Status reports through the API: claims, verification and disputes, ownership, history and `as_of` reads."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from resolute.shared.events.catalogue import CommitmentExtractedV1
from resolute.shared.extracted import MinistryRef
from resolute.shared.testing.fixtures import eventually
from resolute.shared.web.identity import PRINCIPAL_HEADER, SCOPE_HEADER

pytestmark = pytest.mark.integration


def as_scope(scope: str, principal: str = "key-1") -> dict[str, str]:
    """The identity headers the gateway adds after authenticating a key."""
    return {PRINCIPAL_HEADER: principal, SCOPE_HEADER: scope}


ADMIN = as_scope("admin", "admin-key")
EDITOR = as_scope("editor", "editor-key")
EE_DEFENCE = as_scope("ministry:EE:defence", "ee-defence-key")


async def _estonian_assignment(tracker: Any) -> dict[str, Any]:
    await tracker.publish(
        CommitmentExtractedV1(
            commitment_id="c-defence",
            document_id="d-1",
            document_kind="declaration_of_intent",
            position=0,
            text="to establish a Baltic Military Mobility Area",
            span=(0, 44),
            countries=["EE", "LV"],
            ministries=[
                MinistryRef(country="EE", ministry="defence"),
                MinistryRef(country="LV", ministry="defence"),
            ],
            policy_area="defence",
        )
    )

    async def assigned() -> list[dict[str, Any]]:
        return [a for a in await tracker.all_pages("/assignments", commitment_id="c-defence") if a["country"] == "EE"]

    return (await eventually(assigned, 60))[0]  # type: ignore[index,no-any-return]


async def test_claim_verify_dispute_with_history_and_as_of(tracker: Any) -> None:
    estonia = await _estonian_assignment(tracker)
    after_claim = await _claim_verify_claim_dispute(tracker, f"/assignments/{estonia['id']}")
    await _every_change_is_in_the_history_and_readable_as_of_then(tracker, estonia, after_claim)


async def _claim_verify_claim_dispute(tracker: Any, url: str) -> str:
    """A ministry claims, an editor verifies, the ministry claims more, the editor disputes: when the first
    claim was recorded."""
    claim = await tracker.client.post(
        f"{url}/status",
        json={"status": "in_progress", "note": "working group set up",
              "evidence_urls": ["https://kaitseministeerium.ee/en/news/bmma"]},
        headers=EE_DEFENCE,
    )  # fmt: skip
    assert claim.status_code == 200, claim.text
    body = claim.json()
    assert (body["status"], body["verification"], body["status_changed_by"]) == (
        "in_progress", "pending", "ee-defence-key",
    )  # fmt: skip
    assert body["evidence_urls"] == ["https://kaitseministeerium.ee/en/news/bmma"]
    after_claim = body["updated_at"]
    await asyncio.sleep(0.05)

    verified = (await tracker.client.post(f"{url}/status", json={"status": "in_progress"}, headers=EDITOR)).json()
    assert (verified["status"], verified["verification"], verified["verified_status"]) == (
        "in_progress", "verified", "in_progress",
    )  # fmt: skip
    await asyncio.sleep(0.05)
    completed = await tracker.client.post(f"{url}/status", json={"status": "completed"}, headers=EE_DEFENCE)
    assert completed.json()["verification"] == "pending"
    disputed = (
        await tracker.client.post(
            f"{url}/status", json={"status": "partially_completed", "note": "the area is not yet agreed"},
            headers=EDITOR,
        )
    ).json()  # fmt: skip
    assert (disputed["status"], disputed["verification"], disputed["verified_status"]) == (
        "completed", "disputed", "partially_completed",
    )  # fmt: skip
    return str(after_claim)


async def _every_change_is_in_the_history_and_readable_as_of_then(
    tracker: Any, estonia: dict[str, Any], after_claim: str
) -> None:
    url, created = f"/assignments/{estonia['id']}", estonia["created_at"]
    history = (await tracker.client.get(f"{url}/history")).json()["items"]
    assert [(h["kind"], h["status"], h["actor"]) for h in history] == [
        ("assigned", "not_reported", None),
        ("claim", "in_progress", "ee-defence-key"),
        ("verification", "in_progress", "editor-key"),
        ("claim", "completed", "ee-defence-key"),
        ("dispute", "completed", "editor-key"),
    ]
    assert [h["seq"] for h in history] == [1, 2, 3, 4, 5]

    then = (await tracker.client.get(url, params={"as_of": after_claim})).json()
    assert (then["status"], then["verification"], then["note"]) == ("in_progress", "pending", "working group set up")
    assert (await tracker.client.get(url, params={"as_of": created})).json()["status"] == "not_reported"
    past = await tracker.all_pages("/assignments", status="in_progress", as_of=after_claim)
    assert [a["id"] for a in past] == [estonia["id"]]
    assert await tracker.all_pages("/assignments", status="completed", as_of=after_claim) == []
    assert (await tracker.client.get(url, params={"as_of": "2020-01-01"})).status_code == 404
    commitment_then = (await tracker.client.get("/commitments/c-defence", params={"as_of": after_claim})).json()
    assert {a["country"]: a["status"] for a in commitment_then["assignments"]} == {
        "EE": "in_progress", "LV": "not_reported",
    }  # fmt: skip

    changes = await tracker.outbox("assignment.status_changed.v1")
    assert [(c["data"]["kind"], c["data"]["status"]) for c in changes] == [
        ("claim", "in_progress"), ("verification", "in_progress"), ("claim", "completed"), ("dispute", "completed"),
    ]  # fmt: skip
    assert changes[0]["data"]["country"] == "EE" and changes[0]["key"] == estonia["id"]


async def test_assignments_sort_by_latest_change_page_by_page_now_and_as_of(tracker: Any) -> None:
    estonia = await _estonian_assignment(tracker)
    everyone = await tracker.all_pages("/assignments", commitment_id="c-defence")
    assert len(everyone) >= 2 and [a["id"] for a in everyone] == [
        a["id"] for a in await tracker.all_pages("/assignments", commitment_id="c-defence", sort="-created_at")
    ]
    await asyncio.sleep(0.05)
    reported = await tracker.client.post(
        f"/assignments/{estonia['id']}/status", json={"status": "in_progress"}, headers=EE_DEFENCE
    )
    assert reported.status_code == 200, reported.text

    latest = await tracker.all_pages("/assignments", commitment_id="c-defence", sort="-updated_at", limit=1)
    assert latest[0]["id"] == estonia["id"] and len(latest) == len(everyone)
    assert [a["updated_at"] for a in latest] == sorted((a["updated_at"] for a in latest), reverse=True)
    oldest = await tracker.all_pages("/assignments", commitment_id="c-defence", sort="updated_at", limit=1)
    assert [a["id"] for a in oldest] == [a["id"] for a in reversed(latest)]
    before_report = await tracker.all_pages(
        "/assignments", commitment_id="c-defence", sort="-updated_at", as_of=estonia["created_at"]
    )
    assert {a["id"] for a in before_report} == {a["id"] for a in everyone}
    assert next(a for a in before_report if a["id"] == estonia["id"])["status"] == "not_reported"

    page = (await tracker.client.get("/assignments", params={"sort": "-updated_at", "limit": 1})).json()
    mixed = await tracker.client.get("/assignments", params={"sort": "created_at", "cursor": page["next_cursor"]})
    assert mixed.status_code == 400 and mixed.json()["type"].endswith("/bad-cursor")
    assert (await tracker.client.get("/assignments", params={"sort": "due_date"})).status_code == 422


async def test_bad_reports_change_nothing(tracker: Any) -> None:
    estonia = await _estonian_assignment(tracker)
    url = f"/assignments/{estonia['id']}/status"
    cases = [
        ({"status": "done-ish"}, EE_DEFENCE, 422),
        ({"status": "in_progress", "evidence_urls": ["not a url"]}, EE_DEFENCE, 422),
        ({"status": "in_progress"}, as_scope("ministry:EE:interior"), 403),
        ({"status": "in_progress"}, as_scope("ministry:LV:defence"), 403),
        ({"status": "in_progress"}, as_scope("reader"), 403),
        ({"status": "in_progress"}, {}, 403),
        ({"status": "not_reported"}, EE_DEFENCE, 422),
        ({"status": "in_progress", "kind": "verification"}, EDITOR, 409),
    ]
    for body, headers, status in cases:
        response = await tracker.client.post(url, json=body, headers=headers)
        assert response.status_code == status, (body, headers, response.text)
        assert response.headers["content-type"] == "application/problem+json"
    assert (
        await tracker.client.post("/assignments/nope/status", json={"status": "in_progress"}, headers=EDITOR)
    ).status_code == 404
    history = (await tracker.client.get(f"/assignments/{estonia['id']}/history")).json()["items"]
    assert len(history) == 1
    assert await tracker.outbox("assignment.status_changed.v1") == []


async def test_admins_reassign_keeping_status_and_history(tracker: Any) -> None:
    estonia = await _estonian_assignment(tracker)
    url = f"/assignments/{estonia['id']}"
    await tracker.client.post(f"{url}/status", json={"status": "in_progress"}, headers=EE_DEFENCE)
    refused = await tracker.client.post(f"{url}/reassign", json={"ministry": "interior"}, headers=EDITOR)
    assert refused.status_code == 403
    unknown = await tracker.client.post(f"{url}/reassign", json={"ministry": "space"}, headers=ADMIN)
    assert unknown.status_code == 422
    moved = await tracker.client.post(
        f"{url}/reassign",
        json={"ministry": "interior", "supporting_ministries": ["defence"], "contact": "Mari Maasikas"},
        headers=ADMIN,
    )
    assert moved.status_code == 200, moved.text
    body = moved.json()
    assert (body["ministry"], body["supporting_ministries"], body["contact"], body["status"]) == (
        "interior", ["defence"], "Mari Maasikas", "in_progress",
    )  # fmt: skip
    # the old ministry's key no longer owns it; the new one's does
    assert (
        await tracker.client.post(f"{url}/status", json={"status": "completed"}, headers=EE_DEFENCE)
    ).status_code == 403
    interior = as_scope("ministry:EE:interior")
    assert (
        await tracker.client.post(f"{url}/status", json={"status": "completed"}, headers=interior)
    ).status_code == 200
    kinds = [h["kind"] for h in (await tracker.client.get(f"{url}/history")).json()["items"]]
    assert kinds == ["assigned", "claim", "reassigned", "claim"]
    reassigned = [e for e in await tracker.outbox("commitment.assigned.v1") if e["data"]["reassigned_from"]]
    assert [(e["data"]["ministry"], e["data"]["reassigned_from"]) for e in reassigned] == [("interior", "defence")]
