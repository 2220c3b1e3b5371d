"""Uploading documents to ingest: stored once, extracted, published through the outbox; bad input changes nothing."""

from __future__ import annotations

import json

import httpx
import pytest
from aiokafka import AIOKafkaConsumer
from prometheus_client import REGISTRY

from resolute.ingest.state import IngestState
from resolute.shared.testing.broker import TansuBroker
from resolute.shared.testing.fixtures import REPO_ROOT, eventually
from resolute.shared.topics import COMMITMENTS, DOCUMENTS
from resolute.shared.web.state import state_of

pytestmark = pytest.mark.integration

RESOLUTION = REPO_ROOT / "corpus" / "ba-44th-session-resolution-2025.txt"
NOTHING_STORED = {"documents": 0, "commitments": 0, "outbox": 0}


async def _backlog_empty(runtime: object) -> bool:
    backlog, _ = await runtime.relay.backlog()  # type: ignore[attr-defined]
    return backlog == 0


async def _consume_all(kafka: TansuBroker, topic: str, expected: int) -> list[dict[str, object]]:
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=kafka.bootstrap_servers, group_id=None, auto_offset_reset="earliest"
    )
    await consumer.start()
    messages: list[dict[str, object]] = []
    try:

        async def read() -> bool:
            batches = await consumer.getmany(timeout_ms=500)
            for records in batches.values():
                messages.extend({"key": r.key.decode(), **json.loads(r.value)} for r in records)
            return len(messages) >= expected

        await eventually(read, 60)
    finally:
        await consumer.stop()
    return messages


async def test_upload_file_stores_extracts_and_publishes(ingest: httpx.AsyncClient, kafka: TansuBroker) -> None:
    response = await ingest.post("/documents", files={"file": (RESOLUTION.name, RESOLUTION.read_bytes(), "text/plain")})
    assert response.status_code == 202, response.text
    accepted = response.json()
    assert (accepted["status"], accepted["duplicate"], accepted["version"]) == ("processed", False, 1)
    assert accepted["commitment_count"] == 91
    document = (await ingest.get(f"/documents/{accepted['id']}")).json()
    assert document["status"] == "processed"
    assert (document["format"], document["version"], document["lineage_id"]) == ("text", 1, accepted["id"])
    assert document["supersedes"] is None and document["superseded_by"] is None
    assert document["title"] == "Resolution of the 44th Session of the Baltic Assembly"
    page = (await ingest.get(f"/documents/{accepted['id']}/commitments", params={"limit": 500})).json()
    assert len(page["items"]) == 91 and page["next_cursor"] is None

    runtime = state_of(ingest.app, IngestState).runtime  # type: ignore[attr-defined]
    await eventually(lambda: _backlog_empty(runtime), 30)
    extracted = await _consume_all(kafka, COMMITMENTS.name, 91)
    assert {m["type"] for m in extracted} == {"commitment.extracted.v1"}
    assert [m["data"]["commitment_id"] for m in sorted(extracted, key=lambda m: m["data"]["position"])] == [  # type: ignore[index]
        c["id"] for c in page["items"]
    ]
    assert all(m["key"] == m["data"]["commitment_id"] for m in extracted)  # type: ignore[index]
    (processed,) = await _consume_all(kafka, DOCUMENTS.name, 1)
    assert processed["type"] == "document.processed.v1"
    assert processed["data"]["document_id"] == accepted["id"]  # type: ignore[index]
    assert (processed["data"]["commitment_count"], processed["data"]["version"]) == (91, 1)  # type: ignore[index]


async def test_same_content_twice_is_one_document(ingest: httpx.AsyncClient, row_counts: object) -> None:
    body = {"text": RESOLUTION.read_text(), "title": "44th session"}
    first = (await ingest.post("/documents", json=body)).json()
    second = await ingest.post("/documents", json=body)
    assert second.status_code == 202
    assert second.json()["id"] == first["id"]
    assert second.json()["duplicate"] is True
    assert second.json()["commitment_count"] == first["commitment_count"]
    counts = await row_counts(ingest)  # type: ignore[operator]
    assert counts == {"documents": 1, "commitments": 91, "outbox": 92}


