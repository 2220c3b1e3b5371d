"""The calendar starts from the registry's shipped history, learns from documents, projects what nobody has
dated, shows where a document contradicts the shipped history, and an admin's confirmation re-schedules every
deadline hanging on an occurrence; the scheduler fires each milestone once (the clock stands at
RESOLUTE_NOW = 2026-11-20T09:00Z)."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import UTC, date, datetime
from typing import Any

import pytest

from resolute.shared.events.catalogue import (
    CommitmentExtractedV1,
    CorrectionRef,
    DocumentCorrectedV1,
    DocumentProcessedV1,
    FieldChange,
)
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
PROJECTED = "2026-11-08"  # the 32nd Council's projection from the shipped history (with the 45th session)


async def _milestones(tracker: Any) -> list[tuple[str, str, str]]:
    return [
        (e["data"]["commitment_id"], e["data"]["milestone"], e["data"]["due_date"])
        for e in await tracker.outbox()
        if e["type"].startswith("deadline.")
    ]


async def test_confirming_the_32nd_baltic_council_reschedules_its_deadlines(tracker: Any) -> None:
    await _the_council_is_projected_from_the_first_day(tracker)
    await _confirming_it_reschedules(tracker)
    await _moving_it_reschedules_again_and_nothing_fires_twice(tracker)


async def _the_council_is_projected_from_the_first_day(tracker: Any) -> None:
    # no document has dated anything yet: the shipped history alone dates the Council
    await tracker.publish(
        commitment("council", AT_THE_COUNCIL),
        commitment("july", {"verbatim": "in July 2025", "kind": "month", "date": "2025-07-01", "year": 2025}),
        commitment("year", {"verbatim": "in 2027", "kind": "year", "year": 2027}),
    )

    async def projected() -> dict[str, Any] | None:
        detail = (await tracker.client.get("/commitments/council")).json()
        return detail if detail.get("due_date") else None

    detail = await eventually(projected, 60)
    # the 31st Council met with the 44th session (Riga, Nov 2025): the 32nd meets with the 45th, in Nov 2026
    assert (detail["due_date"], detail["due_projected"]) == (PROJECTED, True)  # type: ignore[index]
    occurrence = (await tracker.client.get(COUNCIL)).json()
    assert (occurrence["state"], occurrence["projected"], occurrence["deadlines"]) == ("projected", True, 1)
    assert (occurrence["basis_series"], occurrence["place"]) == ("baltic-assembly-session", "Tallinn")
    assert 0 < occurrence["confidence"] < 1 and occurrence["uncertainty_days"] > 0

    # the documents then date what the history ships already: learnt, no conflict, the projection stays
    await tracker.publish(PRESS_RELEASE, BA_44)

    async def learnt() -> bool:
        return len(await tracker.all_pages("/calendar/occurrences", state="learnt")) == 3

    await eventually(learnt, 60)
    listed = {(o["series"], o["ordinal"]): o for o in await tracker.all_pages("/calendar/occurrences")}
    assert {k: listed[k]["state"] for k in [("baltic-assembly-session", 42), ("baltic-council", 29),
            ("baltic-assembly-session", 44), ("baltic-council", 31), ("baltic-council", 32)]} == {
        ("baltic-assembly-session", 42): "learnt", ("baltic-council", 29): "learnt",
        ("baltic-assembly-session", 44): "learnt", ("baltic-council", 31): "held", ("baltic-council", 32): "projected",
    }  # fmt: skip
    held = listed[("baltic-council", 31)]
    assert held["source"]["url"].startswith("https://") and held["shipped"] is None
    learnt_29 = listed[("baltic-council", 29)]
    assert learnt_29["source_document_id"] == "press-2023" and learnt_29["shipped"]["status"] == "held"
    assert not any(o["conflict"] for o in listed.values())
    assert all(listed[k]["start"] <= listed[j]["start"] for k, j in itertools.pairwise(listed))  # earliest first
    assert (await tracker.client.get("/commitments/council")).json()["due_date"] == PROJECTED

    # July 2025 is long past: one overdue milestone each (the latest weekly repeat), nothing for the rest
    async def overdue_fired() -> bool:
        return len(await _milestones(tracker)) == 4

    await eventually(overdue_fired, 60)
    assert {m for m in await _milestones(tracker)} == {("july", "overdue-477", "2025-07-31")}
    # a projected date that has passed (8 November) is a stale guess: nobody is told they are overdue against it


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
    assert [(c["data"]["start"], c["data"]["previous_start"]) for c in confirmation] == [("2026-11-27", PROJECTED)]


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
    assert await tracker.all_pages("/calendar/occurrences", state="confirmed") == []
    assert await tracker.outbox() == []
    shipped = (await tracker.client.get("/calendar/occurrences/nato-summit/2026")).json()
    assert (shipped["state"], shipped["place"]) == ("announced", "Ankara")  # the shipped history still answers
    summit = await tracker.client.put(
        "/calendar/occurrences/nato-summit/2026", json={"start": "2026-07-07", "end": "2026-07-08"}, headers=ADMIN
    )
    assert summit.status_code == 200 and summit.json()["state"] == "confirmed"
    assert summit.json()["history"][0]["previous_start"] == "2026-07-07"


async def test_documents_still_teach_and_a_contradiction_is_shown_until_an_admin_settles_it(tracker: Any) -> None:
    """A document dating the next session moves the Council's projection; one contradicting the shipped history
    is kept but shown as a conflict, and an admin's confirmation settles it."""
    await tracker.publish(commitment("council", AT_THE_COUNCIL))

    async def recorded() -> dict[str, Any] | None:
        response = await tracker.client.get("/commitments/council")
        return response.json() if response.status_code == 200 else None

    assert (await eventually(recorded, 60))["due_date"] == PROJECTED  # type: ignore[index]
    series = {s["id"]: s for s in (await tracker.client.get("/calendar/series")).json()["items"]}
    council = series["baltic-council"]
    assert (council["cadence"], council["unscheduled_deadlines"], council["conflicts"]) == ("P1Y", 0, 0)
    assert council["cadence_source"]["url"].startswith("https://") and council["shipped"] == council["known"] >= 14
    assert (council["last"]["ordinal"], council["last"]["state"]) == (31, "held")
    assert (council["next"]["ordinal"], council["next"]["projected"]) == (33, True)  # the 32nd's date is behind
    assert 0 < council["next"]["confidence"] < council["last"]["confidence"] == 1

    # a document announces the 45th session for 26-27 November 2026: the Council meets with it
    await tracker.publish(
        document(
            "announcement",
            CalendarFact(
                series="baltic-assembly-session",
                ordinal=45,
                start=date(2026, 11, 26),
                end=date(2026, 11, 27),
                place="Tallinn",
            ),
        )
    )

    async def moved() -> dict[str, Any] | None:
        detail = (await tracker.client.get("/commitments/council")).json()
        return detail if detail["due_date"] == "2026-11-26" else None

    assert (await eventually(moved, 60))["due_projected"] is True  # type: ignore[index]
    occurrence = (await tracker.client.get(COUNCIL)).json()
    assert (occurrence["basis_series"], occurrence["basis"], occurrence["uncertainty_days"]) == (
        "baltic-assembly-session", [45], 3,
    )  # fmt: skip
    assert [(h["state"], h["start"]) for h in occurrence["history"]] == [
        ("projected", PROJECTED), ("projected", "2026-11-26"),
    ]  # fmt: skip

    # another document dates the 31st Council a week later than the shipped history does
    await tracker.publish(
        document(
            "misdated",
            CalendarFact(
                series="baltic-council", ordinal=31, start=date(2025, 11, 21), end=date(2025, 11, 21), place="Riga"
            ),
        )
    )

    async def conflicting() -> list[dict[str, Any]] | None:
        return await tracker.all_pages("/calendar/occurrences", conflict="true") or None

    [conflict] = await eventually(conflicting, 60)  # type: ignore[misc]
    assert (conflict["series"], conflict["ordinal"], conflict["state"], conflict["start"]) == (
        "baltic-council", 31, "learnt", "2025-11-21",
    )  # fmt: skip
    assert (conflict["shipped"]["start"], conflict["shipped"]["status"]) == ("2025-11-14", "held")
    assert conflict["shipped"]["source"]["url"].startswith("https://")
    detail = (await tracker.client.get("/calendar/occurrences/baltic-council/31")).json()
    assert "differs from the shipped history" in detail["history"][-1]["note"]
    series = {s["id"]: s for s in (await tracker.client.get("/calendar/series")).json()["items"]}
    assert series["baltic-council"]["conflicts"] == 1

    settled = await tracker.client.put(
        "/calendar/occurrences/baltic-council/31", json={"start": "2025-11-14", "place": "Riga"}, headers=ADMIN
    )
    assert settled.status_code == 200 and (settled.json()["state"], settled.json()["conflict"]) == ("confirmed", False)
    assert await tracker.all_pages("/calendar/occurrences", conflict="true") == []
    first = await tracker.client.get("/calendar/occurrences", params={"limit": 2})
    second = await tracker.client.get(
        "/calendar/occurrences", params={"limit": 2, "cursor": first.json()["next_cursor"]}
    )
    pages = [(o["series"], o["ordinal"]) for o in first.json()["items"] + second.json()["items"]]
    assert len(set(pages)) == 4  # pages follow each other without repeating
    assert (await tracker.client.get("/calendar/occurrences", params={"cursor": "junk"})).status_code == 400


