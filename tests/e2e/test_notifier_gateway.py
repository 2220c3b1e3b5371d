"""Subscriptions through the public API: the gateway in front of a real notifier, keys and owners, a real receiver."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from standardwebhooks.webhooks import Webhook

from resolute.gateway.main import create_app as create_gateway
from resolute.gateway.settings import GatewaySettings
from resolute.notifier.main import create_app as create_notifier
from resolute.notifier.settings import NotifierSettings
from resolute.notifier.testing import Reply, ScriptedReceiver
from resolute.shared.testing.broker import TansuBroker
from resolute.shared.testing.fixtures import eventually, running_app, serving
from resolute.shared.testing.postgres import _free_port

pytestmark = pytest.mark.e2e

ADMIN_KEY = "rsk_notifier-e2e-admin-0123456789"


@dataclass
class Api:
    client: httpx.AsyncClient
    receiver: ScriptedReceiver

    async def key(self, scope: str) -> dict[str, str]:
        response = await self.client.post("/v1/api-keys", json={"scope": scope}, headers=as_key(ADMIN_KEY))
        assert response.status_code == 201, response.text
        return as_key(response.json()["key"])


def as_key(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
async def api(make_database: Callable[[str], str], kafka: TansuBroker) -> AsyncIterator[Api]:
    receiver = ScriptedReceiver([Reply(500), Reply(500)])
    notifier = create_notifier(
        NotifierSettings(
            database_url=make_database("notifier"),
            kafka_bootstrap_servers=kafka.bootstrap_servers,
            kafka_session_timeout_ms=2000,
            webhook_allow_private=False,
            webhook_allowed_cidrs=("127.0.0.0/8",),  # the receiver's range, and nothing else internal
            webhook_retry_schedule=(0.1,),
            delivery_poll_interval=0.05,
        )
    )
    async with serving(receiver.app) as receiver_url, serving(notifier) as notifier_url:
        receiver.url = receiver_url
        settings = GatewaySettings(
            database_url=make_database("gateway"),
            admin_key=ADMIN_KEY,
            notifier_url=notifier_url,
            ingest_url=f"http://127.0.0.1:{_free_port()}",
            tracker_url=f"http://127.0.0.1:{_free_port()}",
        )
        async with running_app(create_gateway(settings)) as client:
            yield Api(client, receiver)


async def test_a_ministry_manages_its_webhook_through_the_gateway(api: Api) -> None:
    estonia = await api.key("ministry:EE:defence")
    estonia_again = await api.key("ministry:EE:defence")  # another key of the same ministry
    client = api.client
    created = await client.post(
        "/v1/subscriptions",
        json={"url": api.receiver.url + "/hook", "event_types": ["deadline.due"], "filter": {"countries": ["EE"]}},
        headers=estonia,
    )
    assert created.status_code == 201, created.text
    subscription: dict[str, Any] = created.json()
    assert subscription["owner"] == "ministry:EE:defence" and subscription["secret"].startswith("whsec_")
    path = f"/v1/subscriptions/{subscription['id']}"

    listed = (await client.get("/v1/subscriptions", headers=estonia_again)).json()
    assert [s["id"] for s in listed["items"]] == [subscription["id"]]  # the ministry owns it, not the key

    assert (await client.post(path + "/test", headers=estonia)).status_code == 202

    async def delivered() -> list[dict[str, Any]]:
        items = (await client.get(path + "/deliveries", headers=estonia)).json()["items"]
        return items if items and items[0]["status"] != "pending" else []

    [delivery] = await eventually(delivered, 60)  # type: ignore[misc]
    assert delivery["status"] == "dead" and [a["status_code"] for a in delivery["attempt_log"]] == [500, 500]
    dead = (await client.get(path + "/dead-letters", headers=estonia)).json()["items"]
    assert [d["id"] for d in dead] == [delivery["id"]]

    recovered = await client.post(path + "/recover", json={"since": delivery["created_at"]}, headers=estonia)
    assert recovered.json() == {"requeued": 1}
    await eventually(lambda: len(api.receiver.requests) == 3, 60)
    last = api.receiver.requests[-1]
    assert last.headers["webhook-id"] == delivery["id"]
    Webhook(subscription["secret"]).verify(last.body, last.headers)

    rotated = await client.post(path + "/secret/rotate", headers=estonia)
    assert rotated.status_code == 200 and rotated.json()["secret"] != subscription["secret"]
    replayed = await client.post(f"{path}/deliveries/{delivery['id']}/replay", headers=estonia)
    assert replayed.status_code == 202
    await eventually(lambda: len(api.receiver.requests) == 4, 60)
    Webhook(rotated.json()["secret"]).verify(api.receiver.requests[-1].body, api.receiver.requests[-1].headers)

    changed = await client.patch(path, json={"mode": "daily_digest"}, headers=estonia)
    assert changed.status_code == 200 and changed.json()["mode"] == "daily_digest"
    assert (await client.get(path + "/digest", headers=estonia)).json()["waiting"] == 0
    assert (await client.get("/v1/subscriptions/notices", headers=estonia)).json()["items"] == []
    assert (await client.delete(path, headers=estonia)).status_code == 204
    assert (await client.get(path, headers=estonia)).status_code == 404


async def test_only_the_owner_or_an_admin_reaches_a_subscription(api: Api) -> None:
    estonia = await api.key("ministry:EE:defence")
    latvia = await api.key("ministry:LV:defence")
    reader = await api.key("reader")
    client = api.client
    subscription = (
        await client.post("/v1/subscriptions", json={"url": api.receiver.url + "/ee"}, headers=estonia)
    ).json()
    path = f"/v1/subscriptions/{subscription['id']}"
    attempts = [
        ("GET", ""), ("PATCH", ""), ("DELETE", ""), ("POST", "/secret/rotate"), ("GET", "/deliveries"),
        ("GET", "/deliveries/msg_0"), ("POST", "/deliveries/msg_0/replay"), ("POST", "/recover"),
        ("GET", "/dead-letters"), ("GET", "/digest"), ("POST", "/test"),
    ]  # fmt: skip
    for key in (latvia, reader):
        for method, suffix in attempts:
            body = {"since": "2026-01-01T00:00:00Z"} if suffix == "/recover" else {}
            response = await client.request(method, path + suffix, headers=key, json=body if method != "GET" else None)
            assert response.status_code == 403, (method, suffix, response.text)
            assert response.headers["content-type"] == "application/problem+json"
    admin_view = await client.get(path, headers=as_key(ADMIN_KEY))
    assert admin_view.status_code == 200 and admin_view.json()["owner"] == "ministry:EE:defence"
    everyone = (await client.get("/v1/subscriptions", headers=as_key(ADMIN_KEY))).json()["items"]
    assert [s["id"] for s in everyone] == [subscription["id"]]
    assert (await client.get("/v1/subscriptions", headers=latvia)).json()["items"] == []

    own = await client.post("/v1/subscriptions", json={"url": api.receiver.url + "/reader"}, headers=reader)
    assert own.status_code == 201 and own.json()["owner"].startswith("key:")
    assert (await client.get("/v1/subscriptions")).status_code == 401


async def test_bad_input_is_a_problem_and_changes_nothing(api: Api) -> None:
    estonia = await api.key("ministry:EE:defence")
    client = api.client
    for body in (
        {"url": "http://169.254.169.254/latest/meta-data/"},
        {"url": "http://10.0.0.1/hook"},
        {"url": "ftp://example.org/hook"},
        {"url": api.receiver.url, "event_types": ["commitment.extracted"]},
        {"url": api.receiver.url, "filter": {"countries": ["Estonia"]}},
        {"url": api.receiver.url, "mode": "weekly"},
    ):
        response = await client.post("/v1/subscriptions", json=body, headers=estonia)
        assert response.status_code == 422, (body, response.text)
        assert response.headers["content-type"] == "application/problem+json"
    assert (await client.get("/v1/subscriptions", headers=estonia)).json()["items"] == []
    odd = await client.get("/v1/subscriptions/..%2F..%2Fmetrics", headers=estonia)
    assert odd.status_code in (404, 422)