@pytest.mark.parametrize(
    ("kwargs", "status", "kind"),
    [
        ({"files": {"file": ("empty.txt", b"", "text/plain")}}, 422, "unreadable-document"),
        ({"files": {"file": ("blank.txt", b"   \n\t\n", "text/plain")}}, 422, "unreadable-document"),
        ({"files": {"file": ("blob.bin", bytes(range(256)) * 8)}}, 415, "unsupported-format"),
        ({"files": {"file": ("photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(500))}}, 415, "unsupported-format"),
        ({"files": {"file": ("big.txt", b"- to act;\n" * 300_000, "text/plain")}}, 413, "too-large"),
        ({"content": b"text=hello", "headers": {"content-type": "application/x-www-form-urlencoded"}}, 415, None),
        ({"content": b"{not json", "headers": {"content-type": "application/json"}}, 422, "validation"),
        ({"json": {"title": "no text"}}, 422, "validation"),
        ({"json": {"text": "- to act;", "kind": "novel"}}, 422, "validation"),
        ({"files": {"file": ("a.txt", b"- to act;")}, "data": {"kind": "novel"}}, 422, "validation"),
        ({"files": {"other": ("a.txt", b"- to act;")}}, 422, "validation"),
        ({"json": {"text": "- to act;", "supersedes": "no-such-document"}}, 422, "unknown-document"),
    ],
    ids=[
        "empty",
        "whitespace",
        "binary",
        "image-named-txt",
        "too-large",
        "form-encoded",
        "malformed-json",
        "json-without-text",
        "json-unknown-kind",
        "multipart-unknown-kind",
        "multipart-without-file",
        "supersedes-unknown",
    ],
)
async def test_bad_uploads_get_a_problem_and_store_nothing(
    ingest: httpx.AsyncClient, row_counts: object, kwargs: dict[str, object], status: int, kind: str | None
) -> None:
    response = await ingest.post("/documents", **kwargs)  # type: ignore[arg-type]
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status
    assert problem["detail"]
    if kind:
        assert problem["type"].endswith("/" + kind)
    assert await row_counts(ingest) == NOTHING_STORED  # type: ignore[operator]


async def test_a_failure_while_storing_leaves_nothing_behind(
    ingest: httpx.AsyncClient, row_counts: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime = state_of(ingest.app, IngestState).runtime  # type: ignore[attr-defined]
    add_many = runtime.outbox.add_many

    async def failing_add_many(session: object, events: list[object], **kwargs: object) -> None:
        await add_many(session, events[: len(events) // 2], **kwargs)  # half the events are written...
        raise RuntimeError("the database went away")  # ...when the transaction breaks

    monkeypatch.setattr(runtime.outbox, "add_many", failing_add_many)
    transport = httpx.ASGITransport(app=ingest.app, raise_app_exceptions=False)  # type: ignore[attr-defined]
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        response = await client.post("/documents", files={"file": (RESOLUTION.name, RESOLUTION.read_bytes())})
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert await row_counts(ingest) == NOTHING_STORED  # type: ignore[operator]
    monkeypatch.setattr(runtime.outbox, "add_many", add_many)
    again = await ingest.post("/documents", files={"file": (RESOLUTION.name, RESOLUTION.read_bytes())})
    assert again.status_code == 202 and again.json()["duplicate"] is False


async def test_unknown_document_is_a_404_problem(ingest: httpx.AsyncClient) -> None:
    for path in ("/documents/nope", "/documents/nope/commitments", "/documents/nope/text", "/documents/nope/versions"):
        response = await ingest.get(path)
        assert response.status_code == 404, path
        assert response.json()["title"] == "Not Found"


async def test_listing_pages_newest_first(ingest: httpx.AsyncClient) -> None:
    ids = []
    for n in range(5):
        ids.append((await ingest.post("/documents", json={"text": f"- to do thing number {n};"})).json()["id"])
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await ingest.get("/documents", params=params)).json()
        seen += [d["id"] for d in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == list(reversed(ids))  # texts of unknown origin never supersede one another
    current = (await ingest.get("/documents", params={"status": "processed"})).json()["items"]
    assert len(current) == 5
    assert (await ingest.get("/documents", params={"status": "bogus"})).status_code == 422
    assert (await ingest.get("/documents", params={"cursor": "!!"})).status_code == 400


async def test_listing_sorts_oldest_first_and_keeps_each_order_s_cursors_to_itself(ingest: httpx.AsyncClient) -> None:
    ids = [(await ingest.post("/documents", json={"text": f"- to sort thing {n};"})).json()["id"] for n in range(3)]
    first = (await ingest.get("/documents", params={"sort": "created_at", "limit": 2})).json()
    rest = (await ingest.get("/documents", params={"sort": "created_at", "cursor": first["next_cursor"]})).json()
    assert [d["id"] for d in first["items"] + rest["items"]] == ids and rest["next_cursor"] is None
    # a cursor carries its order: used with another order it is refused, not read as a wrong position
    mixed = await ingest.get("/documents", params={"cursor": first["next_cursor"]})
    assert mixed.status_code == 400 and mixed.json()["type"].endswith("/bad-cursor")
    assert (await ingest.get("/documents", params={"sort": "title"})).status_code == 422


def _sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_ingest_metrics_count_documents_by_format_and_outcome(ingest: httpx.AsyncClient) -> None:
    before = {
        "processed": _sample("resolute_ingest_documents_total", format="text", outcome="processed"),
        "duplicate": _sample("resolute_ingest_documents_total", format="text", outcome="duplicate"),
        "unsupported": _sample("resolute_ingest_documents_total", format="unknown", outcome="unsupported"),
        "unreadable": _sample("resolute_ingest_documents_total", format="unknown", outcome="unreadable"),
        "commitments": _sample("resolute_ingest_commitments_extracted_total"),
        "timed": _sample("resolute_ingest_extraction_seconds_count"),
    }
    upload = {"file": (RESOLUTION.name, RESOLUTION.read_bytes(), "text/plain")}
    assert (await ingest.post("/documents", files=upload)).status_code == 202
    assert (await ingest.post("/documents", files=upload)).status_code == 202
    assert (await ingest.post("/documents", files={"file": ("x", b"\x7fELF" + bytes(64))})).status_code == 415
    assert (await ingest.post("/documents", files={"file": ("x", b"")})).status_code == 422
    assert _sample("resolute_ingest_documents_total", format="text", outcome="processed") == before["processed"] + 1
    assert _sample("resolute_ingest_documents_total", format="text", outcome="duplicate") == before["duplicate"] + 1
    assert (
        _sample("resolute_ingest_documents_total", format="unknown", outcome="unsupported") == before["unsupported"] + 1
    )
    assert (
        _sample("resolute_ingest_documents_total", format="unknown", outcome="unreadable") == before["unreadable"] + 1
    )
    assert _sample("resolute_ingest_commitments_extracted_total") == before["commitments"] + 91
    assert _sample("resolute_ingest_extraction_seconds_count") == before["timed"] + 1
    exposition = (await ingest.get("/metrics")).text
    for name in (
        "resolute_ingest_documents_total",
        "resolute_ingest_commitments_extracted_total",
        "resolute_ingest_extraction_seconds_bucket",
    ):
        assert name in exposition