def _facts_correction(ident: str, *facts: CalendarFact, title: str) -> DocumentCorrectedV1:
    return DocumentCorrectedV1(
        document_id="ba-44",
        kind="resolution",
        title=title,
        adopted=date(2025, 11, 14),
        calendar_facts=list(facts),
        correction=CorrectionRef(id=ident, kind="facts", actor="key-editor", reason="the annex", at=datetime.now(UTC)),
        changes=[FieldChange(field="title"), FieldChange(field="calendar_facts")],
    )


async def test_an_editors_correction_of_a_documents_facts_moves_what_hangs_on_them(tracker: Any) -> None:
    """document.corrected.v1: the commitments carry the corrected title; an occurrence the document now dates is
    learnt (its deadlines move to it), one it no longer dates goes back to its projection; a replay changes
    nothing."""
    await tracker.publish(commitment("council", AT_THE_COUNCIL))

    async def recorded() -> dict[str, Any] | None:
        response = await tracker.client.get("/commitments/council")
        return response.json() if response.status_code == 200 else None

    assert (await eventually(recorded, 60))["due_date"] == PROJECTED  # type: ignore[index]
    dated = CalendarFact(series="baltic-council", ordinal=32, start=date(2026, 12, 3), end=date(2026, 12, 3))
    await tracker.publish(_facts_correction("c1", dated, title="Resolution (corrected)"))

    async def moved() -> dict[str, Any] | None:
        detail = (await tracker.client.get("/commitments/council")).json()
        return detail if detail["due_date"] == "2026-12-03" else None

    detail = await eventually(moved, 60)
    assert (detail["due_projected"], detail["document_title"]) == (False, "Resolution (corrected)")  # type: ignore[index]
    occurrence = (await tracker.client.get(COUNCIL)).json()
    assert (occurrence["state"], occurrence["source_document_id"]) == ("learnt", "ba-44")
    sent = len(await tracker.outbox())

    await tracker.publish(_facts_correction("c1", dated, title="Resolution (corrected)"))  # the same event again
    await tracker.publish(_facts_correction("c2", title="Resolution (corrected)"))  # it dates nothing now

    async def projected_again() -> dict[str, Any] | None:
        detail = (await tracker.client.get("/commitments/council")).json()
        return detail if detail["due_date"] == PROJECTED else None

    assert (await eventually(projected_again, 60))["due_projected"] is True  # type: ignore[index]
    assert (await tracker.client.get(COUNCIL)).json()["state"] == "projected"
    changes = [e for e in (await tracker.outbox())[sent:] if e["type"] == "calendar.occurrence_changed.v1"]
    # the replay told nobody anything: the one change is the occurrence going back to its projection
    assert [(c["data"]["state"], c["data"]["previous_start"]) for c in changes][:1] == [("projected", "2026-12-03")]
