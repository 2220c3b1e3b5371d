"""The gateway in front of real services (served over HTTP), or of nothing when a test needs no service."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI
from jwt.algorithms import RSAAlgorithm

from resolute.gateway.main import create_app as create_gateway
from resolute.gateway.settings import GatewaySettings
from resolute.ingest.main import create_app as create_ingest
from resolute.ingest.settings import IngestSettings
from resolute.notifier.main import create_app as create_notifier
from resolute.notifier.settings import NotifierSettings
from resolute.shared.testing.broker import TansuBroker
from resolute.shared.testing.fixtures import running_app, serving
from resolute.shared.testing.postgres import _free_port
from resolute.shared.web.state import state_of
from resolute.tracker.assignments.models import Assignment
from resolute.tracker.commitments.models import Commitment
from resolute.tracker.main import create_app as create_tracker
from resolute.tracker.settings import TrackerSettings
from resolute.tracker.state import TrackerState

ADMIN_KEY = "rsk_test-admin-key-0123456789"


def nowhere() -> str:
    """A URL nothing listens on: a service that is down."""
    return f"http://127.0.0.1:{_free_port()}"


@dataclass
class Gateway:
    client: httpx.AsyncClient
    app: FastAPI

    @staticmethod
    def as_key(key: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {key}"} if key else {}

    async def new_key(self, scope: str, name: str | None = None) -> str:
        response = await self.client.post(
            "/v1/api-keys", json={"scope": scope, "name": name}, headers=self.as_key(ADMIN_KEY)
        )
        assert response.status_code == 201, response.text
        return str(response.json()["key"])

    async def get(self, path: str, key: str | None = ADMIN_KEY, **kwargs: Any) -> httpx.Response:
        return await self.client.get(path, headers=self.as_key(key) | kwargs.pop("headers", {}), **kwargs)


GatewayFactory = Callable[..., Any]


@pytest.fixture
def make_gateway(make_database: Callable[[str], str]) -> Callable[..., Any]:
    """`async with make_gateway(tracker_url=..., rate_limit=...) as gateway:` with the other services down."""

    @asynccontextmanager
    async def factory(**overrides: Any) -> AsyncIterator[Gateway]:
        settings = GatewaySettings(
            **{
                "database_url": make_database("gateway"),
                "admin_key": ADMIN_KEY,
                "ingest_url": nowhere(),
                "tracker_url": nowhere(),
                "notifier_url": nowhere(),
                "upstream_read_retries": 0,
                **overrides,
            }
        )
        app = create_gateway(settings)
        async with running_app(app) as client:
            yield Gateway(client, app)

    return factory


@dataclass
class Services:
    ingest_url: str
    tracker_url: str
    notifier_url: str
    tracker: FastAPI

    def urls(self) -> dict[str, str]:
        return {"ingest_url": self.ingest_url, "tracker_url": self.tracker_url, "notifier_url": self.notifier_url}


@pytest.fixture
async def services(make_database: Callable[[str], str], kafka: TansuBroker) -> AsyncIterator[Services]:
    """Ingest, tracker and notifier, each on its own port with its own database, sharing one broker."""
    common = {"kafka_bootstrap_servers": kafka.bootstrap_servers, "kafka_session_timeout_ms": 2000}
    ingest = create_ingest(IngestSettings(database_url=make_database("ingest"), **common))
    tracker = create_tracker(TrackerSettings(database_url=make_database("tracker"), **common))
    notifier = create_notifier(
        NotifierSettings(database_url=make_database("notifier"), webhook_allow_private=True, **common)
    )
    async with AsyncExitStack() as stack:
        ingest_url = await stack.enter_async_context(serving(ingest))
        tracker_url = await stack.enter_async_context(serving(tracker))
        notifier_url = await stack.enter_async_context(serving(notifier))
        yield Services(ingest_url, tracker_url, notifier_url, tracker)


@pytest.fixture
async def gateway(make_gateway: GatewayFactory, services: Services) -> AsyncIterator[Gateway]:
    async with make_gateway(**services.urls()) as gateway:
        yield gateway


SeedCommitments = Callable[[int], Awaitable[list[str]]]


@pytest.fixture
def seed_commitments(services: Services) -> SeedCommitments:
    """Write n commitments (each assigned to EE and LV defence) straight into the tracker's database."""

    async def seed(n: int) -> list[str]:
        runtime = state_of(services.tracker, TrackerState).runtime
        document_id = str(uuid.uuid4())
        published = datetime(2026, 1, 5, 9, tzinfo=UTC)
        ids = []
        async with runtime.sessionmaker() as session, session.begin():
            for position in range(n):
                commitment_id = str(uuid.uuid4())
                ids.append(commitment_id)
                # a few documents' worth of equal timestamps, so pages break inside runs of equal sort keys
                at = published + timedelta(minutes=position // 100)
                session.add(
                    Commitment(
                        id=commitment_id,
                        document_id=document_id,
                        document_title="Seeded resolution",
                        document_kind="resolution",
                        document_number=None,
                        issuing_body="Baltic Assembly",
                        position=position,
                        label=None,
                        section="regarding security",
                        text=f"to strengthen military mobility measure {position}",
                        countries=["EE", "LV"],
                        bodies=[],
                        ministries=[{"country": "EE", "ministry": "defence"}, {"country": "LV", "ministry": "defence"}],
                        policy_area="defence",
                        deadline=None,
                        published_at=at,
                        created_at=at,
                        updated_at=at,
                    )
                )
                for country in ("EE", "LV"):
                    session.add(
                        Assignment(
                            id=str(uuid.uuid4()),
                            commitment_id=commitment_id,
                            country=country,
                            ministry="defence",
                            body=None,
                            role="lead",
                            status="not_reported",
                            created_at=at,
                            updated_at=at,
                        )
                    )
        return ids

    return seed


class IdentityProvider:
    """A real JWKS endpoint with keys made for the test, and a way to sign tokens with them."""

    issuer = "https://id.example.gov"
    audience = "resolute-api"

    def __init__(self) -> None:
        self.keys: dict[str, rsa.RSAPrivateKey] = {}
        self.published: list[str] = []
        self.fetches = 0
        self.app = FastAPI()

        @self.app.get("/jwks")
        async def jwks() -> dict[str, Any]:
            self.fetches += 1
            keys = []
            for kid in self.published:
                jwk = RSAAlgorithm.to_jwk(self.keys[kid].public_key(), as_dict=True)
                keys.append(jwk | {"kid": kid, "alg": "RS256", "use": "sig"})
            return {"keys": keys}

    def new_key(self, *, publish: bool = True) -> str:
        kid = uuid.uuid4().hex[:8]
        self.keys[kid] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        if publish:
            self.published.append(kid)
        return kid

    def token(self, kid: str, **claims: Any) -> str:
        now = int(time.time())
        payload = {"iss": self.issuer, "aud": self.audience, "sub": "alice", "iat": now, "exp": now + 300} | claims
        payload = {k: v for k, v in payload.items() if v is not None}
        return jwt.encode(payload, self.keys[kid], algorithm="RS256", headers={"kid": kid})
