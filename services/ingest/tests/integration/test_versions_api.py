"""A new version of a document supersedes the current one: lineage recorded, commitments keep their identity
where the text is the same, the rest withdrawn, and every event in the one transaction with the document."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaConsumer
from sqlalchemy import select

from resolute.ingest.state import IngestState
from resolute.shared.testing.broker import TansuBroker
from resolute.shared.testing.fixtures import REPO_ROOT, eventually
from resolute.shared.topics import COMMITMENTS
from resolute.shared.web.state import state_of

pytestmark = pytest.mark.integration

CORPUS = REPO_ROOT / "corpus"
RESOLUTION = CORPUS / "ba-44th-session-resolution-2025.txt"
NEW_ITEM = "- to hold an annual Baltic resilience forum with the parliaments of the region;"


def _item_lines(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if line.startswith(("- ", "\u2013 "))]


def amend(text: str) -> str:
    """A second version: one item dropped, one reworded, one moved to another section, one retyped, one added."""
    lines = text.split("\n")
    items = _item_lines(lines)
    dropped, reworded, moved, retyped, anchor, insert_after = (items[i] for i in (1, 2, 3, 4, 60, 10))
    lines[reworded] = lines[reworded].replace("to explore the feasibility", "to assess the feasibility")
    lines[retyped] = "\u2013 To  " + lines[retyped][len("- to ") :].replace(",", " ,")
    lines[insert_after] = lines[insert_after] + "\n" + NEW_ITEM
    lines[anchor] = lines[anchor] + "\n" + lines[moved]
    del lines[moved]
    del lines[dropped]
    return "\n".join(lines)


async def _upload(client: httpx.AsyncClient, text: str, **fields: str) -> dict[str, Any]:
    response = await client.post("/documents", files={"file": ("resolution.txt", text.encode())}, data=fields)
    assert response.status_code == 202, response.text
    return response.json()  # type: ignore[no-any-return]


async def _commitments(client: httpx.AsyncClient, document_id: str) -> list[dict[str, Any]]:
    response = await client.get(f"/documents/{document_id}/commitments", params={"limit": 500})
    assert response.status_code == 200, response.text
    return response.json()["items"]  # type: ignore[no-any-return]


async def _outbox(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    runtime = state_of(client.app, IngestState).runtime  # type: ignore[attr-defined]
    outbox = runtime.tables.outbox
    async with runtime.sessionmaker() as session:
        rows = (await session.execute(select(outbox.c.key, outbox.c.payload).order_by(outbox.c.id))).all()
    return [{"key": key, **json.loads(payload)} for key, payload in rows]


@pytest.mark.parametrize("named", [False, True], ids=["recognised-by-identity", "named-by-supersedes"])
async def test_a_new_version_supersedes_and_keeps_commitment_identity(
    ingest: httpx.AsyncClient, row_counts: Any, named: bool
) -> None:
    original = RESOLUTION.read_text(encoding="utf-8")
    first = await _upload(ingest, original)
    before = await _commitments(ingest, first["id"])
    events_before = len(await _outbox(ingest))

    second = await _upload(ingest, amend(original), **({"supersedes": first["id"]} if named else {}))
    assert (second["version"], second["supersedes"], second["duplicate"]) == (2, first["id"], False)
    assert (second["commitment_count"], second["withdrawn_count"]) == (91, 2)
    after = await _commitments(ingest, second["id"])

    by_text = {c["text"]: c for c in before}
    dropped, reworded, moved, retyped = before[1], before[2], before[3], before[4]
    kept = {c["id"] for c in after} & {c["id"] for c in before}
    assert kept == {c["id"] for c in before} - {dropped["id"], reworded["id"]}
    moved_now = next(c for c in after if c["id"] == moved["id"])
    assert moved_now["text"] == moved["text"] and moved_now["section"] != moved["section"]
    assert moved_now["position"] > 50 and moved_now["document_id"] == second["id"]
    assert any(c["id"] == retyped["id"] and c["text"] != retyped["text"] for c in after)
    new = [c for c in after if c["id"] not in kept]
    assert sorted(c["text"] for c in new) == sorted(
        [NEW_ITEM[2:].rstrip(";"), reworded["text"].replace("to explore", "to assess")]
    )
    assert all(by_text.get(c["text"], c)["id"] == c["id"] for c in after)

    old = (await ingest.get(f"/documents/{first['id']}")).json()
    assert (old["status"], old["superseded_by"], old["version"]) == ("superseded", second["id"], 1)
    assert old["superseded_at"] is not None
    current = (await ingest.get(f"/documents/{second['id']}")).json()
    assert (current["status"], current["lineage_id"], current["supersedes"]) == ("processed", first["id"], first["id"])
    if not named:
        assert current["warnings"] == []
    assert await _commitments(ingest, first["id"]) == before  # the old version stays readable as it was
    versions = (await ingest.get(f"/documents/{second['id']}/versions")).json()["items"]
    assert [(v["id"], v["version"], v["status"]) for v in versions] == [
        (first["id"], 1, "superseded"),
        (second["id"], 2, "processed"),
    ]

    events = (await _outbox(ingest))[events_before:]
    extracted = [e for e in events if e["type"] == "commitment.extracted.v1"]
    withdrawn = [e for e in events if e["type"] == "commitment.withdrawn.v1"]
    (processed,) = [e for e in events if e["type"] == "document.processed.v1"]
    assert [e["data"]["commitment_id"] for e in extracted] == [c["id"] for c in after]
    assert all(e["data"]["document_id"] == second["id"] and e["key"] == e["data"]["commitment_id"] for e in extracted)
    assert [e["data"]["position"] for e in extracted] == list(range(91))
    assert {e["data"]["commitment_id"] for e in withdrawn} == {dropped["id"], reworded["id"]}
    for event in withdrawn:
        assert event["key"] == event["data"]["commitment_id"]
        assert (event["data"]["document_id"], event["data"]["superseded_by"]) == (first["id"], second["id"])
    assert (processed["data"]["supersedes"], processed["data"]["version"]) == (first["id"], 2)
    assert len(events) == 91 + 2 + 1
    assert await row_counts(ingest) == {"documents": 2, "commitments": 182, "outbox": events_before + 94}


async def test_versions_chain_and_only_the_current_one_can_be_superseded(
    ingest: httpx.AsyncClient, row_counts: Any
) -> None:
    original = RESOLUTION.read_text(encoding="utf-8")
    v1 = await _upload(ingest, original)
    v2 = await _upload(ingest, amend(original))
    v3 = await _upload(ingest, original + "\n" + NEW_ITEM + "\n")
    assert (v3["version"], v3["supersedes"]) == (3, v2["id"])
    lineage = (await ingest.get(f"/documents/{v1['id']}/versions")).json()["items"]
    assert [(v["id"], v["status"], v["superseded_by"]) for v in lineage] == [
        (v1["id"], "superseded", v2["id"]),
        (v2["id"], "superseded", v3["id"]),
        (v3["id"], "processed", None),
    ]

    counts = await row_counts(ingest)
    stale = await ingest.post("/documents", json={"text": original.replace("Riga", "Rīga"), "supersedes": v1["id"]})
    assert stale.status_code == 409, stale.text
    assert stale.json()["superseded_by"] == v2["id"]
    assert stale.json()["type"].endswith("/already-superseded")
    assert await row_counts(ingest) == counts

    again = await _upload(ingest, original)  # the bytes of version 1: the same document, not a fourth version
    assert (again["id"], again["duplicate"], again["status"], again["superseded_by"]) == (
        v1["id"],
        True,
        "superseded",
        v2["id"],
    )
    assert await row_counts(ingest) == counts


async def test_naming_another_document_than_the_one_it_is_a_version_of_is_refused(
    ingest: httpx.AsyncClient, row_counts: Any
) -> None:
    earlier = (CORPUS / "ba-43rd-session-resolution-2024.txt").read_text(encoding="utf-8")
    later = RESOLUTION.read_text(encoding="utf-8")
    first = await _upload(ingest, earlier)
    second = await _upload(ingest, later)
    assert second["version"] == 1  # another session's resolution is another document
    counts = await row_counts(ingest)
    response = await ingest.post("/documents", json={"text": amend(later), "supersedes": first["id"]})
    assert response.status_code == 409, response.text
    assert response.json()["current"] == second["id"]
    assert await row_counts(ingest) == counts


async def test_an_explicit_supersedes_may_cross_identities_and_says_so(ingest: httpx.AsyncClient) -> None:
    draft = await _upload(
        ingest,
        "The working group calls on the governments of Estonia and Latvia to draft common rules of procedure.\n\n"
        "The working group urges the ministries of defence to elect a chair of the working group.\n",
    )
    assert draft["commitment_count"] == 2
    adopted = await _upload(ingest, RESOLUTION.read_text(encoding="utf-8"), supersedes=draft["id"])
    assert (adopted["version"], adopted["withdrawn_count"]) == (2, 2)
    assert any("differ" in w for w in adopted["warnings"])


async def test_concurrent_new_versions_line_up_instead_of_forking(ingest: httpx.AsyncClient) -> None:
    original = RESOLUTION.read_text(encoding="utf-8")
    v1 = await _upload(ingest, original)
    a, b = await asyncio.gather(_upload(ingest, amend(original)), _upload(ingest, original + "\n" + NEW_ITEM + "\n"))
    assert sorted([a["version"], b["version"]]) == [2, 3]
    lineage = (await ingest.get(f"/documents/{v1['id']}/versions")).json()["items"]
    assert [v["status"] for v in lineage] == ["superseded", "superseded", "processed"]
    assert [v["supersedes"] for v in lineage[1:]] == [lineage[0]["id"], lineage[1]["id"]]
    current = (await ingest.get("/documents", params={"status": "processed"})).json()["items"]
    assert [d["id"] for d in current] == [lineage[2]["id"]]


async def test_withdrawals_reach_the_broker_keyed_by_commitment(ingest: httpx.AsyncClient, kafka: TansuBroker) -> None:
    original = RESOLUTION.read_text(encoding="utf-8")
    first = await _upload(ingest, original)
    second = await _upload(ingest, amend(original))
    before = await _commitments(ingest, first["id"])
    consumer = AIOKafkaConsumer(
        COMMITMENTS.name, bootstrap_servers=kafka.bootstrap_servers, group_id=None, auto_offset_reset="earliest"
    )
    await consumer.start()
    seen: list[tuple[str, dict[str, Any]]] = []
    try:

        async def all_arrived() -> bool:
            for records in (await consumer.getmany(timeout_ms=500)).values():
                seen.extend((r.key.decode(), json.loads(r.value)) for r in records)
            return len(seen) >= 91 + 91 + 2

        await eventually(all_arrived, 60)
    finally:
        await consumer.stop()
    withdrawn = [(key, event) for key, event in seen if event["type"] == "commitment.withdrawn.v1"]
    assert sorted(key for key, _ in withdrawn) == sorted([before[1]["id"], before[2]["id"]])
    assert all(event["data"]["superseded_by"] == second["id"] for _, event in withdrawn)
    per_key: dict[str, list[str]] = {}
    for key, event in seen:
        per_key.setdefault(key, []).append(event["data"].get("document_id"))
    kept = before[5]["id"]
    assert per_key[kept] == [first["id"], second["id"]]  # one key, one partition: the versions in order
