"""Fault injection on the embedded stack: services SIGKILLed during a batch of uploads, the broker frozen and
killed (it comes back empty), PostgreSQL restarted; then everything acknowledged is counted where it should
have arrived: documents, commitments, assignments, history entries, milestones and webhooks (a real local
receiver). 0 lost, 0 duplicated effects; a webhook re-sent under the same webhook-id is counted apart.

The supervisor (as `resolute dev` runs it) brings back whatever dies. `make chaos` runs the full form
(RESOLUTE_CHAOS_KILLS=20 kills of each service, 3 broker restarts); `make test` a bounded one.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import signal
import uuid
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from resolute.cli.stack import Stack
from resolute.cli.supervisor import CrashPolicy, Supervisor
from resolute.cli.testing import all_pages, gateway_client, running_stack
from resolute.shared.testing.fixtures import WebhookReceiver, eventually, serving
from resolute.shared.testing.postgres import PostgresServer

pytestmark = [pytest.mark.e2e, pytest.mark.chaos]

ADMIN_KEY = "rsk_chaos-" + uuid.uuid4().hex
KILLS = int(os.environ.get("RESOLUTE_CHAOS_KILLS", "2"))  # of each service
BROKER_RESTARTS = int(os.environ.get("RESOLUTE_CHAOS_BROKER_RESTARTS", "1"))
UPLOAD_PACE = float(os.environ.get("RESOLUTE_CHAOS_UPLOAD_PACE", "0.5"))  # seconds between acknowledged uploads
ITEMS = 4  # commitments per document, each assigned to EE, LV, LT and the Baltic Council of Ministers
KILLED = ("ingest", "tracker", "notifier")


def resolution_text(run: str) -> str:
    """A resolution with ITEMS commitments due on a date already past (so each assignment gets a milestone)."""
    lines = "\n".join(f"- to coordinate measure {n} of plan {run} by 31 December 2025;" for n in range(ITEMS))
    return (
        "The Baltic Assembly,\n\ncalls on the parliaments and governments of the Republic of Estonia, the Republic "
        "of Latvia, and the Republic of Lithuania, as well as the Baltic Council of Ministers:\n\n"
        f"regarding the coordination of plans:\n\n{lines}\n"
    )


@dataclass
class Tally:
    """What the run found; printed as the suite's summary lines."""

    faults: Counter[str] = field(default_factory=Counter)
    counts: Counter[str] = field(default_factory=Counter)
    lost: Counter[str] = field(default_factory=Counter)
    duplicated: Counter[str] = field(default_factory=Counter)
    resent_same_id: int = 0
    unacknowledged_uploads: int = 0

    def report(self, scenario: str) -> None:
        faults = ", ".join(f"{name} {n}" for name, n in sorted(self.faults.items()))
        counts = ", ".join(f"{name} {n}" for name, n in sorted(self.counts.items()))
        print(f"\nchaos[{scenario}]: survived: {faults}")
        print(f"chaos[{scenario}]: counted: {counts}; re-sent with the same webhook-id {self.resent_same_id}")
        refused = self.unacknowledged_uploads
        print(f"chaos[{scenario}]: uploads not acknowledged (refused while a service was down) {refused}")
        print(f"chaos[{scenario}]: lost {sum(self.lost.values())} {dict(self.lost)}")
        print(f"chaos[{scenario}]: duplicated {sum(self.duplicated.values())} {dict(self.duplicated)}")


@pytest.fixture
def receiver() -> WebhookReceiver:
    """A ministry's endpoint: a real local HTTP server that records every request and answers 200."""
    return WebhookReceiver()


@contextlib.contextmanager
def supervised_stack(
    data_dir: Path, backend: str, postgres_server: PostgresServer | None
) -> Iterator[tuple[Stack, Supervisor]]:
    with running_stack(
        data_dir,
        backend,
        postgres_server,
        admin_key=ADMIN_KEY,
        drain=False,
        now="2026-11-20T09:00:00Z",
        retry_schedule=",".join(["0.5"] * 4 + ["2"] * 40),
        extra_env={
            "RESOLUTE_BROKER_CHECK_INTERVAL_SECONDS": "1",
            "RESOLUTE_NOTIFIER_WEBHOOK_TIMEOUT": "5",  # a lease left by a killed notifier expires sooner
            "RESOLUTE_NOTIFIER_POLL_INTERVAL": "0.2",
            "RESOLUTE_TRACKER_SCHEDULER_INTERVAL": "0.5",
            "RESOLUTE_GATEWAY_RATE_LIMIT": "",  # the count reads every assignment's history through the gateway
        },
    ) as stack:
        supervisor = Supervisor(stack, CrashPolicy(first_delay=0.2, max_delay=2, budget=10_000), emit=lambda _: None)
        supervisor.start_in_background()
        try:
            yield stack, supervisor
        finally:
            supervisor.stop_background()
            assert supervisor.failure is None, supervisor.failure


