"""The actor registry through the API (admins edit it, each edit a revision), scorecards and the tracker's
metrics."""

from __future__ import annotations

from typing import Any

import pytest

from resolute.shared.events.catalogue import CommitmentExtractedV1
from resolute.shared.extracted import MinistryRef
from resolute.shared.testing.fixtures import eventually
from resolute.shared.web.identity import PRINCIPAL_HEADER, SCOPE_HEADER

pytestmark = pytest.mark.integration

ADMIN = {PRINCIPAL_HEADER: "admin-key", SCOPE_HEADER: "admin"}
EDITOR = {PRINCIPAL_HEADER: "editor-key", SCOPE_HEADER: "editor"}


async def test_the_registry_lists_ministries_and_admins_edit_it(tracker: Any) -> None:
    await _the_shipped_registry_is_served(tracker)
    await _admins_edit_it_and_bad_edits_change_nothing(tracker)
    await _a_new_ministry_can_lead(tracker)


async def _the_shipped_registry_is_served(tracker: Any) -> None:
    actors = (await tracker.client.get("/actors")).json()
    assert actors["revision"] == 1
    countries = {c["code"]: c for c in actors["countries"]}
    assert len(countries) >= 32
    estonia = {m["id"]: m for m in countries["EE"]["ministries"]}
    assert estonia["climate"]["name"] == "Ministry of Climate"
    assert {"energy", "transport"} <= set(estonia["climate"]["areas"])
    assert {m["id"] for m in countries["LT"]["ministries"]} >= {"defence", "energy", "foreign-affairs"}
    assert "climate-and-energy" in {m["id"] for m in countries["LV"]["ministries"]}
    assert {"defence", "foreign-affairs"} <= {m["id"] for m in countries["FR"]["ministries"]}
    assert {"baltic-council-of-ministers", "nato-pa", "saeima"} <= {b["id"] for b in actors["bodies"]}
    only = (await tracker.client.get("/actors", params={"country": ["ee", "LV"]})).json()
    assert [c["code"] for c in only["countries"]] == ["EE", "LV"]


async def _admins_edit_it_and_bad_edits_change_nothing(tracker: Any) -> None:
    added = await tracker.client.put(
        "/actors/countries/EE/ministries/infrastructure",
        json={"name": "Ministry of Infrastructure", "areas": ["transport"]},
        headers=ADMIN,
    )
    assert added.status_code == 200, added.text
    assert added.json()["revision"] == 2
    for path, body, headers, status in [
        ("/actors/countries/EE/ministries/space", {"name": "Space", "areas": ["astrology"]}, ADMIN, 422),
        ("/actors/countries/EE/ministries/space", {"name": "Space", "areas": []}, EDITOR, 403),
        ("/actors/countries/XX/ministries/space", {"name": "Space"}, ADMIN, 404),
        ("/actors/countries/EE/ministries/Space", {"name": "Space"}, ADMIN, 422),
        ("/actors/countries/EE", {"name": "Estonia", "default_lead": "nothing"}, ADMIN, 422),
        ("/actors/series/nato-summit", {"name": "NATO Summit", "cadence": "yearly"}, ADMIN, 422),
    ]:
        response = await tracker.client.put(path, json=body, headers=headers)
        assert response.status_code == status, (path, response.text)
        assert response.headers["content-type"] == "application/problem+json"
    assert (
        await tracker.client.delete("/actors/countries/EE/ministries/government-office", headers=ADMIN)
    ).status_code == 409
    assert (await tracker.client.get("/actors")).json()["revision"] == 2  # the refused edits changed nothing
    body = await tracker.client.put(
        "/actors/bodies/baltic-defence-college", json={"name": "Baltic Defence College", "kind": "intergovernmental"},
        headers=ADMIN,
    )  # fmt: skip
    assert body.status_code == 200
    revisions = (await tracker.client.get("/actors/revisions")).json()["items"]
    assert [(r["revision"], r["source"], r["actor"]) for r in revisions] == [
        (3, "admin", "admin-key"), (2, "admin", "admin-key"), (1, "seed", None),
    ]  # fmt: skip
    as_of = (await tracker.client.get("/actors", params={"as_of": revisions[2]["created_at"]})).json()
    assert as_of["revision"] == 1


async def _a_new_ministry_can_lead(tracker: Any) -> None:
    # the new ministry can lead: a commitment naming it is assigned to it, and it can be removed only when free
    await tracker.publish(
        CommitmentExtractedV1(
            commitment_id="rail", document_id="d", document_kind="resolution", position=0, text="to build rail",
            span=(0, 1), countries=["EE"], ministries=[MinistryRef(country="EE", ministry="infrastructure")],
            policy_area="transport",
        )
    )  # fmt: skip
    assignment = (await eventually(lambda: _assignments(tracker, "rail"), 60))[0]  # type: ignore[index]
    assert (assignment["ministry"], assignment["ministry_name"]) == ("infrastructure", "Ministry of Infrastructure")
    assert assignment["supporting_ministries"] == ["climate"]  # Estonia's Ministry of Climate covers transport too
    refused = await tracker.client.delete("/actors/countries/EE/ministries/infrastructure", headers=ADMIN)
    assert refused.status_code == 409


async def _assignments(tracker: Any, commitment_id: str) -> list[dict[str, Any]]:
    return list(await tracker.all_pages("/assignments", commitment_id=commitment_id))


