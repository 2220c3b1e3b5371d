"""Review and correction in the whole stack, driven through the gateway as an editor would: a commitment split
in two and two merged into one reach the tracker, whose commitments and assignments follow (the new part
assigned like the one it came from, the merged-away one withdrawn with its assignments superseded).

One stack on SQLite (the embedded default): ingest's review tests run the same rules on PostgreSQL.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from resolute.cli.stack import Stack
from resolute.cli.testing import all_pages, gateway_client, running_stack
from resolute.shared.testing.fixtures import REPO_ROOT, eventually

pytestmark = pytest.mark.e2e

ADMIN_KEY = "rsk_e2e-review-" + uuid.uuid4().hex
RESOLUTION = REPO_ROOT / "corpus" / "ba-44th-session-resolution-2025.txt"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack(tmp_path_factory.mktemp("review"), "sqlite", None, admin_key=ADMIN_KEY) as running:
        yield running


async def _tracked(admin: httpx.AsyncClient, document_id: str) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in await all_pages(admin, "/v1/commitments", document_id=document_id)}


async def _assignments(admin: httpx.AsyncClient, commitment_id: str) -> list[dict[str, Any]]:
    return await all_pages(admin, "/v1/assignments", commitment_id=commitment_id)


async def test_a_split_and_a_merge_reach_the_tracker(stack: Stack) -> None:
    text = RESOLUTION.read_text(encoding="utf-8").replace("44th Session", "48th Session")  # no other test's document
    async with gateway_client(stack, timeout=120) as admin:
        upload = await admin.post("/v1/documents", files={"file": ("ba-48.txt", text.encode())})
        assert upload.status_code == 202, upload.text
        document = upload.json()
        assert document["review_state"] == "published"
        stored = (await admin.get(f"/v1/documents/{document['id']}/text")).json()
        items = stored["commitments"]

        async def all_tracked() -> bool:
            return len(await _tracked(admin, document["id"])) == len(items)

        await eventually(all_tracked, 120)
        base = f"/v1/documents/{document['id']}/commitments"

        index, target = next((i, c) for i, c in enumerate(items) if " and " in c["text"] and c["countries"])
        start, end = target["span"]
        cut = stored["text"].index(" and ", start, end)
        split = await admin.post(
            f"{base}/{target['id']}/split",
            json={
                "reason": "two undertakings in one item",
                "parts": [{"span": [start, cut]}, {"span": [cut + 5, end]}],
            },
        )
        assert split.status_code == 201, split.text
        first, second = split.json()["commitments"]
        before = await _assignments(admin, target["id"])
        assert before

        async def split_followed() -> bool:
            tracked = await _tracked(admin, document["id"])
            new = tracked.get(second["commitment_id"])
            return (
                new is not None
                and tracked[target["id"]]["text"] == first["after"]["text"]
                and len(await _assignments(admin, second["commitment_id"])) == len(before)
            )

        await eventually(split_followed, 120)
        new_assignments = await _assignments(admin, second["commitment_id"])
        assert {(a["country"], a["ministry"], a["body"]) for a in new_assignments} == {
            (a["country"], a["ministry"], a["body"]) for a in before
        }  # the new part is owed by whoever owed the commitment it came from

        a, b = items[index + 2 : index + 4]  # two neighbours after the split ones
        merged = await admin.post(
            f"{base}/merge", json={"reason": "one undertaking read as two", "commitment_ids": [a["id"], b["id"]]}
        )
        assert merged.status_code == 200, merged.text

        async def merge_followed() -> bool:
            gone = (await admin.get(f"/v1/commitments/{b['id']}")).json()
            survivor = (await admin.get(f"/v1/commitments/{a['id']}")).json()
            return bool(gone["withdrawn"]) and survivor["text"] == f"{a['text']}; {b['text']}"

        await eventually(merge_followed, 120)
        assert {x["status"] for x in await _assignments(admin, b["id"])} == {"superseded"}
        standing = await all_pages(admin, "/v1/commitments", document_id=document["id"], withdrawn=False)
        assert b["id"] not in {c["id"] for c in standing} and len(standing) == len(items)  # one split off, one gone
        history = (await admin.get(f"/v1/commitments/{a['id']}/corrections")).json()["items"]
        assert [(c["kind"], c["reason"]) for c in history] == [("merge", "one undertaking read as two")]


async def test_a_correction_of_the_documents_facts_reaches_the_tracker(stack: Stack) -> None:
    """The editor dates the 32nd Baltic Council the resolution reports to and corrects the title: the
    tracker's commitments carry the new title, and the deadlines hanging on that Council leave their projection
    for the corrected date."""
    text = RESOLUTION.read_text(encoding="utf-8").replace("44th Session", "49th Session")
    async with gateway_client(stack, timeout=120) as admin:
        upload = await admin.post("/v1/documents", files={"file": ("ba-49.txt", text.encode())})
        assert upload.status_code == 202, upload.text
        document = upload.json()

        async def all_tracked() -> bool:
            return len(await _tracked(admin, document["id"])) == document["commitment_count"]

        await eventually(all_tracked, 120)
        tracked = await _tracked(admin, document["id"])
        on_council = [
            c for c in tracked.values() if (c["deadline_series"], c["deadline_ordinal"]) == ("baltic-council", 32)
        ]
        assert on_council and all(c["due_projected"] for c in on_council)
        parts = (await admin.get(f"/v1/documents/{document['id']}")).json()["parts"]
        council = {"series": "baltic-council", "ordinal": 32, "start": "2026-11-27", "end": "2026-11-27",
                   "place": "Tallinn"}  # fmt: skip
        title = "Resolution of the 49th Session of the Baltic Assembly (corrected heading)"
        corrected = await admin.patch(
            f"/v1/documents/{document['id']}/facts",
            json={"reason": "dated in the annex", "title": title,
                  "calendar_facts": [*parts[0]["calendar_facts"], council]},
        )  # fmt: skip
        assert corrected.status_code == 200, corrected.text
        assert [c["field"] for c in corrected.json()["document"]] == ["title", "calendar_facts"]

        async def followed() -> bool:
            now = await _tracked(admin, document["id"])
            return all(c["document_title"] == title for c in now.values()) and all(
                (now[c["id"]]["due_date"], now[c["id"]]["due_projected"]) == ("2026-11-27", False) for c in on_council
            )

        await eventually(followed, 120)
        one = (await admin.get(f"/v1/commitments/{on_council[0]['id']}")).json()
        assert one["document_title"] == title
