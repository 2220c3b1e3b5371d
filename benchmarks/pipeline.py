"""The pipeline on one machine: upload -> commitments visible through the gateway, and sustained commitments/s,
against the ceiling of a raw aiokafka produce/consume loop on the same broker.

Run from the repository root:  .venv/bin/python benchmarks/pipeline.py [--uploads 40] [--documents 24]

Starts the embedded stack (`resolute dev`'s: Tansu broker, four services, SQLite in a temporary directory,
free ports), then measures:

1. latency: one resolution (91 commitments) uploaded at a time; the time from sending the upload until
   `GET /v1/commitments?document_id=` on the gateway lists all 91 (polled every 10 ms). p50/p99 target: p99
   under 1 s. The upload's own answer (stored, extracted, outbox written) is reported too.
2. throughput: `--documents` resolutions uploaded `--concurrency` at a time; commitments/s from the first
   upload until the tracker lists every commitment of every document through the gateway.
3. the ceiling: the same number of messages of the same size as a commitment.extracted event, produced to a
   6-partition topic on the same broker and consumed by a consumer group, with aiokafka and nothing else.

Every document is a distinct resolution (the 44th session's text renumbered), so none is a duplicate or a
new version of another. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from resolute.cli.stack import Stack, StackConfig, free_port
from resolute.shared.topics import COMMITMENTS

ROOT = Path(__file__).resolve().parents[1]
RESOLUTION = (ROOT / "corpus" / "ba-44th-session-resolution-2025.txt").read_text(encoding="utf-8")
ADMIN_KEY = "rsk_bench-" + uuid.uuid4().hex


def resolution(session: int) -> bytes:
    """A distinct resolution: the 44th session's text as the `session`th session's."""
    return RESOLUTION.replace("44th Session", f"{session}th Session").encode()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


async def tracked(client: httpx.AsyncClient, document_id: str) -> int:
    response = await client.get("/v1/commitments", params={"document_id": document_id, "limit": 200})
    response.raise_for_status()
    return len(response.json()["items"])


async def upload(client: httpx.AsyncClient, session: int) -> tuple[str, int, float]:
    started = time.perf_counter()
    response = await client.post("/v1/documents", files={"file": (f"ba-{session}.txt", resolution(session))})
    response.raise_for_status()
    body = response.json()
    assert not body.get("duplicate") and body.get("version", 1) == 1, body
    return body["id"], body["commitment_count"], time.perf_counter() - started


async def outbox_backlog(ingest: httpx.AsyncClient) -> int:
    return int((await ingest.get("/readyz")).json()["checks"]["outbox_backlog"])


def _line(name: str, values: list[float]) -> str:
    return (
        f"  {name}: p50 {statistics.median(values) * 1000:.0f} ms, p99 {percentile(values, 0.99) * 1000:.0f} ms, "
        f"max {max(values) * 1000:.0f} ms"
    )


async def measure_latency(client: httpx.AsyncClient, ingest: httpx.AsyncClient, uploads: int, first: int) -> None:
    acknowledged: list[float] = []
    published: list[float] = []
    visible: list[float] = []
    for n in range(uploads):
        started = time.perf_counter()
        document_id, count, ack = await upload(client, first + n)
        acknowledged.append(ack)
        while True:
            if len(published) < len(acknowledged) and await outbox_backlog(ingest) == 0:
                published.append(time.perf_counter() - started)
            if await tracked(client, document_id) >= count:
                break
            await asyncio.sleep(0.01)
        if len(published) < len(acknowledged):
            published.append(time.perf_counter() - started)
        visible.append(time.perf_counter() - started)
    print(f"latency over {uploads} uploads of a 91-commitment resolution (20.5 KiB), one at a time, from sending it:")
    print(_line("answered by the gateway (read, extract, store with outbox)", acknowledged))
    print(_line("every event published by ingest's relay", published))
    print(_line("all commitments visible through the gateway (target: p99 under 1 s)", visible))


async def measure_throughput(client: httpx.AsyncClient, documents: int, concurrency: int, first_session: int) -> float:
    gate = asyncio.Semaphore(concurrency)
    pending: dict[str, int] = {}
    started = time.perf_counter()

    async def one(session: int) -> None:
        async with gate:
            document_id, count, _ = await upload(client, session)
        pending[document_id] = count

    await asyncio.gather(*(one(first_session + n) for n in range(documents)))
    uploaded = time.perf_counter() - started
    total = sum(pending.values())
    while pending:
        counts = await asyncio.gather(*(tracked(client, d) for d in pending))
        for (document_id, expected), seen in zip(list(pending.items()), counts, strict=True):
            if seen >= expected:
                del pending[document_id]
        if pending:
            await asyncio.sleep(0.05)
    elapsed = time.perf_counter() - started
    rate = total / elapsed
    print(f"throughput: {documents} resolutions, {total} commitments, {concurrency} uploads in flight:")
    print(f"  ingest acknowledged them all in {uploaded:.2f} s ({total / uploaded:.0f} commitments/s)")
    print(f"  tracker lists them all after {elapsed:.2f} s: {rate:.0f} commitments/s sustained end to end")
    return rate


async def raw_loop(bootstrap: str, messages: int, size: int) -> float:
    """Produce and consume `messages` of `size` bytes through one 6-partition topic: the broker's ceiling."""
    topic = f"bench.raw.{uuid.uuid4().hex[:8]}"
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, 6, 1)])
    finally:
        await admin.close()
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"bench-{uuid.uuid4().hex[:8]}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        max_poll_records=500,
    )
    await consumer.start()
    while not consumer.assignment():
        await consumer.getmany(timeout_ms=200)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=False, acks="all", linger_ms=5)
    await producer.start()
    payload = b"x" * size
    received = 0
    started = time.perf_counter()

    async def consume() -> None:
        nonlocal received
        while received < messages:
            batches = await consumer.getmany(timeout_ms=500)
            for tp, records in batches.items():
                received += len(records)
                await consumer.commit({tp: records[-1].offset + 1})

    consuming = asyncio.create_task(consume())
    try:
        batch = []
        for n in range(messages):
            batch.append(await producer.send(topic, payload, key=str(n).encode()))
            if len(batch) >= 500:
                await asyncio.gather(*batch)
                batch = []
        await asyncio.gather(*batch)
        await asyncio.wait_for(consuming, 300)
    finally:
        consuming.cancel()
        await producer.stop()
        await consumer.stop()
    elapsed = time.perf_counter() - started
    rate = messages / elapsed
    print(f"ceiling: raw aiokafka produce (acks=all) + consume with offset commits, {messages} messages of {size} B,")
    print(f"  6 partitions, same broker: {rate:.0f} messages/s ({elapsed:.2f} s)")
    return rate


