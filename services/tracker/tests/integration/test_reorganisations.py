"""Ministries over time in the running tracker: a commitment goes to the ministry of its adoption date; a
reorganisation recorded as a registry revision proposes moving the open assignments of the ministries it ends,
nothing moves until an admin confirms, the history keeps the old ministry and `as_of` before it shows it; a
changed shipped registry merged at start-up dates the deadlines that waited (the clock stands at
RESOLUTE_NOW = 2026-11-20T09:00Z)."""

from __future__ import annotations

import shutil
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

from resolute.shared.events.catalogue import CommitmentExtractedV1
from resolute.shared.extracted import MinistryRef
from resolute.shared.testing.broker import TansuBroker
from resolute.shared.testing.fixtures import eventually, running_app
from resolute.shared.testing.registry import test_reorganisation
from resolute.shared.web.identity import PRINCIPAL_HEADER, SCOPE_HEADER
from resolute.tracker.main import create_app
from resolute.tracker.settings import TrackerSettings

from .conftest import Tracker

pytestmark = pytest.mark.integration

ADMIN = {PRINCIPAL_HEADER: "admin-key", SCOPE_HEADER: "admin"}
EDITOR = {PRINCIPAL_HEADER: "editor-key", SCOPE_HEADER: "editor"}
MINISTRY = {PRINCIPAL_HEADER: "ee-defence", SCOPE_HEADER: "ministry:EE:defence"}
REORGANISATIONS = "/actors/countries/EE/reorganisations"


def commitment(
    ident: str, area: str, ministry: str, adopted: date, deadline: dict[str, Any] | None = None
) -> CommitmentExtractedV1:
    """An Estonian commitment as extraction proposes it: today's ministry for its area."""
    return CommitmentExtractedV1(
        commitment_id=ident, document_id=f"doc-{ident}", document_kind="resolution", adopted=adopted, position=0,
        text=f"to act on {area} ({ident})", span=(0, 10), countries=["EE"], bodies=[],
        ministries=[MinistryRef(country="EE", ministry=ministry)], policy_area=area, deadline=deadline,
    )  # fmt: skip


def merger(effective: date | None = None) -> dict[str, Any]:
    """The test data's merger of Estonia's defence and interior ministries, as an admin sends it."""
    code, reorganisation = test_reorganisation(effective)
    assert code == "EE"
    return reorganisation.model_dump(mode="json")


async def _estonian(tracker: Tracker, ident: str) -> dict[str, Any]:
    async def found() -> dict[str, Any] | None:
        response = await tracker.client.get(f"/commitments/{ident}")
        if response.status_code != 200 or not response.json()["assignments"]:
            return None
        return next(a for a in response.json()["assignments"] if a["country"] == "EE")

    return await eventually(found, 60)  # type: ignore[return-value]


async def _proposals(tracker: Tracker, **params: Any) -> list[dict[str, Any]]:
    response = await tracker.client.get("/reassignments", params=params, headers=EDITOR)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def test_a_commitment_adopted_before_a_portfolio_moved_waits_for_an_admin_to_follow_it(
    tracker: Tracker,
) -> None:
    # Estonia's energy passed from the Ministry of Economic Affairs to the Ministry of Climate on 1 July 2023
    await tracker.publish(commitment("energy-2022", "energy", "climate", date(2022, 5, 1)))
    assignment = await _estonian(tracker, "energy-2022")
    assert (assignment["ministry"], assignment["ministry_name"]) == (
        "economy", "Ministry of Economic Affairs and Communications",
    )  # fmt: skip
    [proposal] = await _proposals(tracker, assignment_id=assignment["id"])
    assert (proposal["from_ministry"], proposal["to_ministry"], proposal["reason"], proposal["status"]) == (
        "economy", "climate", "portfolio_moved", "proposed",
    )  # fmt: skip
    assert proposal["effective"] == "2023-07-01" and proposal["source_url"].startswith("https://")

    confirmed = await tracker.client.post(f"/reassignments/{proposal['id']}/confirm", json={}, headers=ADMIN)
    assert confirmed.status_code == 200, confirmed.text
    assert (confirmed.json()["status"], confirmed.json()["decided_by"]) == ("confirmed", "admin-key")
    history = (await tracker.client.get(f"/assignments/{assignment['id']}/history")).json()["items"]
    assert [(h["kind"], h["ministry"]) for h in history] == [("assigned", "economy"), ("reorganised", "climate")]
    before = (await tracker.client.get(f"/assignments/{assignment['id']}", params={"as_of": history[0]["at"]})).json()
    assert before["ministry"] == "economy"
    assigned = [e for e in await tracker.outbox("commitment.assigned.v1") if e["key"] == assignment["id"]]
    assert [(e["data"]["ministry"], e["data"]["reassigned_from"]) for e in assigned] == [
        ("economy", None), ("climate", "economy"),
    ]  # fmt: skip
    again = await tracker.client.post(f"/reassignments/{proposal['id']}/confirm", json={}, headers=ADMIN)
    assert again.status_code == 409 and again.headers["content-type"] == "application/problem+json"


