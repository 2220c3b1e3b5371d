"""Two tracker processes against one PostgreSQL (as two replicas run in production): the consumer group splits
the work, and each deadline milestone fires once, whichever replica's scheduler reaches it first."""

from __future__ import annotations

import asyncio
import uuid
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from resolute.cli.stack import Stack, free_port
from resolute.cli.testing import all_pages, gateway_client, running_stack, topic_messages, upload_file
from resolute.shared.testing.fixtures import REPO_ROOT, eventually
from resolute.shared.testing.postgres import PostgresServer
from resolute.shared.topics import DEADLINES

pytestmark = pytest.mark.e2e

ADMIN_KEY = "rsk_e2e-replicas-" + uuid.uuid4().hex
NATO_BUNDLE = REPO_ROOT / "corpus" / "nato-pa-policy-recommendations-2025.md"


@pytest.fixture
def stack(tmp_path: Path, postgres_server: PostgresServer | None) -> Iterator[Stack]:
    with running_stack(
        tmp_path / "stack",
        "postgresql",
        postgres_server,
        admin_key=ADMIN_KEY,
        now="2026-11-20T09:00:00Z",
        # small batches and frequent looks, so both schedulers are at work on the same rows at once
        extra_env={"RESOLUTE_TRACKER_SCHEDULER_INTERVAL": "0.2", "RESOLUTE_TRACKER_SCHEDULER_BATCH": "20"},
    ) as running:
        yield running


def fired_by(stack: Stack, name: str) -> float:
    """How many milestones this process fired (its own counter)."""
    text = httpx.get(stack._url(name) + "/metrics", timeout=5).text
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("resolute_tracker_deadline_events_total{")
    )


async def test_two_trackers_fire_each_milestone_once(stack: Stack) -> None:
    stack.start_replica("tracker", "tracker-2", free_port())
    stack.wait_ready("tracker-2")
    async with gateway_client(stack) as admin:
        document_id = await upload_file(admin, NATO_BUNDLE, "text/markdown")

        async def assigned() -> bool:
            card = await admin.get("/v1/scorecards/countries", params={"document_id": document_id})
            return card.status_code == 200 and sum(c["assignments"] for c in card.json()["items"]) == 143 * 32

        await eventually(assigned, 300, interval=2)
        # 33 items hang on the NATO summit "in The Hague": dating it makes 33 x 32 schedules due at once,
        # for both replicas' schedulers to race over
        summit = await admin.put(
            "/v1/calendar/occurrences/nato-summit/2025",
            json={"start": "2025-06-24", "end": "2025-06-25", "place": "The Hague"},
        )
        assert summit.status_code == 200, summit.text
        expected = (33 + 1 + 1) * 32  # the summit items and "in July 2025" overdue, "planned for 2026" approaching

        async def all_fired() -> bool:
            return fired_by(stack, "tracker") + fired_by(stack, "tracker-2") >= expected

        await eventually(all_fired, 240, interval=1)
        await eventually(lambda: asyncio.to_thread(stack.drain, 5), 240, interval=1)
        counts = (fired_by(stack, "tracker"), fired_by(stack, "tracker-2"))
        print(f"milestones fired by each replica: {counts}")
        assert sum(counts) == expected, counts  # each milestone fired by exactly one of them

        announced: dict[tuple[str, str, str], set[str]] = defaultdict(set)
        for message in await topic_messages(stack, DEADLINES.name):
            data = message["data"]
            announced[(data["assignment_id"], data["due_date"], data["milestone"])].add(message["id"])
        assert len(announced) == expected
        assert all(len(ids) == 1 for ids in announced.values())
        assignments = [
            (a["commitment_id"], a["country"])
            for a in await all_pages(admin, "/v1/assignments", limit=500, document_id=document_id)
        ]
        assert len(assignments) == len(set(assignments)) == 143 * 32