async def extracted_event_size(client: httpx.AsyncClient, bootstrap: str) -> int:
    """Bytes of a commitment.extracted.v1 message as ingest publishes it, read back from the broker."""
    await upload(client, 9000)
    consumer = AIOKafkaConsumer(
        COMMITMENTS.name, bootstrap_servers=bootstrap, group_id=None, auto_offset_reset="earliest"
    )
    await consumer.start()
    try:
        while True:
            for records in (await consumer.getmany(timeout_ms=1000, max_records=50)).values():
                return int(statistics.median(len(r.value) for r in records))
    finally:
        await consumer.stop()


async def run(args: argparse.Namespace, stack: Stack) -> None:
    headers = {"Authorization": f"Bearer {ADMIN_KEY}"}
    async with (
        httpx.AsyncClient(base_url=stack.config.url("gateway"), headers=headers, timeout=120) as client,
        httpx.AsyncClient(base_url=stack.config.url("ingest"), timeout=30) as ingest,
    ):
        size = await extracted_event_size(client, stack.config.bootstrap_servers)
        await measure_latency(client, ingest, 3, 8000)  # warm-up: connections, caches, consumer fetch sessions
        print("--")
        await measure_latency(client, ingest, args.uploads, 100)
        rate = await measure_throughput(client, args.documents, args.concurrency, 1000)
    assert stack.drain(120), "the pipeline did not drain"
    ceiling = await raw_loop(stack.config.bootstrap_servers, args.messages, size)
    print(f"pipeline / ceiling: {rate / ceiling:.1%} of the raw produce/consume rate")
    print(
        "  (each commitment costs, besides the broker: extraction, an ingest transaction with its outbox row, the "
        "relay, the tracker's inbox transaction writing the commitment and 4 assignments with their outbox rows, "
        "the notifier consuming those, and the gateway polls)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=40, help="uploads timed one at a time for latency")
    parser.add_argument("--documents", type=int, default=24, help="resolutions uploaded for throughput")
    parser.add_argument("--concurrency", type=int, default=4, help="uploads in flight for throughput")
    parser.add_argument("--messages", type=int, default=20_000, help="messages for the raw produce/consume loop")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="resolute-bench-") as data_dir:
        config = StackConfig(
            data_dir=Path(data_dir),
            ports={name: free_port() for name in ("gateway", "ingest", "tracker", "notifier")},
            broker_port=free_port(),
            admin_key=ADMIN_KEY,
            extra_env={"RESOLUTE_LOG_LEVEL": "WARNING"},
        )
        stack = Stack(config)
        started = time.perf_counter()
        stack.start()
        print(f"stack up in {time.perf_counter() - started:.1f} s (SQLite, Tansu in memory) at {config.url('gateway')}")
        try:
            asyncio.run(run(args, stack))
        finally:
            stack.stop()


if __name__ == "__main__":
    main()
