"""Corrections survive new versions: a new version of a document keeps each editor's correction where the
commitment's source text is unchanged (fields, a narrowed span, a withdrawal, an addition), tells the tracker
the commitment as corrected, and lands in review, naming it, where the text changed."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from resolute.ingest.state import IngestState
from resolute.shared.testing.fixtures import REPO_ROOT
from resolute.shared.web.identity import PRINCIPAL_HEADER, SCOPE_HEADER
from resolute.shared.web.state import state_of

pytestmark = pytest.mark.integration

RESOLUTION = REPO_ROOT / "corpus" / "ba-44th-session-resolution-2025.txt"
EDITOR = {PRINCIPAL_HEADER: "key-editor", SCOPE_HEADER: "editor"}
INSERTED = "- to hold an annual Baltic resilience forum with the parliaments of the region;"


async def _upload(client: httpx.AsyncClient, text: str, **fields: str) -> dict[str, Any]:
    response = await client.post("/documents", files={"file": ("resolution.txt", text.encode())}, data=fields)
    assert response.status_code == 202, response.text
    return response.json()  # type: ignore[no-any-return]


async def _commitments(client: httpx.AsyncClient, document_id: str) -> list[dict[str, Any]]:
    response = await client.get(
        f"/documents/{document_id}/commitments", params={"limit": 500, "include_withdrawn": "true"}
    )
    assert response.status_code == 200, response.text
    return response.json()["items"]  # type: ignore[no-any-return]


async def _outbox(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    runtime = state_of(client.app, IngestState).runtime  # type: ignore[attr-defined]
    outbox = runtime.tables.outbox
    async with runtime.sessionmaker() as session:
        rows = (await session.execute(select(outbox.c.payload).order_by(outbox.c.id))).all()
    return [json.loads(payload) for (payload,) in rows]


async def _correct(client: httpx.AsyncClient, method: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.request(method, path, json=body, headers=EDITOR)
    assert response.status_code in (200, 201), response.text
    return response.json()  # type: ignore[no-any-return]


async def test_a_new_version_keeps_the_corrections_whose_text_is_unchanged(ingest: httpx.AsyncClient) -> None:
    original = RESOLUTION.read_text(encoding="utf-8")
    first = await _upload(ingest, original)
    items = await _commitments(ingest, first["id"])
    base = f"/documents/{first['id']}/commitments"
    recounted, dropped, reworded, narrowed = items[5], items[6], items[7], items[8]

    await _correct(ingest, "PATCH", f"{base}/{recounted['id']}", {"reason": "Estonia only", "countries": ["EE"]})
    await _correct(ingest, "POST", f"{base}/{dropped['id']}/withdraw", {"reason": "a wish, not a commitment"})
    await _correct(ingest, "PATCH", f"{base}/{reworded['id']}", {"reason": "Latvia only", "countries": ["LV"]})
    start, end = narrowed["span"]
    cut = original.index(",", start + 20, end)  # the item up to its first comma after the verb
    await _correct(ingest, "PATCH", f"{base}/{narrowed['id']}", {"reason": "one undertaking", "span": [start, cut]})
    intro = original.index("having discussed the results")
    added = await _correct(ingest, "POST", base, {"reason": "missed", "span": [intro, original.index("\n", intro)]})
    added_id = added["commitments"][0]["commitment_id"]
    narrowed_text = original[start:cut]
    corrected = {c["id"]: c for c in await _commitments(ingest, first["id"])}
    events_before = len(await _outbox(ingest))

    # version 2: one item inserted near the top (every offset below moves) and one item reworded
    lines = original.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("- "))
    lines.insert(at, INSERTED)
    second_text = "\n".join(lines)
    reworded_source = original[reworded["span"][0] : reworded["span"][1]]
    words = reworded_source.split()
    assert len(words) > 4
    second_text = second_text.replace(reworded_source, " ".join([*words[:2], "urgently", *words[2:]]), 1)
    second = await _upload(ingest, second_text, supersedes=first["id"])
    assert second["version"] == 2
    after = {c["id"]: c for c in await _commitments(ingest, second["id"])}

    kept = after[recounted["id"]]
    assert kept["countries"] == ["EE"] and "countries" in kept["corrected_fields"] and kept["revision"] == 1
    assert kept["text"] == recounted["text"] and kept["span"] != recounted["span"]  # moved down, as its text did
    assert after[dropped["id"]]["withdrawn"] and after[dropped["id"]]["withdrawn_reason"] == "a wish, not a commitment"
    narrowed_now = after[narrowed["id"]]
    assert narrowed_now["text"] == corrected[narrowed["id"]]["text"]
    assert second_text[narrowed_now["span"][0] : narrowed_now["span"][1]] == narrowed_text
    addition = after[added_id]
    assert (addition["origin"], addition["text"]) == ("added", corrected[added_id]["text"])
    assert (
        second_text[addition["span"][0] : addition["span"][1]]
        == original[corrected[added_id]["span"][0] : corrected[added_id]["span"][1]]
    )
    assert reworded["id"] not in after  # reworded: a new commitment, the corrected one withdrawn
    positions = [c["position"] for c in sorted(after.values(), key=lambda c: c["span"][0])]
    assert positions == sorted(positions) == list(range(len(after)))

    document = (await ingest.get(f"/documents/{second['id']}")).json()
    assert document["review_state"] == "needs_review"
    assert [r for r in document["review"] if reworded["id"] in r], document["review"]
    assert document["commitment_count"] == sum(1 for c in after.values() if not c["withdrawn"])

    events = (await _outbox(ingest))[events_before:]
    extracted = {e["data"]["commitment_id"]: e["data"] for e in events if e["type"] == "commitment.extracted.v1"}
    withdrawn = {e["data"]["commitment_id"] for e in events if e["type"] == "commitment.withdrawn.v1"}
    assert extracted[recounted["id"]]["countries"] == ["EE"]  # the tracker is told the corrected commitment
    assert extracted[added_id]["text"] == addition["text"]
    assert dropped["id"] not in extracted and dropped["id"] not in withdrawn  # withdrawn once, by the editor
    assert withdrawn == {reworded["id"]}


async def test_a_version_with_nothing_corrected_before_it_is_published_as_extracted(
    ingest: httpx.AsyncClient,
) -> None:
    original = RESOLUTION.read_text(encoding="utf-8")
    first = await _upload(ingest, original)
    second = await _upload(ingest, original.replace("\n- ", f"\n{INSERTED}\n- ", 1), supersedes=first["id"])
    document = (await ingest.get(f"/documents/{second['id']}")).json()
    assert document["review_state"] == "published" and document["review"] == []
    assert all(c["revision"] == 0 and c["corrected_fields"] == [] for c in await _commitments(ingest, second["id"]))