async def _back(stack: Stack, service: str, timeout: float = 120) -> None:
    """Until the supervisor has brought `service` back and it answers (a consumer: has its partitions)."""

    def ready() -> bool:
        checks = stack.readiness(service)
        return checks is not None and (service not in ("tracker", "notifier") or checks.get("consumer") == "assigned")

    await eventually(lambda: asyncio.to_thread(ready), timeout, interval=0.3)


class Uploads:
    """Uploads resolutions through the gateway, one after another, until told to stop; remembers which were
    acknowledged (202) and counts those that were not (a service was down: the client would try again)."""

    def __init__(self, gateway: httpx.AsyncClient, pace: float = UPLOAD_PACE) -> None:
        self.gateway = gateway
        self.pace = pace  # seconds between uploads: a steady trickle, not a flood two cores cannot drain
        self.acknowledged: set[str] = set()
        self.refused = 0
        self.done = asyncio.Event()

    async def run(self, minimum: int) -> None:
        while not (self.done.is_set() and len(self.acknowledged) >= minimum):
            try:
                run = uuid.uuid4().hex  # a new document each time (the same title would make it a new version)
                answer = await self.gateway.post(
                    "/v1/documents",
                    json={"text": resolution_text(run), "title": f"chaos {run}", "publish": "at_once"},
                )
            except httpx.HTTPError:
                answer = None
            if answer is not None and answer.status_code == 202:
                self.acknowledged.add(answer.json()["id"])
                await asyncio.sleep(self.pace)
            else:
                self.refused += 1
                await asyncio.sleep(0.3)


async def _settled(stack: Stack, receiver: WebhookReceiver, timeout: float = 900) -> None:
    """Drained (outboxes, consumer lags, due deadlines) and no webhook arriving for a while."""
    last = -1

    async def quiet() -> bool:
        nonlocal last
        drained = await asyncio.to_thread(stack.drain, 10)
        seen, last = last, len(receiver.requests)
        return drained and seen == last

    try:
        await eventually(quiet, timeout, interval=3)
    except AssertionError:
        states = {name: stack.readiness(name) for name in ("ingest", "tracker", "notifier")}
        raise AssertionError(f"the stack did not settle: {states}") from None


async def _get(client: httpx.AsyncClient, path: str) -> Any:
    """One read, waiting out the gateway's rate limit (the count reads every assignment's history)."""
    for _ in range(60):
        response = await client.get(path)
        if response.status_code != 429:
            assert response.status_code == 200, response.text
            return response.json()
        await asyncio.sleep(float(response.headers.get("retry-after", "1")))
    raise AssertionError(f"still rate limited: {path}")


async def _count(stack: Stack, receiver: WebhookReceiver, uploads: Uploads, tally: Tally) -> None:
    tally.unacknowledged_uploads = uploads.refused
    async with gateway_client(stack, timeout=60) as admin:
        documents = {d["id"]: d for d in await all_pages(admin, "/v1/documents", limit=200)}
        tally.lost["documents"] += len(uploads.acknowledged - set(documents))
        tally.counts["documents"] = len(documents)
        assignment_ids: set[str] = set()
        for document_id, document in documents.items():
            if document["commitment_count"] != ITEMS:
                tally.lost["commitments extracted"] += ITEMS - document["commitment_count"]
            commitments = await all_pages(admin, "/v1/commitments", document_id=document_id)
            ids = [c["id"] for c in commitments]
            tally.counts["commitments"] += len(set(ids))
            tally.lost["commitments"] += document["commitment_count"] - len(set(ids))
            tally.duplicated["commitments"] += len(ids) - len(set(ids))
            assignments = await all_pages(admin, "/v1/assignments", document_id=document_id)
            keys = [(a["commitment_id"], a["country"], a["ministry"], a["body"]) for a in assignments]
            tally.counts["assignments"] += len(set(keys))
            tally.lost["assignments"] += 4 * len(set(ids)) - len(set(keys))
            tally.duplicated["assignments"] += len(keys) - len(set(keys))
            assignment_ids |= {a["id"] for a in assignments}
        for assignment_id in sorted(assignment_ids):
            entries = (await _get(admin, f"/v1/assignments/{assignment_id}/history"))["items"]
            changes = [(e["kind"], e["previous_status"], e["status"]) for e in entries]
            tally.counts["history entries"] += len(entries)
            tally.lost["history entries"] += 0 if entries else 1
            tally.duplicated["history entries"] += len(changes) - len(set(changes))

    ids_per_effect: dict[tuple[str, str], set[str]] = defaultdict(set)
    for headers, body in receiver.requests:
        payload = json.loads(body)
        data = payload["data"]
        subject = data.get("assignment_id") or data.get("commitment_id") or data.get("document_id") or body
        ids_per_effect[(payload["type"], str(subject))].add(headers["webhook-id"])
    webhook_ids = [i for delivered in ids_per_effect.values() for i in delivered]
    tally.resent_same_id = len(receiver.requests) - len(set(webhook_ids))
    tally.counts["webhooks"] = len(set(webhook_ids))
    for (event_type, _), delivered in ids_per_effect.items():
        tally.duplicated[f"webhooks {event_type}"] += len(delivered) - 1
    assigned = {a for (t, a) in ids_per_effect if t == "commitment.assigned"}
    milestones = {a for (t, a) in ids_per_effect if t.startswith("deadline.")}
    tally.counts["milestones"] = sum(1 for (t, _) in ids_per_effect if t.startswith("deadline."))
    tally.lost["webhooks commitment.assigned"] += len(assignment_ids - assigned)
    tally.lost["milestones"] += len(assignment_ids - milestones)
    tally.lost = +tally.lost  # drop the zeros
    tally.duplicated = +tally.duplicated


