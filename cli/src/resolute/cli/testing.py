"""The embedded stack as the end-to-end tests drive it: started on a backend, reached through the gateway.

Every end-to-end module runs the same `Stack` that `resolute dev` runs, with its own admin key and options
(a clock, a retry schedule, scheduler intervals); what they share (databases per backend, a gateway client
with a key, walking a listing's pages, uploading a file as a secretariat does) lives here, once. So does the
lighter pair the CLI's own integration tests run `resolute` against: ingest behind a gateway, in process.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition

from resolute.cli.stack import SERVICES, Stack, StackConfig, free_port
from resolute.shared.testing.fixtures import all_pages
from resolute.shared.testing.postgres import PostgresServer

__all__ = [
    "CliRun",
    "RunningGateway",
    "all_pages",
    "backend_databases",
    "gateway_client",
    "ingest_behind_gateway",
    "running_stack",
    "topic_messages",
    "upload_file",
]

RESOLUTE = Path(sys.executable).parent / "resolute"


@dataclass
class CliRun:
    """What a `resolute` subprocess did."""

    code: int
    stdout: str
    stderr: str


@dataclass
class RunningGateway:
    """A gateway in front of ingest, and `resolute` run against it as users run it (a subprocess)."""

    url: str
    admin_key: str

    async def resolute(self, *args: str, env: dict[str, str] | None = None) -> CliRun:
        base = {k: v for k, v in os.environ.items() if not k.startswith("RESOLUTE_")}
        process = await asyncio.create_subprocess_exec(
            str(RESOLUTE),
            *args,
            env=base | {"COLUMNS": "200"} | (env or {}),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        stdout, stderr = await asyncio.wait_for(process.communicate(), 240)
        return CliRun(process.returncode or 0, stdout.decode(), stderr.decode())

    def client(self, key: str | None = None) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            base_url=self.url, headers={"Authorization": f"Bearer {key or self.admin_key}"}, timeout=60
        )

    async def new_key(self, scope: str) -> str:
        async with self.client() as client:
            response = await client.post("/v1/api-keys", json={"scope": scope})
        assert response.status_code == 201, response.text
        return str(response.json()["key"])


@asynccontextmanager
async def ingest_behind_gateway(
    make_database: Callable[[str], str], bootstrap_servers: str, admin_key: str
) -> AsyncIterator[RunningGateway]:
    """Ingest and the gateway on free ports, in process: what uploads, documents and corrections need (the
    routes of the other services point at ingest and are not used)."""
    from resolute.gateway.main import create_app as create_gateway
    from resolute.gateway.settings import GatewaySettings
    from resolute.ingest.main import create_app as create_ingest
    from resolute.ingest.settings import IngestSettings
    from resolute.shared.testing.fixtures import serving

    ingest = create_ingest(
        IngestSettings(
            database_url=make_database("ingest"),
            kafka_bootstrap_servers=bootstrap_servers,
            kafka_session_timeout_ms=2000,
        )
    )
    async with serving(ingest) as ingest_url:
        settings = GatewaySettings(
            database_url=make_database("gateway"),
            admin_key=admin_key,
            ingest_url=ingest_url,
            tracker_url=ingest_url,
            notifier_url=ingest_url,
        )
        async with serving(create_gateway(settings)) as gateway_url:
            yield RunningGateway(gateway_url, admin_key)


def backend_databases(backend: str, postgres_server: PostgresServer | None) -> dict[str, str]:
    """Database URLs per service: none on SQLite (the stack makes its files), fresh databases on PostgreSQL."""
    if backend == "sqlite":
        return {}
    if postgres_server is None:
        pytest.skip("PostgreSQL is not available (RESOLUTE_TEST_SKIP_POSTGRES is set)")
    return {service: postgres_server.url(postgres_server.create_database()) for service in SERVICES}


@contextmanager
def running_stack(
    data_dir: Path,
    backend: str,
    postgres_server: PostgresServer | None,
    *,
    admin_key: str,
    drain: bool = True,
    **options: Any,
) -> Iterator[Stack]:
    """The broker and four services on free ports; stopped (drained first, unless told not to) on exit."""
    config = StackConfig(
        data_dir=data_dir,
        ports={name: free_port() for name in SERVICES},
        broker_port=free_port(),
        admin_key=admin_key,
        database_urls=backend_databases(backend, postgres_server),
        **options,
    )
    with Stack(config).running(drain=drain) as stack:
        yield stack


def gateway_client(stack: Stack, key: str | None = None, *, timeout: float = 60) -> httpx.AsyncClient:
    """A portal's client of the gateway, with an API key (the stack's admin key unless another is given)."""
    return httpx.AsyncClient(
        base_url=stack.config.url("gateway"),
        headers={"Authorization": f"Bearer {key or stack.config.admin_key}"},
        timeout=timeout,
    )


async def upload_file(client: httpx.AsyncClient, path: Path, content_type: str = "text/plain") -> str:
    """Upload a file through the gateway as a secretariat would; the new document's id."""
    content = await asyncio.to_thread(path.read_bytes)
    response = await client.post("/v1/documents", files={"file": (path.name, content, content_type)})
    assert response.status_code == 202, response.text
    return str(response.json()["id"])


async def topic_messages(stack: Stack, topic: str) -> list[dict[str, Any]]:
    """Every message on a topic so far, read from the beginning (a re-published one appears twice: the broker
    is at-least-once, and consumers tell repeats by the event id)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=stack.config.bootstrap_servers, enable_auto_commit=False)
    await consumer.start()
    try:
        await consumer.topics()  # loads the cluster's metadata
        partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        found: list[dict[str, Any]] = []
        while [tp for tp in partitions if await consumer.position(tp) < ends[tp]]:
            for records in (await consumer.getmany(timeout_ms=1000)).values():
                found += [json.loads(record.value) for record in records]
        return found
    finally:
        await consumer.stop()
