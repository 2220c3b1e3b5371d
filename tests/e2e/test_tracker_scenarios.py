"""The tracker in the whole stack (broker + four service processes), driven through the gateway only.

- An Estonian ministry subscribed to deadline reminders is told the proposals for the 32nd Baltic Council are
  due in 7 days, once an admin confirms the Council for 27 November 2026 (the stack stands at 20 Nov 2026).
- The tracker killed with SIGKILL while it processes the 143-item NATO PA bundle loses nothing and repeats
  nothing: every assignment exists once, no deadline milestone is announced twice.

Runs once on SQLite (the embedded default) and once on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import defaultdict
from collections.abc import Iterator
from typing import Any, cast

import pytest
from standardwebhooks.webhooks import Webhook

from resolute.cli.stack import Stack
from resolute.cli.testing import all_pages, gateway_client, running_stack, topic_messages, upload_file
from resolute.shared.testing.fixtures import BACKENDS, REPO_ROOT, WebhookReceiver, eventually, serving
from resolute.shared.testing.postgres import PostgresServer
from resolute.shared.topics import ASSIGNMENTS, DEADLINES

pytestmark = pytest.mark.e2e

ADMIN_KEY = "rsk_e2e-tracker-" + uuid.uuid4().hex
NOW = "2026-11-20T09:00:00Z"
RESOLUTION = REPO_ROOT / "corpus" / "ba-44th-session-resolution-2025.txt"
NATO_BUNDLE = REPO_ROOT / "corpus" / "nato-pa-policy-recommendations-2025.md"


@pytest.fixture(scope="module", params=BACKENDS)
def stack(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, postgres_server: PostgresServer | None
) -> Iterator[Stack]:
    with running_stack(
        tmp_path_factory.mktemp(f"tracker-{request.param}"),
        request.param,
        postgres_server,
        admin_key=ADMIN_KEY,
        now=NOW,
        retry_schedule="1,1,1",
        extra_env={"RESOLUTE_TRACKER_SCHEDULER_INTERVAL": "1"},
    ) as running:
        yield running


async def test_an_estonian_ministry_is_told_the_32nd_baltic_council_approaches(stack: Stack) -> None:
    receiver = WebhookReceiver()
    async with serving(receiver.app) as receiver_url, gateway_client(stack) as admin:
        ministry_key = (await admin.post("/v1/api-keys", json={"scope": "ministry:EE:government-office"})).json()["key"]
        secret = await _subscribe(stack, ministry_key, f"{receiver_url}/resolute")
        council = await _the_council_is_confirmed(admin)

        def approaching_estonia() -> list[dict[str, Any]]:
            verifier = Webhook(secret)
            found = []
            for headers, body in receiver.requests:
                payload = verifier.verify(body, headers)  # signed with the subscription's secret
                data = payload["data"]
                if payload["type"] == "deadline.approaching" and data["commitment_id"] == council["id"]:
                    found.append(payload)
            # the Baltic Council of Ministers' assignment (no country) matches the filter too: wait for Estonia's
            return found if any(p["data"]["country"] == "EE" for p in found) else []

        deliveries = cast(list[dict[str, Any]], await eventually(approaching_estonia, 120))
        estonian = [d for d in deliveries if d["data"]["country"] == "EE"]
        assert len(estonian) == 1
        data = estonian[0]["data"]
        assert (data["ministry"], data["due_date"], data["days_left"], data["projected"]) == (
            "government-office", "2026-11-27", 7, False,
        )  # fmt: skip
        assert (data["milestone"], data["series"], data["ordinal"]) == ("approaching-7", "baltic-council", 32)
        deadlines = await all_pages(admin, "/v1/deadlines", country="EE", to="2026-12-31")
        assert [(d["commitment_id"], d["date"], d["projected"]) for d in deadlines] == [
            (council["id"], "2026-11-27", False)
        ]
        await asyncio.to_thread(stack.drain, 30)
        assert len([d for d in approaching_estonia() if d["data"]["country"] == "EE"]) == 1  # told once
        await _bad_confirmations_change_nothing(stack, admin, ministry_key)


async def _subscribe(stack: Stack, ministry_key: str, url: str) -> str:
    """Estonia's Government Office subscribes to its approaching deadlines; the subscription's secret."""
    async with gateway_client(stack, ministry_key) as ministry:
        subscription = await ministry.post(
            "/v1/subscriptions",
            json={"url": url, "event_types": ["deadline.approaching"],
                  "filter": {"countries": ["EE"], "ministries": ["government-office"]}},
        )  # fmt: skip
    assert subscription.status_code == 201, subscription.text
    return str(subscription.json()["secret"])


async def _the_council_is_confirmed(admin: Any) -> dict[str, Any]:
    """The resolution is uploaded; its item due at the 32nd Baltic Council has a projected date at once, and a
    firm one once an admin confirms it."""
    document_id = await upload_file(admin, RESOLUTION)
    expected = (await admin.get(f"/v1/documents/{document_id}")).json()["commitment_count"]

    async def listed() -> list[dict[str, Any]] | None:
        found = await all_pages(admin, "/v1/commitments", document_id=document_id)
        return found if len(found) == expected else None

    commitments = cast(list[dict[str, Any]], await eventually(listed, 90))
    council = next(c for c in commitments if "32nd Baltic Council" in (c["deadline"] or {}).get("verbatim", ""))
    # projected from the shipped calendar history (8 November: passed, and a projection is never overdue)
    assert "present" in council["text"] and council["due_projected"] is True and council["due_date"] < "2026-11-20"
    confirmed = await admin.put(
        "/v1/calendar/occurrences/baltic-council/32",
        json={"start": "2026-11-27", "end": "2026-11-28", "place": "Tallinn"},
    )
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["state"] == "confirmed"
    detail = (await admin.get(f"/v1/commitments/{council['id']}")).json()
    assert (detail["due_date"], detail["due_projected"]) == ("2026-11-27", False)
    return council


async def _bad_confirmations_change_nothing(stack: Stack, admin: Any, ministry_key: str) -> None:
    """A wrong confirmation is refused and changes nothing; a ministry key may not confirm at all."""
    bad = await admin.put("/v1/calendar/occurrences/baltic-council/32", json={"start": "2026-11-27",
                                                                            "end": "2026-11-26"})  # fmt: skip
    assert bad.status_code == 422 and bad.headers["content-type"] == "application/problem+json"
    async with gateway_client(stack, ministry_key) as ministry:
        forbidden = await ministry.put("/v1/calendar/occurrences/baltic-council/32", json={"start": "2026-12-01"})
        assert forbidden.status_code == 403
    assert (await admin.get("/v1/calendar/occurrences/baltic-council/32")).json()["start"] == "2026-11-27"


async def test_a_tracker_killed_mid_bundle_loses_and_repeats_nothing(stack: Stack) -> None:
    async with gateway_client(stack) as admin:
        # the NATO summit in The Hague, so the bundle's "at their Summit meeting" deadlines have a date
        summit = await admin.put(
            "/v1/calendar/occurrences/nato-summit/2025",
            json={"start": "2025-06-24", "end": "2025-06-25", "place": "The Hague"},
        )
        assert summit.status_code == 200, summit.text
        document_id = await upload_file(admin, NATO_BUNDLE)
        assert (await admin.get(f"/v1/documents/{document_id}")).json()["commitment_count"] == 143

        async def assigned_so_far() -> int:
            card = await admin.get("/v1/scorecards/countries", params={"document_id": document_id})
            return sum(c["assignments"] for c in card.json()["items"]) if card.status_code == 200 else 0

        async def some_assigned() -> int:
            return await assigned_so_far()

        await eventually(some_assigned, 90, interval=0.05)
        stack.stop_service("tracker", kill=True)  # SIGKILL, mid-bundle
        assigned_before = sum(
            1 for m in await topic_messages(stack, ASSIGNMENTS.name) if m["type"] == "commitment.assigned.v1"
        )
        stack.start_service("tracker")
        stack.wait_ready("tracker")

        async def all_assigned() -> bool:
            return await assigned_so_far() >= 143 * 32

        await eventually(all_assigned, 300, interval=2)
        assert assigned_before < 143 * 32  # it really was killed before finishing
        assignments = await all_pages(admin, "/v1/assignments", limit=500, document_id=document_id)
        keys = [(a["commitment_id"], a["country"]) for a in assignments]
        assert len(keys) == len(set(keys)) == 143 * 32

        nato = {a["id"] for a in assignments}
        # 33 summit items and "in July 2025" are overdue; "planned for 2026" approaches (90 days): each x 32
        expected = (33 + 1 + 1) * 32

        async def announced_milestones() -> dict[tuple[str, str, str], set[str]]:
            announced: dict[tuple[str, str, str], set[str]] = defaultdict(set)
            for message in await topic_messages(stack, DEADLINES.name):
                data = message["data"]
                announced[(data["assignment_id"], data["due_date"], data["milestone"])].add(message["id"])
            return announced

        async def all_announced() -> bool:
            return len({key for key in await announced_milestones() if key[0] in nato}) >= expected

        await eventually(all_announced, 240, interval=2)  # a lost milestone would never come
        await eventually(lambda: asyncio.to_thread(stack.drain, 5), 240, interval=1)
        announced = await announced_milestones()
        twice = {key: ids for key, ids in announced.items() if len(ids) > 1}
        assert not twice  # a re-published message keeps its id; no milestone was ever fired twice
        assert len({key for key in announced if key[0] in nato}) == expected
        assigned_ids: dict[str, set[str]] = defaultdict(set)
        for message in await topic_messages(stack, ASSIGNMENTS.name):
            if message["type"] == "commitment.assigned.v1" and message["data"]["assignment_id"] in nato:
                assigned_ids[message["data"]["assignment_id"]].add(message["id"])
        assert len(assigned_ids) == 143 * 32 and all(len(ids) == 1 for ids in assigned_ids.values())


async def test_reports_through_the_gateway_keep_to_roles_and_ownership(stack: Stack) -> None:
    async with gateway_client(stack) as admin:
        keys = {}
        for scope in ("ministry:EE:defence", "ministry:EE:interior", "reader", "editor"):
            keys[scope] = (await admin.post("/v1/api-keys", json={"scope": scope})).json()["key"]
        document_id = await upload_file(admin, RESOLUTION)  # already there: the upload is recognised, not repeated

        async def defence() -> list[dict[str, Any]] | None:
            found = await all_pages(admin, "/v1/assignments", document_id=document_id, country="EE", ministry="defence")
            return found or None

        assignment = cast(list[dict[str, Any]], await eventually(defence, 90))[0]
        url = f"/v1/assignments/{assignment['id']}/status"
        async with (
            gateway_client(stack, keys["ministry:EE:defence"]) as owner,
            gateway_client(stack, keys["ministry:EE:interior"]) as other,
            gateway_client(stack, keys["reader"]) as reader,
            gateway_client(stack, keys["editor"]) as editor,
        ):
            unknown = await owner.post(url, json={"status": "nearly-there"})
            assert unknown.status_code == 422 and unknown.headers["content-type"] == "application/problem+json"
            not_theirs = await other.post(url, json={"status": "completed"})
            assert not_theirs.status_code == 403 and not_theirs.json()["type"].endswith("/forbidden")
            assert (await reader.post(url, json={"status": "completed"})).status_code == 403
            claimed = await owner.post(
                url, json={"status": "in_progress", "evidence_urls": ["https://www.kaitseministeerium.ee/en"]}
            )
            assert claimed.status_code == 200, claimed.text
            assert (await editor.post(url, json={"status": "in_progress"})).json()["verification"] == "verified"
            reassign = f"/v1/assignments/{assignment['id']}/reassign"
            assert (await editor.post(reassign, json={"ministry": "interior"})).status_code == 403
            history = (await reader.get(f"/v1/assignments/{assignment['id']}/history")).json()["items"]
            assert [(h["kind"], h["status"]) for h in history] == [
                ("assigned", "not_reported"), ("claim", "in_progress"), ("verification", "in_progress"),
            ]  # fmt: skip
            card = (await reader.get("/v1/scorecards/ministries", params={"country": "EE"})).json()["items"]
            assert next(m for m in card if m["ministry"] == "defence")["verified"] >= 1
            actors = (await reader.get("/v1/actors", params={"country": "EE"})).json()
            assert "defence" in {m["id"] for m in actors["countries"][0]["ministries"]}
            assert (await reader.put("/v1/actors/countries/EE/ministries/space", json={"name": "x"})).status_code == 403
