"""The gateway in front of the real services: uploads and reads, lists walked to the end, NDJSON export,
a service that is down, subscriptions' owners. Answers are checked against the shared public models."""

from __future__ import annotations

import json

import pytest

from resolute.shared.api.commitments import AssignmentOut, AssignmentPage, CommitmentOut, CommitmentPage
from resolute.shared.api.documents import (
    DocumentAccepted,
    DocumentOut,
    DocumentPage,
    DocumentTextOut,
    ExtractedCommitmentPage,
)
from resolute.shared.testing.fixtures import REPO_ROOT

from .conftest import ADMIN_KEY, Gateway, GatewayFactory, SeedCommitments, Services, nowhere

pytestmark = pytest.mark.integration

RESOLUTION = REPO_ROOT / "corpus" / "ba-44th-session-resolution-2025.txt"


async def test_editor_uploads_and_everyone_reads_in_the_documented_shapes(gateway: Gateway) -> None:
    editor = await gateway.new_key("editor")
    reader = await gateway.new_key("reader")
    response = await gateway.client.post(
        "/v1/documents",
        files={"file": (RESOLUTION.name, RESOLUTION.read_bytes(), "text/plain")},
        headers=gateway.as_key(editor),
    )
    assert response.status_code == 202, response.text
    accepted = DocumentAccepted.model_validate(response.json())
    json_upload = await gateway.client.post(
        "/v1/documents",
        json={"text": "- to establish a Baltic Military Mobility Area;"},
        headers=gateway.as_key(editor),
    )
    assert json_upload.status_code == 202, json_upload.text

    document = DocumentOut.model_validate((await gateway.get(f"/v1/documents/{accepted.id}", reader)).json())
    assert document.status == "processed" and document.commitment_count > 0
    text = DocumentTextOut.model_validate((await gateway.get(f"/v1/documents/{accepted.id}/text", reader)).json())
    assert len(text.commitments) == document.commitment_count
    utf16 = await gateway.get(f"/v1/documents/{accepted.id}/text", reader, params={"offsets": "utf16"})
    assert DocumentTextOut.model_validate(utf16.json()).offsets == "utf16"
    versions = DocumentPage.model_validate((await gateway.get(f"/v1/documents/{accepted.id}/versions", reader)).json())
    assert [v.id for v in versions.items] == [accepted.id]
    first = ExtractedCommitmentPage.model_validate(
        (await gateway.get(f"/v1/documents/{accepted.id}/commitments", reader, params={"limit": 2})).json()
    )
    assert len(first.items) == 2 and first.next_cursor
    estonian = await gateway.get(f"/v1/documents/{accepted.id}/commitments", reader, params={"country": "EE"})
    assert all("EE" in c.countries for c in ExtractedCommitmentPage.model_validate(estonian.json()).items)
    unknown_filter = await gateway.get(f"/v1/documents/{accepted.id}/commitments", reader, params={"colour": "red"})
    assert unknown_filter.status_code == 422
    processed = DocumentPage.model_validate(
        (await gateway.get("/v1/documents", reader, params={"status": "processed"})).json()
    )
    assert accepted.id in {d.id for d in processed.items}
    page = DocumentPage.model_validate((await gateway.get("/v1/documents", reader, params={"limit": 1})).json())
    assert len(page.items) == 1 and page.next_cursor
    rest = DocumentPage.model_validate(
        (await gateway.get("/v1/documents", reader, params={"cursor": page.next_cursor})).json()
    )
    assert {d.id for d in page.items + rest.items} == {accepted.id, json_upload.json()["id"]}
    oldest = DocumentPage.model_validate(
        (await gateway.get("/v1/documents", reader, params={"sort": "created_at"})).json()
    )
    assert [d.id for d in oldest.items] == [accepted.id, json_upload.json()["id"]]
    assert (await gateway.get("/v1/documents", reader, params={"sort": "newest"})).status_code == 422

    missing = await gateway.get("/v1/documents/unknown", reader)
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"
    sneaky = await gateway.get("/v1/documents/..%2F..%2Fmetrics", reader)
    assert sneaky.status_code == 404  # an id never reaches another route of the service


