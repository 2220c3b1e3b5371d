"""The calendar learns from documents, projects what nobody has dated, and an admin's confirmation re-schedules
every deadline hanging on an occurrence; the scheduler fires each milestone once (the clock stands at
RESOLUTE_NOW = 2026-11-20T09:00Z)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import pytest

from resolute.shared.events.catalogue import CommitmentExtractedV1, DocumentProcessedV1
from resolute.shared.extracted import CalendarFact
from resolute.shared.testing.fixtures import eventually
from resolute.shared.web.identity import PRINCIPAL_HEADER, SCOPE_HEADER

pytestmark = pytest.mark.integration

ADMIN = {PRINCIPAL_HEADER: "admin-key", SCOPE_HEADER: "admin"}
COUNCIL = "/calendar/occurrences/baltic-council/32"


def document(document_id: str, *facts: CalendarFact) -> DocumentProcessedV1:
    return DocumentProcessedV1(
        document_id=document_id, kind="other", content_hash=document_id, commitment_count=0, calendar_facts=list(facts)
    )


def commitment(ident: str, deadline: dict[str, Any], adopted: date = date(2025, 11, 14)) -> CommitmentExtractedV1:
    return CommitmentExtractedV1(
        commitment_id=ident,
        document_id="ba-44",
        document_kind="resolution",
        adopted=adopted,
        position=0,
        text=f"to present the proposals ({ident})",
        span=(0, 10),
        countries=["EE", "LV", "LT"],
        bodies=["Baltic Council of Ministers"],
        policy_area="governance",
        deadline=deadline,
    )


PRESS_RELEASE = document(
    "press-2023",
    CalendarFact(series="baltic-assembly-session", ordinal=42, start=date(2023, 11, 23), end=date(2023, 11, 24),
                   place="Tallinn"),
    CalendarFact(series="baltic-council", ordinal=29, start=date(2023, 11, 23), end=date(2023, 11, 24),
                   place="Tallinn"),
)  # fmt: skip
BA_44 = document(
    "ba-44",
    CalendarFact(series="baltic-assembly-session", ordinal=44, start=date(2025, 11, 13), end=date(2025, 11, 14),
                   place="Riga"),
)  # fmt: skip
AT_THE_COUNCIL = {"verbatim": "at the 32nd Baltic Council", "kind": "event", "series": "baltic-council", "ordinal": 32}


async def _milestones(tracker: Any) -> list[tuple[str, str, str]]:
    return [
        (e["data"]["commitment_id"], e["data"]["milestone"], e["data"]["due_date"])
        for e in await tracker.outbox()
        if e["type"].startswith("deadline.")
    ]


async def test_confirming_the_32nd_baltic_council_reschedules_its_deadlines(tracker: Any) -> None:
    await _the_council_is_projected_from_the_corpus(tracker)
    await _confirming_it_reschedules(tracker)
    await _moving_it_reschedules_again_and_nothing_fires_twice(tracker)


async def _the_council_is_projected_from_the_corpus(tracker: Any) -> None:
    await tracker.publish(PRESS_RELEASE, BA_44)

    async def learnt() -> bool:
        return len(await tracker.all_pages("/calendar/occurrences", state="learnt")) == 3

    # documents and commitments travel on different topics; the calendar first, so the projection is stable
    await eventually(learnt, 60)
    await tracker.publish(
        commitment("council", AT_THE_COUNCIL),
        commitment("july", {"verbatim": "in July 2025", "kind": "month", "date": "2025-07-01", "year": 2025}),
        commitment("year", {"verbatim": "in 2027", "kind": "year", "year": 2027}),
    )

    async def projected() -> dict[str, Any] | None:
        detail = (await tracker.client.get("/commitments/council")).json()
        return detail if detail.get("due_date") else None

    detail = await eventually(projected, 60)
    # from the corpus alone: the 29th Council met with the 42nd session, the 44th session met in Nov 2025
    assert (detail["due_date"], detail["due_projected"]) == ("2026-11-13", True)  # type: ignore[index]
    occurrence = (await tracker.client.get(COUNCIL)).json()
    assert (occurrence["state"], occurrence["projected"], occurrence["deadlines"]) == ("projected", True, 1)
    listed = await tracker.all_pages("/calendar/occurrences")
    assert {(o["series"], o["ordinal"], o["state"]) for o in listed} == {
        ("baltic-assembly-session", 42, "learnt"), ("baltic-council", 29, "learnt"),
        ("baltic-assembly-session", 44, "learnt"), ("baltic-council", 32, "projected"),
    }  # fmt: skip

    # July 2025 is long past: one overdue milestone each (the latest weekly repeat), nothing for the rest
    async def overdue_fired() -> bool:
        return len(await _milestones(tracker)) == 4

    await eventually(overdue_fired, 60)
    assert {m for m in await _milestones(tracker)} == {("july", "overdue-477", "2025-07-31")}
    # a projected date that has passed is a stale guess: nobody is told they are overdue against it


async def _confirming_it_reschedules(tracker: Any) -> None:
    confirmed = await tracker.client.put(
        COUNCIL, json={"start": "2026-11-27", "end": "2026-11-28", "place": "Tallinn"}, headers=ADMIN
    )
    assert confirmed.status_code == 200, confirmed.text
    body = confirmed.json()
    assert (body["state"], body["projected"], body["start"], body["place"]) == (
        "confirmed", False, "2026-11-27", "Tallinn",
    )  # fmt: skip
    assert [h["state"] for h in body["history"]] == ["projected", "confirmed"]
    detail = (await tracker.client.get("/commitments/council")).json()
    assert (detail["due_date"], detail["due_projected"]) == ("2026-11-27", False)

    async def approaching() -> list[tuple[str, str, str]]:
        return [m for m in await _milestones(tracker) if m[0] == "council"]

    fired = await eventually(lambda: _count(approaching, 4), 60)
    assert set(fired) == {("council", "approaching-7", "2026-11-27")}  # type: ignore[arg-type]
    events = [e for e in await tracker.outbox("deadline.approaching.v1")]
    assert {e["data"]["country"] or e["data"]["body"] for e in events} == {
        "EE", "LV", "LT", "baltic-council-of-ministers",
    }  # fmt: skip
    estonia = next(e for e in events if e["data"]["country"] == "EE")
    assert (estonia["data"]["days_left"], estonia["data"]["projected"], estonia["data"]["ministry"]) == (
        7, False, "government-office",
    )  # fmt: skip
    assert estonia["data"]["verbatim"] == "at the 32nd Baltic Council"
    changed = await tracker.outbox("calendar.occurrence_changed.v1")
    confirmation = [c for c in changed if c["data"]["state"] == "confirmed"]
    assert [(c["data"]["start"], c["data"]["previous_start"]) for c in confirmation] == [("2026-11-27", "2026-11-13")]


async def _moving_it_reschedules_again_and_nothing_fires_twice(tracker: Any) -> None:
    # the same confirmation again changes nothing; moving the meeting re-schedules again
    again = await tracker.client.put(
        COUNCIL, json={"start": "2026-11-27", "end": "2026-11-28", "place": "Tallinn"}, headers=ADMIN
    )
    assert again.status_code == 200 and len(again.json()["history"]) == 2
    moved = await tracker.client.put(COUNCIL, json={"start": "2026-12-10", "place": "Vilnius"}, headers=ADMIN)
    assert moved.status_code == 200

    async def after_move() -> list[tuple[str, str, str]]:
        return [m for m in await _milestones(tracker) if m[2] == "2026-12-10"]

    assert set(await eventually(lambda: _count(after_move, 4), 60)) == {  # type: ignore[arg-type]
        ("council", "approaching-30", "2026-12-10")
    }
    await tracker.settle()
    counted = Counter(await _milestones(tracker))
    assert all(n == 4 for n in counted.values()), counted  # once per assignment, never twice
    deadlines = await tracker.all_pages("/deadlines", country="EE")
    assert [
        (d["commitment_id"], d["date"], d["projected"], d["kind"], d["series"], d["ordinal"]) for d in deadlines
    ] == [
        ("council", "2026-12-10", False, "event", "baltic-council", 32),
        ("year", "2027-12-31", False, "year", None, None),
    ]
    overdue = await tracker.all_pages("/deadlines", overdue="true", country="EE")
    assert [(d["commitment_id"], d["overdue"], d["days_left"]) for d in overdue] == [("july", True, -477)]


async def _count(get: Any, n: int) -> list[Any] | None:
    found = await get()
    return found if len(found) >= n else None


async def test_bad_confirmations_change_nothing(tracker: Any) -> None:
    cases = [
        (COUNCIL, {"start": "2026-11-27", "end": "2026-11-26"}, ADMIN, 422),
        (COUNCIL, {"start": "27 November 2026"}, ADMIN, 422),
        (COUNCIL, {"start": "2026-11-27", "colour": "blue"}, ADMIN, 422),
        (COUNCIL, {"start": "2026-11-27"}, {PRINCIPAL_HEADER: "e", SCOPE_HEADER: "editor"}, 403),
        ("/calendar/occurrences/no-such-series/1", {"start": "2026-11-27"}, ADMIN, 422),
        ("/calendar/occurrences/nato-summit/2026", {"start": "2027-07-07"}, ADMIN, 422),
        ("/calendar/occurrences/baltic-council/0", {"start": "2026-11-27"}, ADMIN, 422),
    ]
    for path, body, headers, status in cases:
        response = await tracker.client.put(path, json=body, headers=headers)
        assert response.status_code == status, (path, body, response.text)
        assert response.headers["content-type"] == "application/problem+json"
    assert (await tracker.client.get("/calendar/occurrences")).json()["items"] == []
    assert await tracker.outbox() == []
    summit = await tracker.client.put(
        "/calendar/occurrences/nato-summit/2026", json={"start": "2026-07-07", "end": "2026-07-08"}, headers=ADMIN
    )
    assert summit.status_code == 200 and summit.json()["state"] == "confirmed"


async def test_facts_learnt_after_the_commitment_still_date_it(tracker: Any) -> None:
    """Documents and commitments travel on different topics: whichever comes first, the deadline ends up dated."""
    await tracker.publish(commitment("council", AT_THE_COUNCIL))

    async def recorded() -> dict[str, Any] | None:
        response = await tracker.client.get("/commitments/council")
        return response.json() if response.status_code == 200 else None

    assert (await eventually(recorded, 60))["due_date"] is None  # type: ignore[index]  # nothing known yet
    series = {s["id"]: s for s in (await tracker.client.get("/calendar/series")).json()["items"]}
    assert series["baltic-council"]["unscheduled_deadlines"] == 1
    await tracker.publish(BA_44, PRESS_RELEASE)

    async def dated() -> dict[str, Any] | None:
        detail = (await tracker.client.get("/commitments/council")).json()
        return detail if detail["due_date"] == "2026-11-13" else None

    detail = await eventually(dated, 60)
    assert detail["due_projected"] is True  # type: ignore[index]
    series = {s["id"]: s for s in (await tracker.client.get("/calendar/series")).json()["items"]}
    assert series["baltic-council"]["unscheduled_deadlines"] == 0
    following = series["baltic-council"]["next"]  # the 32nd's projected date (13 Nov) is already behind us
    assert (following["ordinal"], following["start"], following["projected"]) == (33, "2027-11-13", True)
