"""Tracker throughput: assignments/s from the broker into PostgreSQL, and the deadline scheduler over 100,000
assignments.

Run from the repository root:  .venv/bin/python benchmarks/tracker.py [--assignments 100000] [--sqlite]

Starts a throwaway PostgreSQL cluster and a Tansu broker, publishes commitment.extracted events addressed to
the 32 Allies (as the NATO PA bundle's are) until they fan out to --assignments assignments, runs the tracker
(consumer, outbox relay, scheduler) in this process and measures:

1. intake: events consumed -> commitments, assignments, history, schedules and outbox events committed;
2. scheduler, firing: every assignment given a deadline 5 days ahead, one scheduler fires 100,000
   `approaching` milestones (milestone row + outbox event each);
3. scheduler, nothing due: every schedule told to look again, with nothing new to fire;
4. two schedulers racing (as two replicas) over a fresh set of due milestones.

Timings are printed here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiokafka import AIOKafkaProducer
from sqlalchemy import func, select, update

from resolute.shared.actors import default_registry
from resolute.shared.clock import Clock
from resolute.shared.db import create_engine, make_sessionmaker
from resolute.shared.events import new_envelope
from resolute.shared.events.catalogue import CommitmentExtractedV1
from resolute.shared.messaging import Outbox
from resolute.shared.migrations import upgrade_database
from resolute.shared.testing.broker import TansuBroker
from resolute.shared.testing.postgres import PostgresServer, find_pg_bin
from resolute.shared.topics import COMMITMENTS
from resolute.shared.web.state import ServiceState, state_of
from resolute.tracker.actors.service import ActorDirectory
from resolute.tracker.assignments.models import Assignment
from resolute.tracker.commitments.models import Commitment
from resolute.tracker.commitments.service import roll_due_dates
from resolute.tracker.context import TrackerContext
from resolute.tracker.database import messaging_tables
from resolute.tracker.deadlines.models import DeadlineSchedule, FiredMilestone
from resolute.tracker.deadlines.scheduler import DeadlineScheduler
from resolute.tracker.main import create_app
from resolute.tracker.settings import MIGRATIONS_DIR, TrackerSettings

NOW = datetime(2026, 11, 20, 9, tzinfo=UTC)
AREAS = ("defence", "foreign-affairs", "security", "economy", "energy", "digital", "health", "education")


def allies() -> list[str]:
    group = default_registry().group("nato-allies")
    assert group is not None
    return list(group.members)


def events(count: int, countries: list[str]) -> list[CommitmentExtractedV1]:
    return [
        CommitmentExtractedV1(
            commitment_id=f"bench-{n}",
            document_id=f"bench-doc-{n // 100}",
            document_kind="resolution",
            adopted=NOW.date() - timedelta(days=30),
            position=n % 100,
            label=None,
            text=f"to strengthen cooperation on item {n} of the benchmark, across the Alliance",
            span=(n * 100, n * 100 + 80),
            countries=countries,
            policy_area=AREAS[n % len(AREAS)],
            deadline={"verbatim": "by 2030", "kind": "year", "year": 2030},
        )
        for n in range(count)
    ]


async def publish(bootstrap: str, batch: list[CommitmentExtractedV1]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=False, linger_ms=20)
    await producer.start()
    try:
        futures = [
            await producer.send(
                COMMITMENTS.name,
                new_envelope(e, source="/resolute/ingest", time=NOW).to_bytes(),
                key=e.commitment_id.encode(),
            )
            for e in batch
        ]
        await asyncio.gather(*futures)
    finally:
        await producer.stop()


async def count(sessionmaker: object, model: type) -> int:
    async with sessionmaker() as session:  # type: ignore[operator]
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def intake(settings: TrackerSettings, bootstrap: str, commitments: int, expected: int) -> float:
    app = create_app(settings)
    runtime = state_of(app, ServiceState).runtime
    async with app.router.lifespan_context(app):

        async def joined() -> bool:
            return bool(runtime.consumer and runtime.consumer.assigned)

        async def all_assigned() -> bool:
            return await count(runtime.sessionmaker, Assignment) >= expected

        async def published() -> bool:  # let the relay finish before stopping
            return (await runtime.relay.backlog())[0] == 0

        await poll(joined, 0.2)
        await publish(bootstrap, events(commitments, allies()))
        started = time.perf_counter()
        await poll(all_assigned, 0.25)
        elapsed = time.perf_counter() - started
        await poll(published, 0.5)
    return elapsed


async def poll(check: Callable[[], Awaitable[bool]], interval: float) -> None:
    """Wait until `check` holds, looking every `interval` seconds (what we wait on lives in other tasks)."""
    while True:
        if await check():
            return
        await asyncio.sleep(interval)


async def scheduler_runs(url: str, expected: int) -> None:
    engines = [create_engine(url, pool_size=4) for _ in range(2)]
    makers = [make_sessionmaker(engine) for engine in engines]

    def scheduler(index: int, clock: Clock, batch: int = 500) -> DeadlineScheduler:
        ctx = TrackerContext(
            Outbox(messaging_tables, source="/resolute/tracker"), ActorDirectory(default_registry()), clock
        )
        return DeadlineScheduler(makers[index], ctx, roll_due_dates=roll_due_dates, interval=3600, batch_size=batch)

    async def all_due(day: datetime) -> None:
        async with makers[0]() as session, session.begin():
            await session.execute(update(Commitment).values(due_date=day.date(), due_projected=False))
            await session.execute(
                update(DeadlineSchedule).values(due_date=day.date(), projected=False, next_fire_at=NOW)
            )

    try:
        clock = Clock(NOW)
        await all_due(NOW + timedelta(days=5))
        started = time.perf_counter()
        fired = await scheduler(0, clock).run_until_idle()
        elapsed = time.perf_counter() - started
        print(
            f"scheduler, firing: {fired} 'approaching' milestones in {elapsed:.1f} s = {fired / elapsed:,.0f} "
            f"milestones/s (milestone row + outbox event each; batches of 500)"
        )
        async with makers[0]() as session, session.begin():
            await session.execute(update(DeadlineSchedule).values(next_fire_at=NOW))
        started = time.perf_counter()
        again = await scheduler(0, clock).run_until_idle()
        elapsed = time.perf_counter() - started
        print(
            f"scheduler, nothing due: {expected} schedules looked at again in {elapsed:.1f} s = "
            f"{expected / elapsed:,.0f} schedules/s ({again} fired: none may fire twice)"
        )
        await all_due(NOW + timedelta(days=40))  # a new date: its 90-day milestone is due for every assignment
        before = await count(makers[0], FiredMilestone)
        started = time.perf_counter()
        split = await asyncio.gather(*(scheduler(i, clock).run_until_idle() for i in range(2)))
        elapsed = time.perf_counter() - started
        total = await count(makers[0], FiredMilestone) - before
        print(
            f"two schedulers racing: {sum(split)} milestones in {elapsed:.1f} s = {sum(split) / elapsed:,.0f} "
            f"milestones/s, split {split[0]} / {split[1]}; rows written {total} (exactly once: {total == expected})"
        )
    finally:
        for engine in engines:
            await engine.dispose()


async def run(args: argparse.Namespace) -> None:
    countries = allies()
    commitments = -(-args.assignments // len(countries))
    expected = commitments * len(countries)
    workdir = Path(tempfile.mkdtemp(prefix="resolute-bench-"))
    postgres: PostgresServer | None = None
    broker = TansuBroker()
    try:
        if args.sqlite:
            url = f"sqlite+aiosqlite:///{workdir / 'tracker.db'}"
            backend = "SQLite"
        else:
            pg_bin = find_pg_bin()
            if pg_bin is None:
                raise SystemExit("PostgreSQL binaries not found; install PostgreSQL or pass --sqlite")
            postgres = PostgresServer(pg_bin)
            postgres.start()
            url = postgres.url(postgres.create_database("tracker_bench"))
            backend = f"PostgreSQL ({pg_bin.parent.name})"
        await asyncio.to_thread(upgrade_database, MIGRATIONS_DIR, url)
        broker.start()
        settings = TrackerSettings(
            database_url=url,
            kafka_bootstrap_servers=broker.bootstrap_servers,
            kafka_session_timeout_ms=6000,
            now=NOW,
            log_level="WARNING",
            gauges_interval_seconds=3600,
        )
        print(
            f"tracker benchmark: {backend}, Tansu broker, {os.cpu_count()} CPUs, "
            f"load average {os.getloadavg()[0]:.1f} at start"
        )
        elapsed = await intake(settings, broker.bootstrap_servers, commitments, expected)
        print(
            f"intake: {commitments} commitment.extracted events -> {expected} assignments in {elapsed:.1f} s = "
            f"{expected / elapsed:,.0f} assignments/s ({commitments / elapsed:,.0f} events/s; each assignment "
            "with its history entry, schedule and commitment.assigned outbox event)"
        )
        await scheduler_runs(url, expected)
    finally:
        broker.stop()
        if postgres is not None:
            postgres.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--assignments", type=int, default=100_000, help="assignments to create (32 per event)")
    parser.add_argument("--sqlite", action="store_true", help="SQLite (the embedded default) instead of PostgreSQL")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