async def test_scorecards_count_by_status_overdue_and_due_soon(tracker: Any) -> None:
    def commitment(n: int, deadline: dict[str, Any] | None) -> CommitmentExtractedV1:
        return CommitmentExtractedV1(
            commitment_id=f"s-{n}", document_id="d", document_kind="resolution", position=n, text=f"to act {n}",
            span=(0, 1), countries=["EE", "LV"], bodies=["BCM"], policy_area="defence", deadline=deadline,
        )  # fmt: skip

    await tracker.publish(
        commitment(0, {"verbatim": "by 1 May 2026", "kind": "date", "date": "2026-05-01"}),  # overdue
        commitment(1, {"verbatim": "by 10 December 2026", "kind": "date", "date": "2026-12-10"}),  # due soon
        commitment(2, None),
    )
    assignments = await eventually(lambda: _all_assignments(tracker, 9), 60)
    estonian = {a["commitment_id"]: a for a in assignments if a["country"] == "EE"}  # type: ignore[union-attr]
    ee_defence = {PRINCIPAL_HEADER: "k", SCOPE_HEADER: "ministry:EE:defence"}
    await tracker.client.post(f"/assignments/{estonian['s-0']['id']}/status", json={"status": "completed"},
                              headers=ee_defence)  # fmt: skip
    await tracker.client.post(f"/assignments/{estonian['s-1']['id']}/status", json={"status": "in_progress"},
                              headers=ee_defence)  # fmt: skip
    await tracker.client.post(f"/assignments/{estonian['s-1']['id']}/status", json={"status": "in_progress"},
                              headers=EDITOR)  # fmt: skip

    card = (await tracker.client.get("/scorecards/countries")).json()
    assert card["as_of"] == "2026-11-20"
    scores = {s["country"]: s for s in card["items"]}
    assert set(scores) == {"EE", "LV"}
    ee, lv = scores["EE"], scores["LV"]
    assert (ee["assignments"], ee["overdue"], ee["due_within_30_days"], ee["verified"], ee["pending_verification"]) == (
        3, 0, 1, 1, 1,
    )  # fmt: skip
    assert ee["by_status"]["completed"] == 1 and ee["by_status"]["not_reported"] == 1
    assert ee["completion_rate"] == pytest.approx(1 / 3, abs=1e-3)
    assert (lv["overdue"], lv["due_within_30_days"], lv["by_status"]["not_reported"]) == (1, 1, 3)
    assert [(b["body"], b["assignments"]) for b in card["bodies"]] == [("baltic-council-of-ministers", 3)]
    ministries = (await tracker.client.get("/scorecards/ministries", params={"country": "EE"})).json()["items"]
    assert [(m["country"], m["ministry"], m["name"], m["assignments"]) for m in ministries] == [
        ("EE", "defence", "Ministry of Defence", 3)
    ]
    past = (await tracker.client.get("/scorecards/countries", params={"as_of": "2026-11-19"})).json()
    assert past["items"] == []  # nothing had been assigned by the end of 19 November
    overdue = await tracker.all_pages("/assignments", overdue="true")
    assert {(a["country"] or a["body"], a["commitment_id"]) for a in overdue} == {
        ("LV", "s-0"), ("baltic-council-of-ministers", "s-0"),
    }  # fmt: skip

    async def gauges() -> bool:
        metrics = (await tracker.client.get("/metrics")).text
        return (
            'resolute_tracker_assignments{country="EE",status="completed"} 1.0' in metrics
            and 'resolute_tracker_deadlines{country="LV",state="overdue"} 1.0' in metrics
            and 'resolute_tracker_deadlines{country="EE",state="approaching"} 1.0' in metrics
            # overdue, but assigned today: not yet 30 days without a status change
            and 'resolute_tracker_overdue_unchanged_assignments{country="LV"} 0.0' in metrics
            and 'resolute_tracker_deadline_events_total{milestone="overdue"}' in metrics
        )

    await eventually(gauges, 30)


async def _all_assignments(tracker: Any, expected: int) -> list[dict[str, Any]] | None:
    items = await tracker.all_pages("/assignments")
    return items if len(items) == expected else None


async def test_a_changed_shipped_registry_merges_on_start_keeping_admins_edits(
    make_database: Any,
) -> None:
    from datetime import UTC, datetime

    from resolute.shared.actors import Body, default_registry
    from resolute.shared.db import create_engine, make_sessionmaker
    from resolute.tracker.actors import edits
    from resolute.tracker.actors.service import ActorDirectory, edit_registry, ensure_registry

    engine = create_engine(make_database("tracker"))
    sessionmaker = make_sessionmaker(engine)
    now = datetime(2026, 11, 20, tzinfo=UTC)
    seed = default_registry()
    directory = ActorDirectory(seed)
    try:
        assert await ensure_registry(sessionmaker, seed, now=now) == 1
        assert await ensure_registry(sessionmaker, seed, now=now) == 1  # every start: nothing new
        async with sessionmaker() as session, session.begin():
            await edit_registry(
                session, directory,
                lambda doc: edits.put_ministry(doc, "LV", "defence", {"name": "Ministry of Defence (edited)",
                                                                        "areas": ["defence"]}),
                actor="admin", now=now,
            )  # fmt: skip
        shipped = seed.model_copy(
            update={"bodies": (*seed.bodies, Body(id="baltic-defence-college", name="Baltic Defence College",
                                                  kind="intergovernmental"))}
        )  # fmt: skip
        assert await ensure_registry(sessionmaker, shipped, now=now) == 3
        async with sessionmaker() as session:
            registry = (await directory.current(session)).registry
        assert registry.body("baltic-defence-college") is not None
        latvia = registry.country("LV")
        assert latvia is not None and latvia.ministry("defence").name == "Ministry of Defence (edited)"  # type: ignore[union-attr]
    finally:
        await engine.dispose()