async def _run(
    stack: Stack,
    receiver: WebhookReceiver,
    faults: Callable[[], Awaitable[None]],
    tally: Tally,
    scenario: str,
    minimum_documents: int,
) -> None:
    async with serving(receiver.app) as receiver_url, gateway_client(stack, timeout=30) as gateway:
        created = await gateway.post(
            "/v1/subscriptions", json={"url": receiver_url + "/hook", "event_types": [], "rate_limit": 1000}
        )
        assert created.status_code == 201, created.text
        uploads = Uploads(gateway)
        uploading = asyncio.create_task(uploads.run(minimum_documents))
        try:
            await eventually(lambda: len(uploads.acknowledged) >= 2, 120)  # work in flight before the first fault
            await faults()
        finally:
            uploads.done.set()
        await asyncio.wait_for(uploading, 600)
        await _settled(stack, receiver)
        await _count(stack, receiver, uploads, tally)
    tally.report(scenario)
    assert uploads.acknowledged, "nothing was acknowledged: the run proved nothing"
    assert not tally.lost and not tally.duplicated, (tally.lost, tally.duplicated)


@pytest.mark.timeout(3600)
async def test_services_killed_during_uploads_lose_and_duplicate_nothing(
    tmp_path: Path, receiver: WebhookReceiver
) -> None:
    tally = Tally()
    with supervised_stack(tmp_path, "sqlite", None) as (stack, supervisor):

        async def kill_each_service() -> None:
            for _ in range(KILLS):
                for service in KILLED:
                    stack.kill(service)
                    await _back(stack, service)
                    await asyncio.sleep(random.uniform(0.2, 1.5))
            for service in KILLED:
                tally.faults[f"kills of {service}"] = supervisor.restarts.get(service, 0)

        await _run(stack, receiver, kill_each_service, tally, "kills", minimum_documents=3 * KILLS)
    assert all(tally.faults[f"kills of {s}"] == KILLS for s in KILLED), tally.faults


@pytest.mark.timeout(3600)
async def test_a_frozen_and_a_restarted_broker_lose_and_duplicate_nothing(
    tmp_path: Path, receiver: WebhookReceiver
) -> None:
    tally = Tally()
    with supervised_stack(tmp_path, "sqlite", None) as (stack, supervisor):

        async def freeze_then_restart_the_broker() -> None:
            stack.kill("broker", signal.SIGSTOP)
            await asyncio.sleep(8)  # uploads go on: acknowledged into the outboxes
            stack.kill("broker", signal.SIGCONT)
            tally.faults["broker freezes"] += 1
            for _ in range(BROKER_RESTARTS):
                await asyncio.sleep(random.uniform(2, 5))
                stack.kill("broker")  # it comes back empty: no topics, no offsets, no groups
                await eventually(lambda: supervisor.restarts.get("broker", 0) > tally.faults["broker restarts"], 60)
                tally.faults["broker restarts"] += 1
                for service in KILLED:
                    await _back(stack, service)

        await _run(stack, receiver, freeze_then_restart_the_broker, tally, "broker", minimum_documents=8)
    assert tally.faults["broker restarts"] == BROKER_RESTARTS


@pytest.mark.timeout(3600)
async def test_a_restarted_postgresql_loses_and_duplicates_nothing(
    tmp_path: Path, receiver: WebhookReceiver, postgres_server: PostgresServer | None
) -> None:
    if postgres_server is None:
        pytest.skip("PostgreSQL is not available (RESOLUTE_TEST_SKIP_POSTGRES is set)")
    tally = Tally()
    with supervised_stack(tmp_path, "postgresql", postgres_server) as (stack, _):

        async def restart_postgresql() -> None:
            await asyncio.to_thread(postgres_server.restart, down_for=3)
            tally.faults["postgresql restarts"] += 1
            for service in KILLED:
                await _back(stack, service)

        await _run(stack, receiver, restart_postgresql, tally, "postgresql", minimum_documents=8)