async def test_a_reorganisation_moves_open_assignments_only_once_an_admin_confirms(tracker: Tracker) -> None:
    await tracker.publish(
        commitment("defence", "defence", "defence", date(2025, 11, 14)),
        commitment("interior", "interior", "interior", date(2025, 11, 14)),
        commitment("done", "defence", "defence", date(2025, 11, 14)),
    )
    defence = await _estonian(tracker, "defence")
    interior = await _estonian(tracker, "interior")
    done = await _estonian(tracker, "done")
    claim = await tracker.client.post(f"/assignments/{defence['id']}/status", json={"status": "in_progress"},
                                      headers=MINISTRY)  # fmt: skip
    assert claim.status_code == 200, claim.text
    closed = await tracker.client.post(f"/assignments/{done['id']}/status", json={"status": "completed"},
                                       headers=MINISTRY)  # fmt: skip
    assert closed.status_code == 200, closed.text
    assert await _proposals(tracker) == []  # nothing was reorganised after 14 November 2025 yet

    await _bad_reorganisations_change_nothing(tracker)
    recorded = await tracker.client.post(REORGANISATIONS, json=merger(), headers=ADMIN)
    assert recorded.status_code == 201, recorded.text
    assert (recorded.json()["effective"], recorded.json()["proposals"]) == ("2026-06-01", 2)  # not the closed one
    revisions = (await tracker.client.get("/actors/revisions")).json()["items"]
    assert revisions[0]["change"].startswith("country EE reorganised on 2026-06-01")

    # recorded, proposed, but nothing moved yet
    for assignment, ministry in ((defence, "defence"), (interior, "interior")):
        now = (await tracker.client.get(f"/assignments/{assignment['id']}")).json()
        assert now["ministry"] == ministry and now["ministry_name"] is not None  # named from the registry's history
    proposals = {p["from_ministry"]: p for p in await _proposals(tracker, country="EE", status="proposed")}
    assert set(proposals) == {"defence", "interior"}
    assert {p["to_ministry"] for p in proposals.values()} == {"defence-and-internal-security"}
    assert {p["reason"] for p in proposals.values()} == {"merged"}
    assert await _proposals(tracker, ministry="defence-and-internal-security") != []
    forbidden = await tracker.client.get("/reassignments", headers=MINISTRY)
    assert forbidden.status_code == 403

    # the registry before the revision still had the Ministry of Defence; now it is merged
    before = (await tracker.client.get("/actors", params={"as_of": revisions[1]["created_at"], "country": "EE"})).json()
    assert "defence" in {m["id"] for m in before["countries"][0]["ministries"]}
    current = (await tracker.client.get("/actors", params={"country": "EE"})).json()["countries"][0]
    assert {"defence", "interior"}.isdisjoint(m["id"] for m in current["ministries"])
    assert "defence-and-internal-security" in {m["id"] for m in current["ministries"]}

    refused = await tracker.client.post(f"/reassignments/{proposals['defence']['id']}/confirm", json={},
                                        headers=EDITOR)  # fmt: skip
    assert refused.status_code == 403
    confirmed = await tracker.client.post(
        f"/reassignments/{proposals['defence']['id']}/confirm", json={"note": "the merger is in force"}, headers=ADMIN
    )
    assert confirmed.status_code == 200, confirmed.text
    moved = (await tracker.client.get(f"/assignments/{defence['id']}")).json()
    assert (moved["ministry"], moved["status"]) == ("defence-and-internal-security", "in_progress")  # status kept
    history = (await tracker.client.get(f"/assignments/{defence['id']}/history")).json()["items"]
    assert [(h["kind"], h["ministry"]) for h in history] == [
        ("assigned", "defence"), ("claim", "defence"), ("reorganised", "defence-and-internal-security"),
    ]  # fmt: skip
    as_of = (await tracker.client.get(f"/assignments/{defence['id']}", params={"as_of": history[1]["at"]})).json()
    assert (as_of["ministry"], as_of["ministry_name"]) == ("defence", "Ministry of Defence")
    listed = await tracker.all_pages("/assignments", ministry="defence", as_of=history[1]["at"], country="EE")
    assert defence["id"] in {a["id"] for a in listed}

    dismissed = await tracker.client.post(
        f"/reassignments/{proposals['interior']['id']}/dismiss", json={"note": "stays for now"}, headers=ADMIN
    )
    assert dismissed.status_code == 200 and dismissed.json()["status"] == "dismissed"
    assert (await tracker.client.get(f"/assignments/{interior['id']}")).json()["ministry"] == "interior"
    late = await tracker.client.post(f"/reassignments/{proposals['interior']['id']}/confirm", json={}, headers=ADMIN)
    assert late.status_code == 409
    assert (await tracker.client.post("/reassignments/no-such/confirm", json={}, headers=ADMIN)).status_code == 404

    # commitments arriving after the revision: to the ministry of their own adoption date
    await tracker.publish(
        commitment("after", "defence", "defence-and-internal-security", date(2026, 7, 1)),
        commitment("before", "defence", "defence-and-internal-security", date(2026, 1, 30)),
    )
    assert (await _estonian(tracker, "after"))["ministry"] == "defence-and-internal-security"
    earlier = await _estonian(tracker, "before")
    assert earlier["ministry"] == "defence"
    [pending] = await _proposals(tracker, assignment_id=earlier["id"])
    assert (pending["to_ministry"], pending["status"]) == ("defence-and-internal-security", "proposed")


