"""Test support for the notifier (its tests, the end-to-end tests, the benchmark): receivers and events.

A scripted receiver stands for a ministry's webhook endpoint: a real HTTP server outside the system.
"""

from __future__ import annotations

import asyncio
import time
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from typing import Any

import httpx
from aiokafka import AIOKafkaProducer
from fastapi import FastAPI, Request, Response

from resolute.notifier.main import create_app
from resolute.notifier.settings import NotifierSettings
from resolute.shared.events import new_envelope
from resolute.shared.events.catalogue import CommitmentAssignedV1
from resolute.shared.events.envelope import Envelope
from resolute.shared.testing.broker import TansuBroker
from resolute.shared.testing.fixtures import running_app, serving
from resolute.shared.topics import ASSIGNMENTS


@dataclass
class Reply:
    """One scripted answer: a status, headers, and optionally hanging until the test lets go."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    hang: bool = False


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float
    status: int = 0  # what the receiver answered


class ScriptedReceiver:
    """A ministry's webhook endpoint over real HTTP: records every request, answers from a script (then 200)."""

    def __init__(self, script: list[Reply | int] | None = None) -> None:
        self.script = [r if isinstance(r, Reply) else Reply(r) for r in script or []]
        self.requests: list[Received] = []
        self.released = asyncio.Event()
        self.url = ""
        self.app = FastAPI()

        @self.app.api_route("/{path:path}", methods=["GET", "POST", "PUT"])
        async def _receive(path: str, request: Request) -> Response:
            reply = self.script.pop(0) if self.script else Reply()
            received = Received("/" + path, dict(request.headers), await request.body(), time.monotonic(), reply.status)
            self.requests.append(received)
            if reply.hang:
                await self.released.wait()
            return Response(
                status_code=reply.status, headers=reply.headers, content=b"ok" if reply.status < 300 else b"no"
            )

    def to(self, path: str) -> list[Received]:
        return [r for r in self.requests if r.path == path]


def assigned(country: str, ministry: str = "defence", **extra: Any) -> Envelope:
    assignment_id = extra.pop("assignment_id", f"a-{country}-{ministry}")
    return new_envelope(
        CommitmentAssignedV1(
            assignment_id=assignment_id,
            commitment_id="c1",
            document_id=extra.pop("document_id", "d1"),
            country=country,
            ministry=ministry,
            text="to establish a Baltic Military Mobility Area",
            policy_area="defence",
            **extra,
        ),
        source="/resolute/tracker",
        subject=assignment_id,
    )


@dataclass
class NotifierHarness:
    """A notifier app (in-process, real database and broker) and receivers, all stopped with `stack`."""

    kafka: TansuBroker
    database_url: str
    stack: AsyncExitStack

    async def start(self, **overrides: Any) -> httpx.AsyncClient:
        settings: dict[str, Any] = {
            "database_url": self.database_url,
            "kafka_bootstrap_servers": self.kafka.bootstrap_servers,
            "kafka_session_timeout_ms": 2000,
            "webhook_allow_private": True,
            "webhook_retry_schedule": (0.2, 0.2, 0.2),
            "delivery_poll_interval": 0.05,
            "monitor_interval": 0.2,
            "digest_interval": 3600,
        }
        settings.update(overrides)
        return await self.stack.enter_async_context(running_app(create_app(NotifierSettings(**settings))))

    async def receiver(self, script: list[Reply | int] | None = None) -> ScriptedReceiver:
        receiver = ScriptedReceiver(script)
        receiver.url = await self.stack.enter_async_context(serving(receiver.app))
        self.stack.callback(receiver.released.set)  # runs before the server stops: hung requests end
        return receiver

    async def publish(self, *envelopes: Envelope) -> None:
        producer = AIOKafkaProducer(bootstrap_servers=self.kafka.bootstrap_servers, enable_idempotence=False)
        await producer.start()
        try:
            for envelope in envelopes:
                await producer.send_and_wait(
                    ASSIGNMENTS.name, envelope.to_bytes(), key=(envelope.subject or "").encode()
                )
        finally:
            await producer.stop()
