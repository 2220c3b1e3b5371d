"""Webhook delivery throughput and latency: events on the broker -> signed deliveries to a local receiver.

Run from the repository root:  .venv/bin/python benchmarks/notifier.py [--events 2000] [--subscriptions 2]
                                                               [--rate 0] [--database sqlite|postgresql]

Starts an embedded broker and the notifier as its own process (as `resolute dev` runs it), a receiver in
this process, subscribes it, publishes the events (all at once, or `--rate` per second), and prints
deliveries/s and event-to-delivery p50/p99 (from the event's time to the receiver having the request).
A burst measures throughput (latency then includes the queue); a paced run measures latency.
Figures are measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from aiokafka import AIOKafkaProducer
from fastapi import FastAPI, Request, Response
from standardwebhooks.webhooks import Webhook

from resolute.cli.stack import Stack, StackConfig, free_port
from resolute.notifier.testing import assigned
from resolute.shared.testing.fixtures import serving
from resolute.shared.topics import ASSIGNMENTS


class TimingReceiver:
    """Records when each webhook-id first arrived; verifies a sample of signatures (a real receiver would)."""

    def __init__(self) -> None:
        self.arrivals: dict[str, tuple[float, str, bytes, dict[str, str]]] = {}
        self.expected = 0
        self.complete = asyncio.Event()
        self.app = FastAPI()

        @self.app.post("/{path:path}")
        async def _receive(path: str, request: Request) -> Response:
            body = await request.body()
            self.arrivals.setdefault(request.headers["webhook-id"], (time.time(), path, body, dict(request.headers)))
            if len(self.arrivals) >= self.expected:
                self.complete.set()
            return Response(status_code=204)


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _stack(data_dir: Path, database: str) -> tuple[Stack, Any]:
    """The broker and the notifier's configuration; a PostgreSQL cluster of its own when asked for."""
    database_urls: dict[str, str] = {}
    postgres = None
    if database == "postgresql":
        from resolute.shared.testing.postgres import PostgresServer, find_pg_bin

        pg_bin = find_pg_bin()
        if pg_bin is None:
            sys.exit("PostgreSQL binaries not found")
        postgres = PostgresServer(pg_bin)
        postgres.start()
        database_urls["notifier"] = postgres.url(postgres.create_database())
    config = StackConfig(
        data_dir=data_dir,
        ports={"gateway": free_port(), "ingest": free_port(), "tracker": free_port(), "notifier": free_port()},
        broker_port=free_port(),
        admin_key="rsk_bench",
        database_urls=database_urls,
        extra_env={"RESOLUTE_LOG_LEVEL": "WARNING", "RESOLUTE_NOTIFIER_POLL_INTERVAL": "0.1"},
    )
    return Stack(config), postgres


async def _subscribe(api: httpx.AsyncClient, receiver_url: str, subscriptions: int) -> dict[str, str]:
    """One subscription per receiver path; their secrets, by path."""
    secrets: dict[str, str] = {}
    for n in range(subscriptions):
        created = await api.post(
            "/subscriptions",
            json={"url": f"{receiver_url}/s{n}", "event_types": ["commitment.assigned"], "rate_limit": 10_000},
        )
        created.raise_for_status()
        secrets[f"s{n}"] = created.json()["secret"]
    return secrets


async def _publish(bootstrap_servers: str, events: int, rate: float) -> tuple[float, float]:
    """Publish the events (all at once, or `rate` per second); returns when publishing started and ended."""
    envelopes = [assigned("EE", assignment_id=f"bench-{n}") for n in range(events)]
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap_servers, enable_idempotence=False)
    await producer.start()
    started = time.time()
    try:
        for n, envelope in enumerate(envelopes):
            if rate:
                await asyncio.sleep(max(0.0, started + n / rate - time.time()))
            # the event's time is when it is published, as the tracker's outbox relay would
            stamped = envelope.model_copy(update={"time": datetime.now(UTC)})
            await producer.send(ASSIGNMENTS.name, stamped.to_bytes(), key=(envelope.subject or "").encode())
        await producer.flush()
    finally:
        await producer.stop()
    return started, time.time()


def _report(receiver: TimingReceiver, secrets: dict[str, str], timings: tuple[float, float, float], title: str) -> None:
    """Verify every signature and print throughput and event-to-delivery latency."""
    started, published, finished = timings
    latencies = []
    for at, path, body, headers in receiver.arrivals.values():
        payload = Webhook(secrets[path]).verify(body, headers)  # raises if a signature is wrong
        latencies.append(at - datetime.fromisoformat(payload["timestamp"]).timestamp())
    delivered = len(receiver.arrivals)
    elapsed = finished - started
    print(title)
    print(f"  delivered            {delivered}/{receiver.expected} (signatures verified: {len(latencies)})")
    print(f"  publish time         {published - started:.2f} s")
    print(f"  deliveries/s         {delivered / elapsed:.0f}  (first publish to last arrival, {elapsed:.2f} s)")
    if latencies:
        print(f"  event->delivery p50  {_percentile(latencies, 0.5) * 1000:.0f} ms")
        print(f"  event->delivery p99  {_percentile(latencies, 0.99) * 1000:.0f} ms")
        print(f"  event->delivery mean {statistics.fmean(latencies) * 1000:.0f} ms")


async def run(events: int, subscriptions: int, database: str, rate: float) -> None:
    stack, postgres = _stack(Path(tempfile.mkdtemp(prefix="resolute-bench-notifier-")), database)
    config = stack.config
    receiver = TimingReceiver()
    try:
        stack.start_broker()
        stack.migrate("notifier")
        stack.start_service("notifier")
        stack.wait_ready("notifier")
        async with serving(receiver.app) as receiver_url, httpx.AsyncClient(base_url=config.url("notifier")) as api:
            secrets = await _subscribe(api, receiver_url, subscriptions)
            receiver.expected = events * subscriptions
            started, published = await _publish(config.bootstrap_servers, events, rate)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(receiver.complete.wait(), 600)
            finished = max(a[0] for a in receiver.arrivals.values()) if receiver.arrivals else time.time()
        pace = f"{rate:g} events/s" if rate else "one burst"
        title = f"notifier benchmark ({database}): {events} events x {subscriptions} subscriptions, {pace}"
        _report(receiver, secrets, (started, published, finished), title)
    finally:
        stack.stop_service("notifier")
        stack.stop_service("broker")
        if postgres is not None:
            postgres.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--subscriptions", type=int, default=2, help="each event goes to every subscription")
    parser.add_argument("--rate", type=float, default=0, help="events per second (0: publish all at once)")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args()
    asyncio.run(run(args.events, args.subscriptions, args.database, args.rate))


if __name__ == "__main__":
    main()
