"""Documents through the whole running system (`resolute dev`'s stack): every format in by the gateway, out to
the tracker; bad input refused at the edge with nothing stored; a new version superseding the old one, its
events on the broker and no assignment doubled. Runs once on SQLite and once on PostgreSQL."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaConsumer

from resolute.cli.stack import Stack
from resolute.cli.testing import all_pages, gateway_client, running_stack
from resolute.ingest.documents.versions import normalise_text
from resolute.ingest.testing.documents import empty_web_page, image_only_pdf, typeset_pdf, web_page, word_document
from resolute.shared.testing.fixtures import BACKENDS, REPO_ROOT, eventually
from resolute.shared.testing.postgres import PostgresServer
from resolute.shared.topics import COMMITMENTS

pytestmark = pytest.mark.e2e

ADMIN_KEY = "rsk_e2e-ingest-" + uuid.uuid4().hex
CORPUS = REPO_ROOT / "corpus"
MB = 1024 * 1024
PUBLISH_AT_ONCE = {"publish": "at_once"}  # the formats under test, not the review gate (its own tests hold and publish)


@pytest.fixture(scope="module", params=BACKENDS)
def stack(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, postgres_server: PostgresServer | None
) -> Iterator[Stack]:
    with running_stack(
        tmp_path_factory.mktemp(f"ingest-stack-{request.param}"), request.param, postgres_server, admin_key=ADMIN_KEY
    ) as running:
        yield running


async def _tracked(admin: httpx.AsyncClient, document_id: str) -> list[dict[str, Any]]:
    """The document's commitments as the tracker lists them through the gateway."""
    return await all_pages(admin, "/v1/commitments", document_id=document_id)


def _text(name: str) -> str:
    return (CORPUS / name).read_text(encoding="utf-8")


async def test_every_format_goes_in_through_the_gateway_and_reaches_the_tracker(stack: Stack) -> None:
    uploads = [
        ("ba-43.pdf", typeset_pdf(_text("ba-43rd-session-resolution-2024.txt")), "pdf", 106),
        ("ba-44.html", web_page(_text("ba-44th-session-resolution-2025.txt"), title="Resolution"), "html", 91),
        ("bmma.docx", word_document(_text("ies-commentary-bmma-declaration-2026.txt")), "docx", None),
    ]
    async with gateway_client(stack, timeout=120) as admin:
        for name, content, fmt, expected in uploads:
            response = await admin.post(
                "/v1/documents", files={"file": (name, content, "application/octet-stream")}, data=PUBLISH_AT_ONCE
            )
            assert response.status_code == 202, response.text
            document_id = response.json()["id"]
            document = (await admin.get(f"/v1/documents/{document_id}")).json()
            assert (document["status"], document["format"]) == ("processed", fmt)
            count = document["commitment_count"]
            assert count == expected if expected is not None else count > 0

            body = (await admin.get(f"/v1/documents/{document_id}/text")).json()
            for commitment in body["commitments"]:
                start, end = commitment["span"]
                assert normalise_text(body["text"][start:end]) == normalise_text(commitment["text"])

            async def all_tracked(document_id: str = document_id, count: int = count) -> bool:
                return len(await _tracked(admin, document_id)) == count

            await eventually(all_tracked, 120)


