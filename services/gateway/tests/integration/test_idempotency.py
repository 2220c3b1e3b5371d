"""Idempotency-Key on POST /v1/subscriptions and POST /v1/documents, through the gateway to the real services:
a retry gets the first answer again (the same subscription and its secret, the same document), the same key
with another payload is a 422, and a refused request leaves its key free."""

from __future__ import annotations

import uuid

import pytest

from .conftest import ADMIN_KEY, Gateway

pytestmark = pytest.mark.integration

ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}
#: a small resolution (two items): what is tested is the gateway's answer, not the tracker's work
RESOLUTION = (
    b"RESOLUTION\nof the 50th Session of the Baltic Assembly\n\nThe Baltic Assembly,\n\ncalls on the governments of "
    b"the Republic of Estonia, the Republic of Latvia and the Republic of Lithuania:\n\n"
    b"- to agree a common idempotency standard for public registers by 2030;\n"
    b"- to report on it to the 51st Session of the Baltic Assembly.\n\nRiga, 14 November 2031\n"
)


async def _subscription_ids(gateway: Gateway) -> list[str]:
    return [s["id"] for s in (await gateway.client.get("/v1/subscriptions", headers=ADMIN)).json()["items"]]


async def test_a_retried_subscription_is_made_once_and_answered_again(gateway: Gateway) -> None:
    key = {"Idempotency-Key": str(uuid.uuid4())}
    body = {"url": "https://ministry.example/hooks/resolute", "event_types": []}
    first = await gateway.client.post("/v1/subscriptions", json=body, headers=ADMIN | key)
    assert first.status_code == 201, first.text
    assert "idempotent-replayed" not in first.headers
    retry = await gateway.client.post("/v1/subscriptions", json=body, headers=ADMIN | key)
    assert retry.status_code == 201, retry.text
    assert retry.headers["idempotent-replayed"] == "true"
    assert retry.json() == first.json()  # the same subscription, its secret shown again to whoever made it
    assert (await _subscription_ids(gateway)).count(first.json()["id"]) == 1
    assert len(await _subscription_ids(gateway)) == 1

    other = await gateway.client.post(
        "/v1/subscriptions", json={**body, "url": "https://elsewhere.example/hook"}, headers=ADMIN | key
    )
    assert other.status_code == 422 and other.json()["type"].endswith("/idempotency-key-reused"), other.text
    assert len(await _subscription_ids(gateway)) == 1

    another_caller = await gateway.new_key("editor")
    theirs = await gateway.client.post("/v1/subscriptions", json=body, headers=gateway.as_key(another_caller) | key)
    assert theirs.status_code == 201 and theirs.json()["id"] != first.json()["id"]  # keys are each caller's own


async def test_a_refused_request_leaves_its_key_free(gateway: Gateway) -> None:
    key = {"Idempotency-Key": "retry-after-fixing-" + uuid.uuid4().hex}
    refused = await gateway.client.post(
        "/v1/subscriptions", json={"url": "https://exa mple.org/hook"}, headers=ADMIN | key
    )
    assert refused.status_code == 422, refused.text
    fixed = await gateway.client.post(
        "/v1/subscriptions", json={"url": "https://example.org/hook"}, headers=ADMIN | key
    )
    assert fixed.status_code == 201, fixed.text
    bad_key = await gateway.client.post(
        "/v1/subscriptions", json={"url": "https://example.org/hook"}, headers=ADMIN | {"Idempotency-Key": "a b"}
    )
    assert bad_key.status_code == 400 and bad_key.json()["type"].endswith("/invalid-idempotency-key")


async def test_a_retried_upload_answers_the_same_document(gateway: Gateway) -> None:
    key = {"Idempotency-Key": str(uuid.uuid4())}
    content = RESOLUTION
    first = await gateway.client.post("/v1/documents", files={"file": ("ba-44.txt", content)}, headers=ADMIN | key)
    assert first.status_code == 202, first.text
    # the client builds the multipart body again (a new boundary): still the same request
    retry = await gateway.client.post("/v1/documents", files={"file": ("ba-44.txt", content)}, headers=ADMIN | key)
    assert retry.status_code == 202, retry.text
    assert retry.headers["idempotent-replayed"] == "true"
    assert retry.json() == first.json() and retry.json()["duplicate"] is False  # the first answer, as it was
    listed = (await gateway.client.get("/v1/documents", headers=ADMIN)).json()["items"]
    assert [d["id"] for d in listed] == [first.json()["id"]]
    changed = await gateway.client.post(
        "/v1/documents", files={"file": ("ba-44.txt", content + b"\n- to act again;\n")}, headers=ADMIN | key
    )
    assert changed.status_code == 422 and changed.json()["type"].endswith("/idempotency-key-reused")