async def test_lists_walk_a_thousand_commitments_exactly_once_and_export_them(
    make_gateway: GatewayFactory, services: Services, seed_commitments: SeedCommitments
) -> None:
    ids = set(await seed_commitments(1000))
    async with make_gateway(rate_limit="", **services.urls()) as gateway:
        seen: list[str] = []
        cursor = None
        while True:
            params = {"limit": 37, "country": "EE"} | ({"cursor": cursor} if cursor else {})
            response = await gateway.get("/v1/commitments", params=params)
            assert response.status_code == 200, response.text
            page = CommitmentPage.model_validate(response.json())
            seen += [c.id for c in page.items]
            cursor = page.next_cursor
            if not cursor:
                break
        assert len(seen) == len(set(seen)) == 1000 and set(seen) == ids

        export = await gateway.get("/v1/export/commitments", params={"country": "EE"})
        assert export.status_code == 200
        assert export.headers["content-type"] == "application/x-ndjson"
        assert export.headers["content-disposition"] == 'attachment; filename="commitments.ndjson"'
        assert export.text.endswith("\n")
        lines = [CommitmentOut.model_validate(json.loads(line)) for line in export.text.splitlines()]
        assert [c.id for c in lines] == seen  # the same records in the same order, each once

        assignments = (await gateway.get("/v1/export/assignments", params={"country": "LV"})).text.splitlines()
        parsed = [AssignmentOut.model_validate_json(line) for line in assignments]
        assert len(parsed) == len({a.id for a in parsed}) == 1000 and {a.country for a in parsed} == {"LV"}
        first = AssignmentPage.model_validate((await gateway.get("/v1/assignments", params={"limit": 2})).json())
        assert len(first.items) == 2

        nothing = await gateway.get("/v1/export/commitments", params={"document_id": "no-such-document"})
        assert nothing.status_code == 200 and nothing.text == ""
        documents = await gateway.get("/v1/export/documents")
        assert documents.status_code == 200 and documents.text == ""


async def test_a_service_that_is_down_is_a_503_and_the_rest_keeps_working(
    make_gateway: GatewayFactory, services: Services
) -> None:
    urls = services.urls() | {"tracker_url": nowhere()}
    async with make_gateway(**urls) as gateway:
        for path in ("/v1/commitments", "/v1/export/commitments"):
            response = await gateway.get(path)
            assert response.status_code == 503
            assert response.json()["service"] == "tracker"
            assert response.headers["retry-after"]
        assert (await gateway.get("/v1/documents")).status_code == 200
        services_list = (await gateway.get("/v1/services")).json()["items"]
        health = {s["name"]: s["healthy"] for s in services_list}
        assert health == {"ingest": True, "tracker": False, "notifier": True, "gateway": True}
        assert {s["name"]: s["base_url"] for s in services_list}["ingest"] == services.ingest_url


async def test_subscriptions_belong_to_their_owner(gateway: Gateway) -> None:
    estonia = await gateway.new_key("ministry:EE:defence")
    latvia = await gateway.new_key("ministry:LV:defence")
    created = await gateway.client.post(
        "/v1/subscriptions", json={"url": "http://127.0.0.1:9/hook"}, headers=gateway.as_key(estonia)
    )
    assert created.status_code == 201, created.text
    subscription_id = created.json()["id"]
    assert (await gateway.get(f"/v1/subscriptions/{subscription_id}/deliveries", estonia)).status_code == 200
    other = await gateway.get(f"/v1/subscriptions/{subscription_id}/deliveries", latvia)
    assert other.status_code == 403 and other.headers["content-type"] == "application/problem+json"
    admin = await gateway.get(f"/v1/subscriptions/{subscription_id}", ADMIN_KEY)
    assert admin.json()["owner"] == "ministry:EE:defence"


async def test_health_endpoints_need_no_key(make_gateway: GatewayFactory) -> None:
    async with make_gateway() as gateway:
        assert (await gateway.client.get("/readyz")).status_code == 200
        assert (await gateway.client.get("/healthz")).json() == {"status": "ok"}
        metrics = await gateway.client.get("/metrics")
        assert "resolute_http_requests_total" in metrics.text
        assert "resolute_gateway_rate_limited_total" in metrics.text
        assert 'resolute_gateway_upstream_errors_total{service="tracker"}' in metrics.text
