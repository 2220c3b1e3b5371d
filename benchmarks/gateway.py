"""Gateway latency and throughput for listing and searching commitments, against calling the tracker directly.

Run from the repository root:
    .venv/bin/python benchmarks/gateway.py [--database sqlite|postgresql] [--commitments 10000] [--requests 1000]

Starts the embedded stack (broker + the four services as processes, on SQLite files or on a throwaway
PostgreSQL cluster, the production backend) in a temporary directory, seeds the tracker's database with N
commitments (each assigned to two countries) straight through its models, then sends the same requests to
the gateway (`/v1/commitments`, with an API key, rate limit off) and to the tracker (`/commitments`) with a
fixed number of concurrent clients, alternating the two in rounds. Prints p50/p99 latency and requests/s per
scenario (answers other than 200 are counted and shown) and the gateway's overhead as ratios to the direct
calls. Figures are measured here, never asserted in tests. Only 127.0.0.1 is contacted; the run is bounded
by --requests.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from resolute.cli.stack import Stack, StackConfig, free_port
from resolute.shared.db import create_engine, make_sessionmaker
from resolute.shared.testing.postgres import PostgresServer, find_pg_bin
from resolute.tracker.assignments.models import Assignment
from resolute.tracker.commitments.models import Commitment

ADMIN_KEY = "rsk_benchmark-" + uuid.uuid4().hex
AREAS = ("defence", "energy", "transport", "health", "education", "economy", "governance", "environment")
COUNTRIES = ("EE", "LV", "LT", "FI", "PL", "SE", "DK", "DE")
WORDS = ("mobility", "resilience", "cooperation", "infrastructure", "security", "interconnection", "exercises")


async def seed(database_url: str, n: int) -> None:
    """N commitments in 100-item documents, each with two country assignments, like a busy tracker."""
    engine = create_engine(database_url)
    sessionmaker = make_sessionmaker(engine)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    try:
        for batch in range(0, n, 1000):
            async with sessionmaker() as session, session.begin():
                for i in range(batch, min(n, batch + 1000)):
                    document, position = divmod(i, 100)
                    at = start + timedelta(hours=document)
                    countries = [COUNTRIES[i % len(COUNTRIES)], COUNTRIES[(i + 3) % len(COUNTRIES)]]
                    area = AREAS[i % len(AREAS)]
                    commitment_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"benchmark/{i}"))
                    session.add(
                        Commitment(
                            id=commitment_id,
                            document_id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"benchmark/doc/{document}")),
                            document_title=f"Resolution {document}",
                            document_kind="resolution",
                            document_number=None,
                            issuing_body="Baltic Assembly",
                            position=position,
                            label=None,
                            section=f"regarding {area}",
                            text=(
                                f"to strengthen {WORDS[i % len(WORDS)]} and {WORDS[(i * 7) % len(WORDS)]} "
                                f"in {area}, measure {i}, with regular reporting to the Assembly"
                            ),
                            countries=countries,
                            bodies=[],
                            ministries=[{"country": c, "ministry": area} for c in countries],
                            policy_area=area,
                            deadline=None,
                            published_at=at,
                            created_at=at,
                            updated_at=at,
                        )
                    )
                    for country in countries:
                        session.add(
                            Assignment(
                                id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"benchmark/{i}/{country}")),
                                commitment_id=commitment_id,
                                country=country,
                                ministry=area,
                                body=None,
                                role="lead",
                                status="not_reported",
                                created_at=at,
                                updated_at=at,
                            )
                        )
    finally:
        await engine.dispose()


@dataclass
class Result:
    latencies: list[float]
    elapsed: float
    errors: dict[int, int]

    def add(self, other: Result) -> None:
        self.latencies += other.latencies
        self.elapsed += other.elapsed
        for status, count in other.errors.items():
            self.errors[status] = self.errors.get(status, 0) + count

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.latencies) * 1000

    @property
    def p99_ms(self) -> float:
        return statistics.quantiles(self.latencies, n=100)[98] * 1000

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.elapsed


async def load(url: str, params: dict[str, str], headers: dict[str, str], requests: int, concurrency: int) -> Result:
    """`requests` GETs from `concurrency` clients at once; answers other than 200 are counted by status."""
    latencies: list[float] = []
    errors: dict[int, int] = {}
    remaining = requests
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(headers=headers, limits=limits, timeout=120) as client:
        for _ in range(10):  # warm-up: connections, caches
            await client.get(url, params=params)

        async def worker() -> None:
            nonlocal remaining
            while remaining > 0:
                remaining -= 1
                started = time.perf_counter()
                response = await client.get(url, params=params)
                latencies.append(time.perf_counter() - started)
                if response.status_code != 200 or "items" not in response.json():
                    errors[response.status_code] = errors.get(response.status_code, 0) + 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return Result(latencies, time.perf_counter() - started, errors)


SCENARIOS = {
    "one item (limit=1: mostly the gateway's own cost)": {"limit": "1"},
    "list (50 newest)": {"limit": "50"},
    "list filtered (country=EE, policy_area=defence)": {"limit": "50", "country": "EE", "policy_area": "defence"},
    "search (q=mobility infrastructure)": {"limit": "50", "q": "mobility infrastructure"},
    "search, rare (q=measure 7777)": {"limit": "50", "q": "measure 7777"},
}


async def run(stack: Stack, requests: int, concurrency: int, rounds: int) -> None:
    """Direct and gateway calls alternate in rounds, so both see the same background load on a shared machine."""
    gateway = stack.config.url("gateway") + "/v1/commitments"
    tracker = stack.config.url("tracker") + "/commitments"
    auth = {"Authorization": f"Bearer {ADMIN_KEY}"}
    print(f"{'scenario':50} {'via':8} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>8}")
    for name, params in SCENARIOS.items():
        direct = Result([], 0.0, {})
        through = Result([], 0.0, {})
        for _ in range(rounds):
            direct.add(await load(tracker, params, {}, requests // rounds, concurrency))
            through.add(await load(gateway, params, auth, requests // rounds, concurrency))
        for via, result in (("tracker", direct), ("gateway", through)):
            failed = f"  errors {result.errors}" if result.errors else ""
            print(f"{name:50} {via:8} {result.p50_ms:8.2f} {result.p99_ms:8.2f} {result.rps:8.0f}{failed}")
        ratios = (through.p50_ms / direct.p50_ms, through.p99_ms / direct.p99_ms, direct.rps / through.rps)
        print(f"{'':50} {'overhead':8} p50 x{ratios[0]:.2f}, p99 x{ratios[1]:.2f}, throughput x{ratios[2]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--commitments", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=1000, help="requests per scenario and target")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=5, help="alternations of direct and gateway runs")
    args = parser.parse_args()
    postgres: PostgresServer | None = None
    with tempfile.TemporaryDirectory(prefix="resolute-bench-") as scratch:
        database_urls: dict[str, str] = {}
        if args.database == "postgresql":
            pg_bin = find_pg_bin()
            if pg_bin is None:
                raise SystemExit("PostgreSQL's server binaries are not installed")
            postgres = PostgresServer(pg_bin)
            postgres.start()
            database_urls = {
                s: postgres.url(postgres.create_database()) for s in ("ingest", "tracker", "notifier", "gateway")
            }
        config = StackConfig(
            data_dir=Path(scratch),
            ports={name: free_port() for name in ("gateway", "ingest", "tracker", "notifier")},
            broker_port=free_port(),
            admin_key=ADMIN_KEY,
            database_urls=database_urls,
            extra_env={"RESOLUTE_GATEWAY_RATE_LIMIT": "", "RESOLUTE_LOG_LEVEL": "WARNING"},
        )
        stack = Stack(config)
        try:
            config.data_dir.mkdir(parents=True, exist_ok=True)
            stack.migrate("tracker")
            started = time.perf_counter()
            tracker_db = database_urls.get("tracker", f"sqlite+aiosqlite:///{config.data_dir / 'tracker.db'}")
            asyncio.run(seed(tracker_db, args.commitments))
            print(f"seeded {args.commitments} commitments in {time.perf_counter() - started:.1f} s ({args.database})")
            stack.start()
            print(f"{args.requests} requests per row, {args.concurrency} concurrent clients, one process per service")
            asyncio.run(run(stack, args.requests, args.concurrency, args.rounds))
        finally:
            stack.stop(drain=False)
            if postgres is not None:
                postgres.stop()


if __name__ == "__main__":
    main()
