"""Every format through the API, told apart by content; spans index the stored text exactly; what cannot be read
is refused with a problem (415, 422, 413) and leaves no row and no event behind."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from resolute.ingest.documents.versions import normalise_text
from resolute.ingest.main import create_app
from resolute.ingest.settings import IngestSettings
from resolute.ingest.testing.documents import (
    empty_web_page,
    image_only_pdf,
    typeset_pdf,
    web_page,
    word_document,
)
from resolute.ingest.testing.hostile import deeply_nested_html, docx_bomb, pdf_double_flate_bomb, pdf_flate_bomb
from resolute.shared.testing.broker import TansuBroker
from resolute.shared.testing.fixtures import REPO_ROOT, running_app, serving

pytestmark = pytest.mark.integration

CORPUS = REPO_ROOT / "corpus"
RESOLUTION = (CORPUS / "ba-44th-session-resolution-2025.txt").read_text(encoding="utf-8")
BUNDLE = (CORPUS / "nato-pa-policy-recommendations-2025.md").read_text(encoding="utf-8")
NOTHING_STORED = {"documents": 0, "commitments": 0, "outbox": 0}
MB = 1024 * 1024


def _sample(kind: str) -> bytes:
    if kind == "text":
        return RESOLUTION.encode()
    if kind == "markdown":
        return BUNDLE.encode()
    if kind == "pdf":
        return typeset_pdf(RESOLUTION)
    if kind == "html":
        return web_page(RESOLUTION, title="Resolution of the 44th Session | Baltic Assembly")
    if kind == "docx":
        return word_document(RESOLUTION)
    raise AssertionError(kind)


@pytest.mark.parametrize(
    ("fmt", "commitments", "parts"),
    [("text", 91, 1), ("markdown", 143, 8), ("pdf", 91, 1), ("html", 91, 1), ("docx", 91, 1)],
)
async def test_each_format_is_detected_from_content_and_spans_index_the_stored_text(
    ingest: httpx.AsyncClient, fmt: str, commitments: int, parts: int
) -> None:
    # a name and media type that say nothing: the bytes decide
    upload = {"file": ("upload.bin", _sample(fmt), "application/octet-stream")}
    accepted = (await ingest.post("/documents", files=upload)).json()
    assert accepted["status"] == "processed", accepted
    assert accepted["commitment_count"] == commitments
    document = (await ingest.get(f"/documents/{accepted['id']}")).json()
    assert document["format"] == fmt
    assert len(document["parts"]) == parts

    body = (await ingest.get(f"/documents/{accepted['id']}/text")).json()
    text = body["text"]
    assert (body["format"], body["offsets"], len(body["commitments"])) == (fmt, "unicode_code_points", commitments)
    for commitment in body["commitments"]:
        start, end = commitment["span"]
        assert 0 <= start < end <= len(text)
        assert normalise_text(text[start:end]) == normalise_text(commitment["text"]), commitment["text"][:60]
    if fmt == "html":
        debris = ("cookies", "Accept all", "Sessions", "Share on", "Related documents", "Last updated", "analytics")
        assert not [d for d in debris if d in text]
    if fmt == "text":
        assert text == RESOLUTION  # plain text is stored as uploaded, so spans index the file itself


async def test_spans_can_be_had_in_utf16_units_for_javascript(ingest: httpx.AsyncClient) -> None:
    text = "\U0001f4dc " + RESOLUTION  # a scroll emoji: one code point, two UTF-16 units
    accepted = (await ingest.post("/documents", json={"text": text})).json()
    points = (await ingest.get(f"/documents/{accepted['id']}/text")).json()
    units = (await ingest.get(f"/documents/{accepted['id']}/text", params={"offsets": "utf16"})).json()
    assert units["offsets"] == "utf16"
    encoded = units["text"].encode("utf-16-le")
    for by_point, by_unit in zip(points["commitments"], units["commitments"], strict=True):
        (s, e), (us, ue) = by_point["span"], by_unit["span"]
        assert (us, ue) == (s + 1, e + 1)
        assert encoded[us * 2 : ue * 2].decode("utf-16-le") == points["text"][s:e]
    assert (await ingest.get(f"/documents/{accepted['id']}/text", params={"offsets": "bytes"})).status_code == 422


async def test_a_stray_nul_in_a_text_is_stored_on_any_database(ingest: httpx.AsyncClient) -> None:
    content = (RESOLUTION[:15_000] + "\x00" + RESOLUTION[15_000:]).encode()
    accepted = await ingest.post("/documents", files={"file": ("resolution.txt", content)})
    assert accepted.status_code == 202, accepted.text
    assert accepted.json()["commitment_count"] == 91
    assert any("NUL" in w for w in accepted.json()["warnings"])
    refused = await ingest.post("/documents", json={"text": RESOLUTION, "title": "with a \x00 in it"})
    assert refused.status_code == 422


@pytest.mark.parametrize(
    ("name", "content", "status", "format_said"),
    [
        ("scan.pdf", image_only_pdf(), 422, "text layer"),
        ("page.html", empty_web_page(), 422, "no main text"),
        ("empty.docx", word_document(""), 422, "without text"),
        ("broken.pdf", typeset_pdf(RESOLUTION)[:3000], 422, "damaged"),
        ("sheet.xlsx", b"PK\x03\x04" + bytes(100), 422, "damaged"),
        ("archive.gz", b"\x1f\x8b\x08\x00" + bytes(200), 415, "gzip"),
        ("empty.txt", b"", 422, "empty"),
        ("bomb.pdf", pdf_flate_bomb(), 413, "decompression bomb"),
        ("bomb2.pdf", pdf_double_flate_bomb(), 413, "decompression bomb"),
        ("bomb.docx", docx_bomb(), 413, "decompression bomb"),
        ("nested.html", deeply_nested_html(), 422, "nested more than"),
    ],
    ids=[
        "pdf-no-text-layer",
        "html-no-document",
        "empty-docx",
        "truncated-pdf",
        "broken-zip",
        "gzip",
        "empty",
        "pdf-flate-bomb",
        "pdf-double-flate-bomb",
        "docx-bomb",
        "html-nested-5000",
    ],
)
async def test_unreadable_documents_are_refused_clearly_and_store_nothing(
    ingest: httpx.AsyncClient, row_counts: Any, name: str, content: bytes, status: int, format_said: str
) -> None:
    response = await ingest.post("/documents", files={"file": (name, content)})
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert format_said in response.json()["detail"].lower()
    assert await row_counts(ingest) == NOTHING_STORED


@pytest.fixture
async def ingest_20mb(make_database: Any, kafka: TansuBroker) -> AsyncIterator[httpx.AsyncClient]:
    settings = IngestSettings(
        database_url=make_database("ingest"),
        kafka_bootstrap_servers=kafka.bootstrap_servers,
        max_document_bytes=20 * MB,
    )
    app = create_app(settings)
    received = 0

    async def counting_app(scope: Any, receive: Any, send: Any) -> None:
        async def counted_receive() -> Any:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            return message

        await app(scope, counted_receive if scope["type"] == "http" else receive, send)

    async with running_app(app):
        transport = httpx.ASGITransport(app=counting_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://service") as counting:
            counting.app = app  # type: ignore[attr-defined]
            counting.received = lambda: received  # type: ignore[attr-defined]
            yield counting


async def _fifty_megabytes_of_multipart(chunk: int = 256 * 1024) -> AsyncIterator[bytes]:
    yield b'--b0undary\r\ncontent-disposition: form-data; name="file"; filename="huge.txt"\r\n\r\n'
    line = b"- to keep adding to an ever longer document;\n"
    block = line * (chunk // len(line))
    for _ in range(50 * MB // len(block)):
        yield block
    yield b"\r\n--b0undary--\r\n"


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
async def test_a_50mb_upload_is_refused_without_being_read_into_memory(
    ingest_20mb: httpx.AsyncClient, row_counts: Any, declared: bool
) -> None:
    headers = {"content-type": "multipart/form-data; boundary=b0undary"}
    if declared:
        headers["content-length"] = str(50 * MB + 200)
    response = await ingest_20mb.post("/documents", content=_fifty_megabytes_of_multipart(), headers=headers)
    assert response.status_code == 413, response.text
    problem = response.json()
    assert problem["type"].endswith("/too-large") and "20 MB" in problem["detail"]
    read = ingest_20mb.received()  # type: ignore[attr-defined]
    if declared:
        assert read == 0  # the declared length alone decides
    else:
        assert read <= 20 * MB + 64 * 1024 + 256 * 1024  # the limit, the framing allowance and one chunk
    assert await row_counts(ingest_20mb) == NOTHING_STORED


async def test_a_50mb_upload_over_real_http_gets_its_413(
    make_database: Any, kafka: TansuBroker, row_counts: Any
) -> None:
    settings = IngestSettings(database_url=make_database("ingest"), kafka_bootstrap_servers=kafka.bootstrap_servers)
    app = create_app(settings)
    async with serving(app) as url, httpx.AsyncClient(base_url=url, timeout=60) as client:
        response = await client.post(
            "/documents", files={"file": ("huge.txt", b"- to keep adding to it;\n" * (50 * MB // 24))}
        )
        assert response.status_code == 413
        assert response.json()["type"].endswith("/too-large")
        client.app = app  # type: ignore[attr-defined]
        assert await row_counts(client) == NOTHING_STORED


async def test_an_upload_past_its_time_budget_is_stopped_and_nothing_is_stored(
    make_ingest: Any, row_counts: Any
) -> None:
    slow = (RESOLUTION * 80).encode()  # about 1.7 MB of items: a second or so of extraction, well past 0.3 s
    async with make_ingest(extraction_time_budget_seconds=0.3, extraction_processes=1) as client:
        refused = await client.post("/documents", files={"file": ("slow.txt", slow)})
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
        problem = refused.json()
        assert problem["type"].endswith("/extraction-timeout") and problem["budget_seconds"] == 0.3
        assert await row_counts(client) == NOTHING_STORED
        # the worker that ran past its budget was replaced: the next upload is read as usual
        accepted = await client.post("/documents", files={"file": ("ba-44.txt", RESOLUTION.encode())})
        assert accepted.status_code == 202, accepted.text
        assert accepted.json()["commitment_count"] == 91