async def _bad_reorganisations_change_nothing(tracker: Tracker) -> None:
    """Refused with a problem, and no revision kept: a ministry key, one that does not fit, one too early."""
    revisions = len((await tracker.client.get("/actors/revisions")).json()["items"])
    unfitting = merger()
    unfitting["changes"][1]["ministry"]["id"] = "no-such-ministry"
    too_early = merger(date(2024, 1, 1))  # Estonia was last reorganised on 13 August 2024
    cases = [
        (merger(), MINISTRY, 403),
        (unfitting, ADMIN, 422),
        (too_early, ADMIN, 409),
        ({**merger(), "changes": []}, ADMIN, 422),
        ({**merger(), "colour": "blue"}, ADMIN, 422),
    ]
    for body, headers, status in cases:
        response = await tracker.client.post(REORGANISATIONS, json=body, headers=headers)
        assert response.status_code == status, (body, response.text)
        assert response.headers["content-type"] == "application/problem+json"
    unknown = await tracker.client.post("/actors/countries/XX/reorganisations", json=merger(), headers=ADMIN)
    assert unknown.status_code == 404
    assert len((await tracker.client.get("/actors/revisions")).json()["items"]) == revisions
    assert await _proposals(tracker) == []


async def test_a_proposal_waits_for_the_day_its_reorganisation_takes_effect(tracker: Tracker) -> None:
    await tracker.publish(commitment("defence", "defence", "defence", date(2025, 11, 14)))
    defence = await _estonian(tracker, "defence")
    recorded = await tracker.client.post(REORGANISATIONS, json=merger(date(2027, 1, 1)), headers=ADMIN)
    assert recorded.status_code == 201 and recorded.json()["proposals"] == 1
    [proposal] = await _proposals(tracker)
    early = await tracker.client.post(f"/reassignments/{proposal['id']}/confirm", json={}, headers=ADMIN)
    assert early.status_code == 409 and "takes effect on 2027-01-01" in early.json()["detail"]
    assert (await tracker.client.get(f"/assignments/{defence['id']}")).json()["ministry"] == "defence"
    # a commitment adopted today, before the merger takes effect, still goes to the Ministry of Defence
    await tracker.publish(commitment("today", "defence", "defence-and-internal-security", date(2026, 11, 20)))
    assert (await _estonian(tracker, "today"))["ministry"] == "defence"


async def test_a_changed_shipped_registry_dates_what_waited_and_proposes_what_it_reorganised(
    tmp_path: Path, tracker_settings: TrackerSettings, kafka: TansuBroker
) -> None:
    """Started first on a registry without its history (as before the history was shipped): the Council's
    deadline waits undated. Restarted on the shipped registry: the merged revision dates it, and the Estonian
    reorganisations shipped with it propose what they moved."""
    bare = tmp_path / "registry.yaml"
    shutil.copy(_shipped_registry_file(), bare)
    at_the_council = {"verbatim": "at the 32nd Baltic Council", "kind": "event", "series": "baltic-council",
                      "ordinal": 32}  # fmt: skip
    first = tracker_settings.model_copy(update={"registry_path": bare})
    async with running_app(create_app(first)) as client:
        harness = Tracker(client, kafka)
        await eventually(harness.caught_up, 60, interval=0.2)
        await harness.publish(
            commitment("council", "governance", "government-office", date(2025, 11, 14), at_the_council),
            commitment("digital-2023", "digital", "economy", date(2023, 12, 1)),
        )
        waiting = await _estonian(harness, "council")
        assert waiting["due_date"] is None  # no history: nothing dates the 32nd Council
        assert (await _estonian(harness, "digital-2023"))["ministry"] == "economy"
        assert (await client.get("/reassignments", headers=EDITOR)).json()["items"] == []
    async with running_app(create_app(tracker_settings)) as client:  # the shipped registry, with its history
        harness = Tracker(client, kafka)
        await eventually(harness.caught_up, 60, interval=0.2)
        revisions = (await client.get("/actors/revisions")).json()["items"]
        assert revisions[0]["change"] == "shipped registry changed; merged"
        dated = (await client.get("/commitments/council")).json()
        assert (dated["due_date"], dated["due_projected"]) == ("2026-11-08", True)
        [proposal] = (await client.get("/reassignments", headers=EDITOR)).json()["items"]
        assert (proposal["from_ministry"], proposal["to_ministry"], proposal["effective"]) == (
            "economy", "justice-and-digital", "2024-08-13",
        )  # fmt: skip


def _shipped_registry_file() -> Path:
    """The shipped registry.yaml alone: copied without its history/ directory, it has none."""
    return Path(str(files("resolute.shared.actors").joinpath("registry.yaml")))
