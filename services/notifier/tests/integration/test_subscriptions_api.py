"""The subscriptions API: ownership, partial updates, deletion, secret rotation, validation problems."""

from __future__ import annotations

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from resolute.notifier.state import NotifierState
from resolute.notifier.testing import NotifierHarness
from resolute.shared.testing.fixtures import eventually
from resolute.shared.web.state import state_of

pytestmark = pytest.mark.integration

ESTONIA = {"X-Resolute-Principal": "ministry:EE:defence", "X-Resolute-Scope": "ministry:EE:defence"}
LATVIA = {"X-Resolute-Principal": "ministry:LV:defence", "X-Resolute-Scope": "ministry:LV:defence"}
ADMIN = {"X-Resolute-Principal": "key:admin", "X-Resolute-Scope": "admin"}


async def test_only_the_owner_or_an_admin_sees_and_changes_a_subscription(harness: NotifierHarness) -> None:
    receiver = await harness.receiver()
    client = await harness.start()
    mine = (await client.post("/subscriptions", json={"url": receiver.url + "/ee"}, headers=ESTONIA)).json()
    theirs = (await client.post("/subscriptions", json={"url": receiver.url + "/lv"}, headers=LATVIA)).json()
    path = f"/subscriptions/{mine['id']}"

    for method, suffix in [("GET", ""), ("PATCH", ""), ("DELETE", ""), ("GET", "/deliveries"),
                           ("POST", "/test"), ("POST", "/secret/rotate"), ("GET", "/dead-letters")]:  # fmt: skip
        response = await client.request(method, path + suffix, headers=LATVIA, json={} if method == "PATCH" else None)
        assert response.status_code == 403, (method, suffix, response.text)
        assert response.headers["content-type"] == "application/problem+json"

    own = (await client.get("/subscriptions", headers=ESTONIA)).json()["items"]
    assert [s["id"] for s in own] == [mine["id"]]
    everyone = (await client.get("/subscriptions", headers=ADMIN)).json()["items"]
    assert {s["id"] for s in everyone} == {mine["id"], theirs["id"]}
    one_owner = (await client.get("/subscriptions", params={"owner": "ministry:LV:defence"}, headers=ADMIN)).json()
    assert [s["id"] for s in one_owner["items"]] == [theirs["id"]]
    sneaky = (await client.get("/subscriptions", params={"owner": "ministry:LV:defence"}, headers=ESTONIA)).json()
    assert [s["id"] for s in sneaky["items"]] == [mine["id"]]  # a ministry cannot list another's
    assert (await client.get(path, headers=ADMIN)).status_code == 200
    assert "secret" not in (await client.get(path, headers=ESTONIA)).json()
    assert (await client.get("/subscriptions/nope", headers=ESTONIA)).status_code == 404


async def test_partial_updates_check_urls_again_and_change_nothing_when_refused(harness: NotifierHarness) -> None:
    receiver = await harness.receiver()
    client = await harness.start()
    created = (
        await client.post(
            "/subscriptions",
            json={"url": receiver.url + "/a", "event_types": ["deadline.due"], "description": "ops"},
            headers=ESTONIA,
        )
    ).json()
    path = f"/subscriptions/{created['id']}"
    changed = await client.patch(
        path,
        json={"filter": {"countries": ["ee"], "ministries": ["ee:defence"]}, "mode": "daily_digest", "rate_limit": 5},
        headers=ESTONIA,
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert body["filter"]["countries"] == ["EE"] and body["filter"]["ministries"] == ["EE:defence"]
    assert body["mode"] == "daily_digest" and body["rate_limit"] == 5
    assert body["event_types"] == ["deadline.due"] and body["description"] == "ops"  # untouched

    state_of(client.app, NotifierState).settings.webhook_allow_private = False  # type: ignore[attr-defined]
    refused = await client.patch(path, json={"url": "http://169.254.169.254/", "mode": "immediate"}, headers=ESTONIA)
    assert refused.status_code == 422
    after = (await client.get(path, headers=ESTONIA)).json()
    assert after["url"] == receiver.url + "/a" and after["mode"] == "daily_digest"  # the refused change left nothing

    for bad in ({"event_types": ["nope"]}, {"url": None}, {"filter": {"countries": ["EST"]}}, {"colour": "red"}):
        answer = await client.patch(path, json=bad, headers=ESTONIA)
        assert answer.status_code == 422, (bad, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"
    assert (await client.get("/subscriptions", params={"cursor": "garbage"})).status_code == 400

    cleared = await client.patch(path, json={"rate_limit": None, "enabled": False}, headers=ESTONIA)
    assert cleared.json()["rate_limit"] is None and cleared.json()["enabled"] is False
    assert cleared.json()["disabled_reason"] == "disabled by its owner"
    assert (await client.get("/subscriptions/notices", headers=ESTONIA)).json()["items"] == []  # their own doing

    assert (await client.delete(path, headers=ESTONIA)).status_code == 204
    assert (await client.get(path, headers=ESTONIA)).status_code == 404


async def test_a_rotated_secret_signs_alongside_the_old_one_for_a_day(harness: NotifierHarness) -> None:
    receiver = await harness.receiver()
    client = await harness.start()
    created = (await client.post("/subscriptions", json={"url": receiver.url + "/r"}, headers=ESTONIA)).json()
    rotated = await client.post(f"/subscriptions/{created['id']}/secret/rotate", headers=ESTONIA)
    assert rotated.status_code == 200, rotated.text
    new_secret = rotated.json()["secret"]
    assert new_secret.startswith("whsec_") and new_secret != created["secret"]
    assert rotated.json()["previous_secret_expires_at"]

    await client.post(f"/subscriptions/{created['id']}/test", headers=ESTONIA)
    await eventually(lambda: len(receiver.requests) == 1, 60)
    request = receiver.requests[0]
    assert len(request.headers["webhook-signature"].split(" ")) == 2
    Webhook(created["secret"]).verify(request.body, request.headers)  # receivers not yet switched
    Webhook(new_secret).verify(request.body, request.headers)  # receivers already switched
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + "A" * 32).verify(request.body, request.headers)


async def test_a_rotation_without_overlap_signs_with_the_new_secret_only(harness: NotifierHarness) -> None:
    receiver = await harness.receiver()
    client = await harness.start(secret_overlap_seconds=0)
    created = (await client.post("/subscriptions", json={"url": receiver.url + "/r"}, headers=ESTONIA)).json()
    rotated = (await client.post(f"/subscriptions/{created['id']}/secret/rotate", headers=ESTONIA)).json()
    assert rotated["previous_secret_expires_at"] is None
    await client.post(f"/subscriptions/{created['id']}/test", headers=ESTONIA)
    await eventually(lambda: len(receiver.requests) == 1, 60)
    request = receiver.requests[0]
    Webhook(rotated["secret"]).verify(request.body, request.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(created["secret"]).verify(request.body, request.headers)
