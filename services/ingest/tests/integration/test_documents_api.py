"""Uploading documents to ingest: stored once, extracted, published through the outbox; bad input changes nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from resolute.ingest.documents.models import Document
from resolute.ingest.main import create_app
from resolute.ingest.settings import IngestSettings
from resolute.shared.testing.broker import TansuBroker
from resolute.shared.testing.fixtures import REPO_ROOT, eventually, running_app

pytestmark = pytest.mark.integration

RESOLUTION = REPO_ROOT / "corpus" / "ba-44th-session-resolution-2025.txt"


@pytest.fixture
async def ingest(make_database: Callable[[str], str], kafka: TansuBroker) -> AsyncIterator[httpx.AsyncClient]:
    settings = IngestSettings(
        database_url=make_database("ingest"),
        kafka_bootstrap_servers=kafka.bootstrap_servers,
        kafka_session_timeout_ms=2000,
        max_document_bytes=200_000,
    )
    app = create_app(settings)
    async with running_app(app) as client:
        yield client


async def _count(client: httpx.AsyncClient, model: type) -> int:
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    async with runtime.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def _outbox_total(client: httpx.AsyncClient) -> int:
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    async with runtime.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(runtime.tables.outbox)) or 0)


async def test_upload_file_stores_extracts_and_publishes(ingest: httpx.AsyncClient) -> None:
    response = await ingest.post("/documents", files={"file": (RESOLUTION.name, RESOLUTION.read_bytes(), "text/plain")})
    assert response.status_code == 202, response.text
    accepted = response.json()
    assert accepted["status"] == "processed"
    document = (await ingest.get(f"/documents/{accepted['id']}")).json()
    assert document["status"] == "processed"
    assert document["commitment_count"] > 50
    commitments = (await ingest.get(f"/documents/{accepted['id']}/commitments")).json()
    assert len(commitments) == document["commitment_count"]
    text = (await ingest.get(f"/documents/{accepted['id']}/text")).json()
    first = commitments[0]
    start, end = first["span"]
    assert " ".join(text["text"][start:end].split()).startswith(first["text"][:40])
    assert await _outbox_total(ingest) == document["commitment_count"] + 1
    runtime = ingest.app.state.runtime  # type: ignore[attr-defined]
    await eventually(lambda: _backlog_empty(runtime), 30)


async def _backlog_empty(runtime: object) -> bool:
    backlog, _ = await runtime.relay.backlog()  # type: ignore[attr-defined]
    return backlog == 0


async def test_same_content_twice_is_one_document(ingest: httpx.AsyncClient) -> None:
    body = {"text": RESOLUTION.read_text(), "title": "44th session"}
    first = (await ingest.post("/documents", json=body)).json()
    second = await ingest.post("/documents", json=body)
    assert second.status_code == 202
    assert second.json()["id"] == first["id"]
    assert second.json()["duplicate"] is True
    assert await _count(ingest, Document) == 1


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({"files": {"file": ("empty.txt", b"   \n", "text/plain")}}, 422),
        ({"files": {"file": ("blob.bin", bytes(range(256)) * 8, "application/octet-stream")}}, 415),
        ({"files": {"file": ("big.txt", b"- to act;\n" * 30_000, "text/plain")}}, 413),
        ({"content": b"text=hello", "headers": {"content-type": "application/x-www-form-urlencoded"}}, 415),
        ({"content": b"{not json", "headers": {"content-type": "application/json"}}, 422),
        ({"json": {"title": "no text"}}, 422),
    ],
    ids=["empty", "binary", "too-large", "form-encoded", "malformed-json", "json-without-text"],
)
async def test_bad_uploads_get_a_problem_and_store_nothing(
    ingest: httpx.AsyncClient, kwargs: dict[str, object], status: int
) -> None:
    response = await ingest.post("/documents", **kwargs)  # type: ignore[arg-type]
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status
    assert problem["detail"]
    assert await _count(ingest, Document) == 0
    assert await _outbox_total(ingest) == 0


async def test_unknown_document_is_a_404_problem(ingest: httpx.AsyncClient) -> None:
    response = await ingest.get("/documents/nope")
    assert response.status_code == 404
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
    assert seen == list(reversed(ids))


def test_corpus_file_is_in_the_repository() -> None:
    assert Path(RESOLUTION).exists()