async def test_bad_input_is_refused_at_the_edge_and_nothing_is_stored(stack: Stack) -> None:
    async with gateway_client(stack, timeout=120) as admin:
        before = (await admin.get("/v1/documents", params={"limit": 500})).json()["items"]
        cases = [
            ("huge.txt", b"- to keep adding to an ever longer document;\n" * (50 * MB // 46), 413),
            ("scan.pdf", image_only_pdf(), 422),
            ("page.html", empty_web_page(), 422),
            ("photo.jpg", b"\xff\xd8\xff\xe0" + bytes(4000), 415),
            ("empty.txt", b"", 422),
        ]
        for name, content, status in cases:
            response = await admin.post("/v1/documents", files={"file": (name, content)})
            assert response.status_code == status, (name, response.text[:300])
            assert response.headers["content-type"] == "application/problem+json"
            assert response.json()["detail"]
        after = (await admin.get("/v1/documents", params={"limit": 500})).json()["items"]
        assert after == before


def _as_another_session(text: str) -> str:
    """The 44th session's resolution retold as a 47th session's: a document no other test uploads."""
    return text.replace("44th Session", "47th Session")


def _amended(text: str) -> str:
    lines = text.split("\n")
    items = [i for i, line in enumerate(lines) if line.startswith("- ")]
    lines[items[2]] = lines[items[2]].replace("- to explore", "- to examine")
    del lines[items[1]]
    return "\n".join(lines)


async def _published_for(stack: Stack, document_id: str, extracted: int, withdrawn: int) -> list[dict[str, Any]]:
    """The commitment events a version published: its extractions and the withdrawals it caused, in order."""
    consumer = AIOKafkaConsumer(
        COMMITMENTS.name, bootstrap_servers=stack.config.bootstrap_servers, group_id=None, auto_offset_reset="earliest"
    )
    await consumer.start()
    mine: list[dict[str, Any]] = []
    try:

        async def complete() -> bool:
            for records in (await consumer.getmany(timeout_ms=1000)).values():
                for record in records:
                    event = json.loads(record.value)
                    data = event["data"]
                    if document_id in (data.get("document_id"), data.get("superseded_by")):
                        assert record.key.decode() == data["commitment_id"]
                        mine.append(event)
            kinds = [e["type"] for e in mine]
            return (kinds.count("commitment.extracted.v1"), kinds.count("commitment.withdrawn.v1")) == (
                extracted,
                withdrawn,
            )

        await eventually(complete, 120)
    finally:
        await consumer.stop()
    return mine


async def test_a_new_version_supersedes_the_old_and_assignments_are_not_doubled(stack: Stack) -> None:
    original = _as_another_session(_text("ba-44th-session-resolution-2025.txt"))
    async with gateway_client(stack, timeout=120) as admin:
        first = (await admin.post("/v1/documents", files={"file": ("ba-47.txt", original.encode())})).json()
        assert first["version"] == 1
        before = (await admin.get(f"/v1/documents/{first['id']}/text")).json()["commitments"]

        async def first_tracked() -> bool:
            return len(await _tracked(admin, first["id"])) == 91

        await eventually(first_tracked, 120)

        second = await admin.post("/v1/documents", files={"file": ("ba-47-corrected.txt", _amended(original).encode())})
        assert second.status_code == 202, second.text
        accepted = second.json()
        assert (accepted["version"], accepted["supersedes"], accepted["withdrawn_count"]) == (2, first["id"], 2)
        old = (await admin.get(f"/v1/documents/{first['id']}")).json()
        assert (old["status"], old["superseded_by"]) == ("superseded", accepted["id"])
        after = (await admin.get(f"/v1/documents/{accepted['id']}/text")).json()["commitments"]
        assert len(after) == 90

        events = await _published_for(stack, accepted["id"], extracted=90, withdrawn=2)
        withdrawn = {e["data"]["commitment_id"] for e in events if e["type"] == "commitment.withdrawn.v1"}
        assert withdrawn == {before[1]["id"], before[2]["id"]}
        extracted = [e["data"] for e in events if e["type"] == "commitment.extracted.v1"]
        assert sorted(e["commitment_id"] for e in extracted) == sorted(c["id"] for c in after)
        kept = {c["id"] for c in before} & {c["id"] for c in after}
        assert len(kept) == 89

        async def assigned_once(commitment_id: str) -> bool:
            response = await admin.get(f"/v1/commitments/{commitment_id}")
            if response.status_code != 200:
                return False
            parties = [(a["country"], a["ministry"], a["body"]) for a in response.json()["assignments"]]
            assert len(parties) == len(set(parties))  # a re-extracted commitment is never assigned twice
            return {country for country, _, _ in parties} == {"EE", "LV", "LT", None}

        for commitment in after:
            await eventually(lambda cid=commitment["id"]: assigned_once(cid), 120)
        assert stack.drain(60)
