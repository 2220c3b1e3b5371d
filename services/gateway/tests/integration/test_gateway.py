"""The gateway in front of real services: keys and scopes, forwarding, problems, a service that is down."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import httpx
import pytest

from resolute.gateway.main import create_app as create_gateway
from resolute.gateway.settings import GatewaySettings
from resolute.ingest.main import create_app as create_ingest
from resolute.ingest.settings import IngestSettings
from resolute.notifier.main import create_app as create_notifier
from resolute.notifier.settings import NotifierSettings
from resolute.shared.testing.broker import TansuBroker
from resolute.shared.testing.fixtures import REPO_ROOT, running_app, serving
from resolute.shared.testing.postgres import _free_port

pytestmark = pytest.mark.integration

ADMIN_KEY = "rsk_test-admin-key-0123456789"


@dataclass
class Gateway:
    client: httpx.AsyncClient

    def as_key(self, key: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {key}"} if key else {}

    async def new_key(self, scope: str) -> str:
        response = await self.client.post("/v1/api-keys", json={"scope": scope}, headers=self.as_key(ADMIN_KEY))
        assert response.status_code == 201, response.text
        return str(response.json()["key"])


@pytest.fixture
async def gateway(make_database: Callable[[str], str], kafka: TansuBroker) -> AsyncIterator[Gateway]:
    common = {"kafka_bootstrap_servers": kafka.bootstrap_servers, "kafka_session_timeout_ms": 2000}
    ingest = create_ingest(IngestSettings(database_url=make_database("ingest"), **common))
    notifier = create_notifier(
        NotifierSettings(database_url=make_database("notifier"), webhook_allow_private=True, **common)
    )
    async with serving(ingest) as ingest_url, serving(notifier) as notifier_url:
        settings = GatewaySettings(
            database_url=make_database("gateway"),
            admin_key=ADMIN_KEY,
            ingest_url=ingest_url,
            notifier_url=notifier_url,
            tracker_url=f"http://127.0.0.1:{_free_port()}",  # nothing listens: the tracker is "down"
        )
        async with running_app(create_gateway(settings)) as client:
            yield Gateway(client)


@pytest.mark.parametrize("key", [None, "rsk_wrong"])
async def test_missing_or_bad_key_is_401_problem(gateway: Gateway, key: str | None) -> None:
    response = await gateway.client.get("/v1/documents", headers=gateway.as_key(key))
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_roles_are_enforced(gateway: Gateway) -> None:
    reader = await gateway.new_key("reader")
    ministry = await gateway.new_key("ministry:EE:defence")
    text = {"text": "- to establish a Baltic Military Mobility Area;"}
    for key in (reader, ministry):
        response = await gateway.client.post("/v1/documents", json=text, headers=gateway.as_key(key))
        assert response.status_code == 403
        assert response.json()["type"].endswith("/forbidden")
        assert (
            await gateway.client.post("/v1/api-keys", json={"scope": "admin"}, headers=gateway.as_key(key))
        ).status_code == 403
        assert (await gateway.client.get("/v1/services", headers=gateway.as_key(key))).status_code == 403
    assert (await gateway.client.get("/v1/documents", headers=gateway.as_key(reader))).status_code == 200


async def test_editor_uploads_and_anyone_reads_status(gateway: Gateway) -> None:
    editor = await gateway.new_key("editor")
    reader = await gateway.new_key("reader")
    path = REPO_ROOT / "corpus" / "ba-44th-session-resolution-2025.txt"
    response = await gateway.client.post(
        "/v1/documents", files={"file": (path.name, path.read_bytes(), "text/plain")}, headers=gateway.as_key(editor)
    )
    assert response.status_code == 202, response.text
    document_id = response.json()["id"]
    status = await gateway.client.get(f"/v1/documents/{document_id}", headers=gateway.as_key(reader))
    assert status.status_code == 200
    assert status.json()["status"] == "processed"
    assert status.headers["x-request-id"]
    missing = await gateway.client.get("/v1/documents/unknown", headers=gateway.as_key(reader))
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"


async def test_a_service_that_is_down_is_a_503_and_the_rest_keeps_working(gateway: Gateway) -> None:
    response = await gateway.client.get("/v1/commitments", headers=gateway.as_key(ADMIN_KEY))
    assert response.status_code == 503
    assert response.json()["service"] == "tracker"
    assert response.headers["retry-after"]
    assert (await gateway.client.get("/v1/documents", headers=gateway.as_key(ADMIN_KEY))).status_code == 200
    services = (await gateway.client.get("/v1/services", headers=gateway.as_key(ADMIN_KEY))).json()["items"]
    health = {s["name"]: s["healthy"] for s in services}
    assert health == {"ingest": True, "tracker": False, "notifier": True, "gateway": True}


async def test_subscriptions_belong_to_their_owner(gateway: Gateway) -> None:
    estonia = await gateway.new_key("ministry:EE:defence")
    latvia = await gateway.new_key("ministry:LV:defence")
    created = await gateway.client.post(
        "/v1/subscriptions", json={"url": "http://127.0.0.1:9/hook"}, headers=gateway.as_key(estonia)
    )
    assert created.status_code == 201, created.text
    subscription_id = created.json()["id"]
    own = await gateway.client.get(f"/v1/subscriptions/{subscription_id}/deliveries", headers=gateway.as_key(estonia))
    assert own.status_code == 200
    other = await gateway.client.get(f"/v1/subscriptions/{subscription_id}/deliveries", headers=gateway.as_key(latvia))
    assert other.status_code == 403
    admin = await gateway.client.get(f"/v1/subscriptions/{subscription_id}", headers=gateway.as_key(ADMIN_KEY))
    assert admin.json()["owner"] == "ministry:EE:defence"


async def test_health_endpoints_need_no_key(gateway: Gateway) -> None:
    assert (await gateway.client.get("/readyz")).status_code == 200
    assert (await gateway.client.get("/healthz")).json() == {"status": "ok"}
    metrics = await gateway.client.get("/metrics")
    assert "resolute_http_requests_total" in metrics.text
