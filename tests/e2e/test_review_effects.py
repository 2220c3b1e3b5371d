"""What a correction does downstream, in the whole stack on SQLite and PostgreSQL: the editor moves a commitment
from Lithuania to Poland and moves its deadline, through the gateway, and the tracker is killed while it is
taking the correction in. Lithuania's assignment is closed as superseded and Lithuania is told; Poland is
assigned and told; the deadlines follow; `as_of` shows the commitment before and after; and nobody is told
anything twice across the restart (a re-send carries the same webhook-id and is counted apart).
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from resolute.cli.stack import Stack
from resolute.cli.testing import all_pages, gateway_client, running_stack
from resolute.notifier.testing import Received, ScriptedReceiver
from resolute.shared.testing.fixtures import BACKENDS, eventually, serving
from resolute.shared.testing.postgres import PostgresServer

pytestmark = pytest.mark.e2e

ADMIN_KEY = "rsk_e2e-review-effects-" + uuid.uuid4().hex
RESOLUTION = """RESOLUTION
of the 52nd Session of the Baltic Assembly
Vilnius, 21 November 2033

The Baltic Assembly,

calls on the governments of Estonia, Latvia and Lithuania:
- to build a joint reserve of ammunition for their armed forces by the end of 2035;
"""
WATCHED = ["commitment.assigned", "commitment.revised", "assignment.status_changed"]


@pytest.fixture(params=BACKENDS)
def stack(request: pytest.FixtureRequest, tmp_path: Path, postgres_server: PostgresServer | None) -> Iterator[Stack]:
    with running_stack(tmp_path, request.param, postgres_server, admin_key=ADMIN_KEY) as running:
        yield running


def _effects(requests: list[Received]) -> tuple[Counter[tuple[str, str]], int]:
    """What a receiver was told, once per webhook-id: (type, subject) counts, and how many were re-sends."""
    seen: dict[str, tuple[str, str]] = {}
    resent = 0
    for received in requests:
        webhook_id = received.headers["webhook-id"]
        if webhook_id in seen:
            resent += 1
            continue
        body = json.loads(received.body)
        data = body["data"]
        subject = data.get("assignment_id") or data.get("commitment_id") or ""
        if body["type"] == "assignment.status_changed":
            subject = f"{subject}:{data.get('status')}"
        seen[webhook_id] = (body["type"], subject)
    return Counter(seen.values()), resent


@pytest.mark.timeout(600)
async def test_a_correction_tells_whom_it_concerns_once_across_a_tracker_killed_while_applying_it(
    stack: Stack,
) -> None:
    receiver = ScriptedReceiver()
    async with serving(receiver.app) as receiver_url, gateway_client(stack, timeout=60) as admin:
        for country in ("LT", "PL"):
            created = await admin.post(
                "/v1/subscriptions",
                json={"url": f"{receiver_url}/{country}", "event_types": WATCHED, "filter": {"countries": [country]},
                      "rate_limit": 1000},
            )  # fmt: skip
            assert created.status_code == 201, created.text
        upload = await admin.post("/v1/documents", json={"text": RESOLUTION, "publish": "at_once"})
        assert upload.status_code == 202, upload.text
        document_id = upload.json()["id"]

        async def tracked() -> dict[str, Any] | None:
            items = await all_pages(admin, "/v1/commitments", document_id=document_id)
            if not items:
                return None
            assignments = await all_pages(admin, "/v1/assignments", commitment_id=items[0]["id"])
            return items[0] if len(assignments) == 3 else None

        commitment = await eventually(tracked, 120)
        assert isinstance(commitment, dict)
        commitment_id = commitment["id"]
        assert sorted(commitment["countries"]) == ["EE", "LT", "LV"] and commitment["due_date"] == "2035-12-31"
        lt_assignment = next(
            a["id"] for a in await all_pages(admin, "/v1/assignments", commitment_id=commitment_id)
            if a["country"] == "LT"
        )  # fmt: skip
        await eventually(lambda: len(receiver.to("/LT")) >= 1, 60)  # Lithuania was told it was assigned
        before_correction = datetime.now(UTC).isoformat()

        corrected = await admin.patch(
            f"/v1/documents/{document_id}/commitments/{commitment_id}",
            json={"reason": "the session's minutes: Poland joined the reserve, Lithuania left it; due a year earlier",
                  "countries": ["EE", "LV", "PL"],
                  "deadline": {"kind": "date", "verbatim": "by 31 December 2034", "date": "2034-12-31"}},
        )  # fmt: skip
        assert corrected.status_code == 200, corrected.text
        stack.restart_service("tracker", kill=True)  # while it takes the correction in (or just after)

        async def followed() -> dict[str, Any] | None:
            detail = (await admin.get(f"/v1/commitments/{commitment_id}")).json()
            assignments = {
                a["country"]: a for a in await all_pages(admin, "/v1/assignments", commitment_id=commitment_id)
            }
            done = (
                sorted(detail["countries"]) == ["EE", "LV", "PL"]
                and assignments.get("LT", {}).get("status") == "superseded"
                and "PL" in assignments
                and _effects(receiver.to("/PL"))[0][("commitment.assigned", assignments["PL"]["id"])] == 1
                and _effects(receiver.to("/LT"))[0][("assignment.status_changed", f"{lt_assignment}:superseded")] == 1
            )
            return {"detail": detail, "assignments": assignments} if done else None

        state = await eventually(followed, 180)
        assert isinstance(state, dict)
        assert state["detail"]["due_date"] == "2034-12-31"
        pl_assignment = state["assignments"]["PL"]["id"]

        # the deadlines follow: every open assignment (Poland's new one too) is due on the corrected date
        deadlines = await all_pages(admin, "/v1/deadlines", document_id=document_id)
        due = {d["assignment_id"]: d["date"] for d in deadlines}
        assert pl_assignment in due and lt_assignment not in due
        assert set(due.values()) == {"2034-12-31"}

        # as it stood before the correction, and as it stands
        then = (await admin.get(f"/v1/commitments/{commitment_id}", params={"as_of": before_correction})).json()
        assert sorted(then["countries"]) == ["EE", "LT", "LV"] and then["due_date"] == "2035-12-31"

        assert stack.drain(60), "the pipeline did not settle after the restart"
        lt, lt_resent = _effects(receiver.to("/LT"))
        pl, pl_resent = _effects(receiver.to("/PL"))
        # Lithuania: assigned once, closed once, told of the revision once; Poland: assigned once, revision once
        assert lt == Counter({
            ("commitment.assigned", lt_assignment): 1,
            ("assignment.status_changed", f"{lt_assignment}:superseded"): 1,
            ("commitment.revised", commitment_id): 1,
        }), lt  # fmt: skip
        assert pl == Counter({("commitment.assigned", pl_assignment): 1, ("commitment.revised", commitment_id): 1}), pl
        revised = next(
            json.loads(r.body)["data"] for r in receiver.to("/LT") if json.loads(r.body)["type"] == "commitment.revised"
        )
        assert sorted(revised["previous_countries"]) == ["EE", "LT", "LV"] and sorted(revised["countries"]) == [
            "EE",
            "LV",
            "PL",
        ]
        assert {e["country"]: e["effect"] for e in revised["assignments"]} == {"LT": "superseded", "PL": "assigned"}
        print(f"re-sent with the same webhook-id: LT {lt_resent}, PL {pl_resent}")
