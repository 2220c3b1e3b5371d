"""The delivery worker: keeps up to N attempts in flight, claims more as slots free, records results in batches.

Crash safety: a delivery is claimed with a lease (`locked_until`) before it is sent, and recorded after.
A process that dies in between leaves the lease to expire, and the delivery is sent again with the same
webhook-id: receivers may see a message twice, never one message under two ids.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter
from dataclasses import replace
from datetime import timedelta

import httpx
from sqlalchemy import update
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from resolute.notifier import metrics
from resolute.notifier.deliveries.lifecycle import RetryPolicy
from resolute.notifier.deliveries.models import Delivery
from resolute.notifier.deliveries.queue import DELIVERIES_QUEUED
from resolute.notifier.deliveries.sender import AttemptResult, send_webhook
from resolute.notifier.deliveries.service import DeliveryJob, RecordedAttempt, claim_due, record_results
from resolute.notifier.deliveries.throttle import SubscriptionThrottle
from resolute.notifier.deliveries.transport import webhook_client
from resolute.notifier.settings import NotifierSettings
from resolute.shared.background import stop_task, woken
from resolute.shared.clock import Clock
from resolute.shared.logging import get_logger

log = get_logger(__name__)

RECORD_BATCH = 200
STOP_GRACE_SECONDS = 5.0
COALESCE_SECONDS = 0.02  # after a wake-up, let a burst of new deliveries land so one claim takes them all


class DeliveryWorker:
    """Runs in every notifier replica; leases keep replicas off each other's deliveries."""

    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], settings: NotifierSettings, clock: Clock
    ) -> None:
        self._sessionmaker = sessionmaker
        self._settings = settings
        self._clock = clock
        self._concurrency = settings.delivery_concurrency
        self._throttle = SubscriptionThrottle(
            max_in_flight=settings.max_in_flight_per_subscription, clock=time.monotonic
        )
        self._lease = timedelta(seconds=settings.webhook_timeout_seconds + 15)
        self._wake = asyncio.Event()
        self._results: asyncio.Queue[tuple[DeliveryJob, AttemptResult]] = asyncio.Queue()
        self._in_flight: dict[str, asyncio.Task[None]] = {}
        self._loop_task: asyncio.Task[None] | None = None
        self._recorder_task: asyncio.Task[None] | None = None
        self._client: httpx.AsyncClient | None = None
        DELIVERIES_QUEUED.listen(sessionmaker, self.wake)

    def wake(self) -> None:
        self._wake.set()

    async def start(self) -> None:
        self._client = webhook_client(self._settings.address_policy, max_connections=self._concurrency)
        self._recorder_task = asyncio.create_task(self._record_loop(), name="delivery-recorder")
        self._loop_task = asyncio.create_task(self._run(), name="delivery-worker")

    async def stop(self) -> None:
        """Stop claiming, let attempts in flight finish briefly, record them, hand back the rest's leases."""
        await stop_task(self._loop_task)
        unfinished: list[str] = []
        if self._in_flight:
            _, pending = await asyncio.wait(list(self._in_flight.values()), timeout=STOP_GRACE_SECONDS)
            unfinished = [ident for ident, task in self._in_flight.items() if task in pending]
            await asyncio.gather(*(stop_task(task) for task in pending), return_exceptions=True)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(10):
                await self._drain_results()
        await stop_task(self._recorder_task)
        if unfinished:
            with contextlib.suppress(Exception):
                async with self._sessionmaker() as session, session.begin():
                    await session.execute(
                        update(Delivery)
                        .where(Delivery.id.in_(unfinished), Delivery.status == "pending")
                        .values(locked_until=None)
                    )
        if self._client:
            await self._client.aclose()

    async def _drain_results(self) -> None:
        await self._results.join()

    # --- claiming and sending ---------------------------------------------------------------------------------

    async def _run(self) -> None:
        backoff = 0.5
        while True:
            free = self._concurrency - len(self._in_flight)
            if free > 0:
                try:
                    for job in await self._claim(free):
                        self._in_flight[job.delivery_id] = asyncio.create_task(
                            self._attempt(job), name=f"delivery-{job.delivery_id}"
                        )
                    backoff = 0.5
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("delivery_claim_failed", retry_in=backoff)
                    await asyncio.sleep(backoff)
                    backoff = min(backoff * 2, 10)
                    continue
            timeout = self._settings.delivery_poll_interval
            until_free = self._throttle.seconds_until_free()
            if until_free is not None:
                timeout = min(timeout, max(until_free, 0.01))
            if await woken(self._wake, timeout):
                await asyncio.sleep(COALESCE_SECONDS)
            self._wake.clear()

    async def _claim(self, free: int) -> list[DeliveryJob]:
        admitted: list[str] = []
        default_rate = self._settings.default_rate_limit

        def admit(subscription_id: str, rate_limit: int | None) -> bool:
            if self._throttle.admit(subscription_id, float(rate_limit or default_rate)):
                admitted.append(subscription_id)
                return True
            return False

        try:
            async with self._sessionmaker() as session, session.begin():
                jobs = await claim_due(
                    session,
                    now=self._clock.now(),
                    limit=free,
                    lease=self._lease,
                    excluded=self._throttle.blocked(),
                    admit=admit,
                )
        except BaseException:
            for subscription_id in admitted:
                self._throttle.release(subscription_id)
            raise
        # admitted but not claimed after all (the subscription went meanwhile): hand the slot back
        for subscription_id, count in (Counter(admitted) - Counter(job.subscription_id for job in jobs)).items():
            for _ in range(count):
                self._throttle.release(subscription_id)
        return jobs

    async def _attempt(self, job: DeliveryJob) -> None:
        assert self._client is not None
        try:
            started = self._clock.now()
            result = await send_webhook(
                self._client,
                url=job.url,
                message_id=job.delivery_id,
                body=job.payload,
                secrets=job.secrets,
                timeout=self._settings.webhook_timeout_seconds,
            )
            result = replace(result, started_at=started)
            if result.ok:  # measured when the 2xx arrives, not when it is written down
                metrics.DELIVERY_LATENCY.observe(max(0.0, (self._clock.now() - job.event_time).total_seconds()))
            self._results.put_nowait((job, result))
        finally:
            self._throttle.release(job.subscription_id)
            self._in_flight.pop(job.delivery_id, None)
            self._wake.set()

    # --- recording --------------------------------------------------------------------------------------------

    async def _record_loop(self) -> None:
        while True:
            batch = [await self._results.get()]
            while len(batch) < RECORD_BATCH and not self._results.empty():
                batch.append(self._results.get_nowait())
            try:
                await self._record(batch)
            except Exception:  # never let the recorder die: unrecorded leases expire, deliveries go again
                log.exception("delivery_record_loop_error")
            finally:
                for _ in batch:
                    self._results.task_done()

    async def _record(self, batch: list[tuple[DeliveryJob, AttemptResult]]) -> None:
        policy = RetryPolicy(
            schedule=self._settings.webhook_retry_schedule,
            retry_after_max=self._settings.retry_after_max_seconds,
            disable_after=timedelta(seconds=self._settings.disable_after_seconds),
        )
        backoff = 0.5
        while True:
            now = self._clock.now()
            try:
                async with self._sessionmaker() as session, session.begin():
                    recorded = await record_results(session, batch, now=now, policy=policy)
                break
            except (OperationalError, InterfaceError) as exc:  # the database is away: keep the results, wait
                log.warning("delivery_record_waiting_for_database", error=str(exc)[:300], retry_in=backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10)
            except Exception:  # the leases expire and these deliveries are sent again, same ids
                log.exception("delivery_record_failed", deliveries=[job.delivery_id for job, _ in batch])
                return
        for item in recorded:
            self._observe(item)

    def _observe(self, item: RecordedAttempt) -> None:
        result = item.result
        metrics.WEBHOOK_ATTEMPTS.labels(result.outcome).inc()
        if item.became_dead:
            metrics.DEAD_DELIVERIES.inc(item.became_dead)
        if result.ok and not logging.getLogger(__name__).isEnabledFor(logging.DEBUG):
            return  # a success is in the delivery log and the metrics; a line per success would flood the logs
        (log.debug if result.ok else log.info)(
            "webhook_attempt",
            delivery_id=item.job.delivery_id,
            subscription_id=item.job.subscription_id,
            outcome=result.outcome,
            status_code=result.status_code,
            duration_ms=result.duration_ms,
            error=result.error,
            delivery_status=item.status,
            next_attempt_at=item.next_attempt_at.isoformat() if item.next_attempt_at else None,
        )
        if item.disabled_subscription:
            log.warning("subscription_disabled", subscription_id=item.job.subscription_id, error=result.error)
