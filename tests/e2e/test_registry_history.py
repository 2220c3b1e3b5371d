"""The registry's history in the whole stack (broker + four services), driven through the gateway only, on a
fresh stack whose clock stands at 2 March 2026.

- Only the 44th session resolution uploaded: its proposals due "at the 32nd Baltic Council" have a projected
  date from the shipped calendar history at once, in /v1/deadlines and in Estonia's iCal feed as tentative.
- A NATO PA resolution of 2001 addressed to "member governments" is assigned to the 19 Allies of that year, one
  of 2025 to the 32 of that year.
- A government reorganisation recorded through the gateway (the test data's merger of Estonia's defence and
  interior ministries) proposes moving their open assignments; nothing moves until an admin confirms, and
  `as_of` before the confirmation shows the old ministry.

One stack on SQLite (the embedded default): the tracker's integration tests run the same on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from datetime import date
from typing import Any, cast

import httpx
import pytest
from icalendar import Calendar

from resolute.cli.stack import Stack
from resolute.cli.testing import all_pages, gateway_client, running_stack, upload_file
from resolute.shared.actors import default_registry
from resolute.shared.testing.fixtures import REPO_ROOT, eventually
from resolute.shared.testing.registry import test_reorganisation

pytestmark = pytest.mark.e2e

ADMIN_KEY = "rsk_e2e-history-" + uuid.uuid4().hex
NOW = "2026-03-02T09:00:00Z"
RESOLUTION = REPO_ROOT / "corpus" / "ba-44th-session-resolution-2025.txt"
NATO_2001 = REPO_ROOT / "services" / "ingest" / "tests" / "zoo" / "nato-pa-2001-resolution-bullets.txt"
NATO_BUNDLE_2025 = REPO_ROOT / "corpus" / "nato-pa-policy-recommendations-2025.md"
FEED = "/v1/feeds/deadlines/countries/EE.ics"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack(tmp_path_factory.mktemp("history"), "sqlite", None, admin_key=ADMIN_KEY, now=NOW) as running:
        yield running


async def _commitments(admin: httpx.AsyncClient, document_id: str) -> list[dict[str, Any]]:
    expected = (await admin.get(f"/v1/documents/{document_id}")).json()["commitment_count"]
    assert expected > 0

    async def listed() -> list[dict[str, Any]] | None:
        found = await all_pages(admin, "/v1/commitments", document_id=document_id)
        return found if len(found) == expected else None

    return cast(list[dict[str, Any]], await eventually(listed, 120))


async def _assigned(admin: httpx.AsyncClient, commitment_id: str, count: int) -> list[dict[str, Any]]:
    async def all_there() -> list[dict[str, Any]] | None:
        detail = (await admin.get(f"/v1/commitments/{commitment_id}")).json()
        countries = [a for a in detail["assignments"] if a["country"]]
        return countries if len(countries) >= count else None

    return cast(list[dict[str, Any]], await eventually(all_there, 120))


async def test_a_fresh_stack_dates_the_32nd_baltic_council_deadline_from_the_first_upload(stack: Stack) -> None:
    async with gateway_client(stack) as admin:
        document_id = await upload_file(admin, RESOLUTION)  # the only document of this stack so far
        commitments = await _commitments(admin, document_id)
        await eventually(lambda: asyncio.to_thread(stack.drain, 5), 90, interval=1)
        council = next(
            c for c in await all_pages(admin, "/v1/commitments", document_id=document_id)
            if "32nd Baltic Council" in (c["deadline"] or {}).get("verbatim", "")
        )  # fmt: skip
        assert len(commitments) > 1 and "present" in council["text"]
        assert council["due_projected"] is True and council["due_date"].startswith("2026-11-")

        occurrence = (await admin.get("/v1/calendar/occurrences/baltic-council/32")).json()
        assert (occurrence["state"], occurrence["start"], occurrence["deadlines"]) == (
            "projected", council["due_date"], 1,
        )  # fmt: skip
        assert 0 < occurrence["confidence"] < 1 and occurrence["uncertainty_days"] > 0 and occurrence["basis"]
        series = {s["id"]: s for s in (await admin.get("/v1/calendar/series")).json()["items"]}
        assert series["baltic-council"]["cadence"] == "P1Y" and series["baltic-council"]["shipped"] >= 14
        assert series["baltic-council"]["next"]["ordinal"] == 32
        assert series["baltic-council"]["cadence_source"]["url"].startswith("https://")

        deadlines = await all_pages(admin, "/v1/deadlines", country="EE", series="baltic-council")
        assert [(d["commitment_id"], d["date"], d["projected"], d["ordinal"]) for d in deadlines] == [
            (council["id"], council["due_date"], True, 32)
        ]
        estonia = next(a for a in (await admin.get(f"/v1/commitments/{council['id']}")).json()["assignments"]
                       if a["country"] == "EE")  # fmt: skip
        async with httpx.AsyncClient(base_url=stack.config.url("gateway"), timeout=60) as calendar_client:
            feed = await calendar_client.get(FEED, params={"key": ADMIN_KEY})
        assert feed.status_code == 200, feed.text
        events = {str(e["UID"]): e for e in Calendar.from_ical(feed.content).walk("VEVENT")}
        event = events[f"deadline-{estonia['id']}@resolute"]
        assert event.start == date.fromisoformat(council["due_date"])
        assert str(event["STATUS"]) == "TENTATIVE" and str(event["SUMMARY"]).startswith("(projected) ")


async def test_nato_pa_member_governments_are_the_allies_of_the_documents_year(stack: Stack) -> None:
    registry = default_registry()
    async with gateway_client(stack) as admin:
        older = await upload_file(admin, NATO_2001)
        text = NATO_BUNDLE_2025.read_text(encoding="utf-8")  # Resolution 501 of the 2025 bundle, on its own
        section = text[text.index("# FOSTERING STABILITY") : text.index("# SOLIDARITY WITH UKRAINE")]
        upload = await admin.post("/v1/documents", files={"file": ("nato-pa-resolution-501-2025.md",
                                                                   section.encode(), "text/markdown")})  # fmt: skip
        assert upload.status_code == 202, upload.text
        for document_id, adopted, allies in (
            (older, date(2001, 10, 9), 19),
            (upload.json()["id"], date(2025, 10, 13), 32),
        ):
            members = set(registry.members("nato-allies", adopted))
            assert len(members) == allies
            commitments = await _commitments(admin, document_id)
            assert {c["adopted"] for c in commitments} == {adopted.isoformat()}
            urged = [c for c in commitments if c["countries"]]  # not what it calls on Russia to do
            assert len(urged) >= 3
            for c in urged:
                assert set(c["countries"]) == members, c["text"]
            assigned = await _assigned(admin, urged[0]["id"], allies)
            assert {a["country"] for a in assigned} == members
        assert {"EE", "LV", "LT"}.isdisjoint(registry.members("nato-allies", date(2001, 10, 9)))


async def test_a_reorganisation_moves_open_assignments_only_once_an_admin_confirms(stack: Stack) -> None:
    async with gateway_client(stack) as admin:
        document_id = await upload_file(admin, RESOLUTION)  # uploaded by the first test: recognised, not repeated
        await _commitments(admin, document_id)

        async def estonian_defence() -> list[dict[str, Any]] | None:
            found = await all_pages(admin, "/v1/assignments", document_id=document_id, country="EE", ministry="defence")
            return found or None  # the resolution has Estonian defence items, once the tracker has planned them

        await eventually(estonian_defence, 120)
        await eventually(lambda: asyncio.to_thread(stack.drain, 5), 90, interval=1)  # every item planned
        defence = await all_pages(admin, "/v1/assignments", document_id=document_id, country="EE", ministry="defence")
        revisions = (await admin.get("/v1/actors/revisions")).json()["items"]

        code, merger = test_reorganisation(date(2026, 2, 1))  # in force before the stack's today
        editor = (await admin.post("/v1/api-keys", json={"scope": "editor"})).json()["key"]
        async with gateway_client(stack, editor) as secretariat:
            refused = await secretariat.post(f"/v1/actors/countries/{code}/reorganisations",
                                             json=merger.model_dump(mode="json"))  # fmt: skip
            assert refused.status_code == 403 and refused.headers["content-type"] == "application/problem+json"
        recorded = await admin.post(f"/v1/actors/countries/{code}/reorganisations", json=merger.model_dump(mode="json"))
        assert recorded.status_code == 201, recorded.text
        assert recorded.json()["proposals"] >= len(defence)

        proposals = await all_pages(admin, "/v1/reassignments", country="EE", ministry="defence", status="proposed")
        by_assignment = {p["assignment_id"]: p for p in proposals}
        assert {a["id"] for a in defence} <= set(by_assignment)
        assert {p["to_ministry"] for p in proposals} == {"defence-and-internal-security"}
        still = await all_pages(admin, "/v1/assignments", document_id=document_id, country="EE", ministry="defence")
        assert {a["id"] for a in still} == {a["id"] for a in defence}  # proposed, not moved

        first = defence[0]
        confirmed = await admin.post(f"/v1/reassignments/{by_assignment[first['id']]['id']}/confirm", json={})
        assert confirmed.status_code == 200, confirmed.text
        moved = (await admin.get(f"/v1/assignments/{first['id']}")).json()
        assert moved["ministry"] == "defence-and-internal-security"
        history = (await admin.get(f"/v1/assignments/{first['id']}/history")).json()["items"]
        assert [h["ministry"] for h in history][-2:] == ["defence", "defence-and-internal-security"]
        before = (await admin.get(f"/v1/assignments/{first['id']}", params={"as_of": history[-2]["at"]})).json()
        assert (before["ministry"], before["ministry_name"]) == ("defence", "Ministry of Defence")
        for other in defence[1:]:  # not confirmed: where they were
            assert (await admin.get(f"/v1/assignments/{other['id']}")).json()["ministry"] == "defence"

        old_registry = await admin.get("/v1/actors", params={"as_of": revisions[0]["created_at"], "country": "EE"})
        assert "defence" in {m["id"] for m in old_registry.json()["countries"][0]["ministries"]}
        now_registry = (await admin.get("/v1/actors", params={"country": "EE"})).json()
        assert "defence" not in {m["id"] for m in now_registry["countries"][0]["ministries"]}
