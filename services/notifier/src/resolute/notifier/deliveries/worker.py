"""The delivery worker: claims due deliveries, sends them concurrently, records each attempt."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

import httpx
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from resolute.notifier import metrics
from resolute.notifier.deliveries.models import Delivery
from resolute.notifier.deliveries.sender import send_webhook
from resolute.notifier.deliveries.service import DELIVERIES_FLAG, record_attempt
from resolute.notifier.settings import NotifierSettings
from resolute.notifier.subscriptions.models import Subscription
from resolute.shared.clock import Clock
from resolute.shared.db import on_commit
from resolute.shared.logging import get_logger

log = get_logger(__name__)


class DeliveryWorker:
    """Runs in every notifier replica; a claim (locked_until) keeps replicas off each other's deliveries."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        settings: NotifierSettings,
        clock: Clock,
        *,
        batch_size: int = 50,
        concurrency: int = 20,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._settings = settings
        self._clock = clock
        self._batch_size = batch_size
        self._semaphore = asyncio.Semaphore(concurrency)
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._client: httpx.AsyncClient | None = None
        on_commit(sessionmaker, DELIVERIES_FLAG, self._wake.set)

    async def start(self) -> None:
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(self._settings.webhook_timeout_seconds),
            follow_redirects=False,
            limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),
        )
        self._task = asyncio.create_task(self._run(), name="delivery-worker")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._client:
            await self._client.aclose()

    async def _run(self) -> None:
        while True:
            try:
                handled = await self.deliver_due()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("delivery_round_failed")
                handled = 0
            if handled < self._batch_size:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self._settings.delivery_poll_interval)
                self._wake.clear()

    async def deliver_due(self) -> int:
        now = self._clock.now()
        lease = timedelta(seconds=self._settings.webhook_timeout_seconds + 30)
        async with self._sessionmaker() as session, session.begin():
            query = (
                select(Delivery.id)
                .where(
                    Delivery.status == "pending",
                    Delivery.next_attempt_at <= now,
                    or_(Delivery.locked_until.is_(None), Delivery.locked_until < now),
                )
                .order_by(Delivery.next_attempt_at)
                .limit(self._batch_size)
            )
            if session.get_bind().dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            ids = list((await session.scalars(query)).all())
            for delivery in (await session.scalars(select(Delivery).where(Delivery.id.in_(ids)))).all():
                delivery.locked_until = now + lease
        if ids:
            await asyncio.gather(*(self._attempt(ident) for ident in ids))
        return len(ids)

    async def _attempt(self, ident: str) -> None:
        assert self._client is not None
        async with self._semaphore:
            async with self._sessionmaker() as session:
                delivery = await session.get(Delivery, ident)
                subscription = await session.get(Subscription, delivery.subscription_id) if delivery else None
            if delivery is None or subscription is None:
                return
            result = await send_webhook(
                self._client,
                url=subscription.url,
                message_id=delivery.id,
                body=delivery.payload,
                secrets=[subscription.secret],
            )
            now = self._clock.now()
            async with self._sessionmaker() as session, session.begin():
                fresh = await session.get(Delivery, ident)
                if fresh is None:
                    return
                record_attempt(session, fresh, result, now=now, schedule=self._settings.webhook_retry_schedule)
                status = fresh.status
            metrics.WEBHOOK_ATTEMPTS.labels("success" if result.ok else "failure").inc()
            if result.ok:
                metrics.WEBHOOK_LATENCY.observe(max(0.0, (now - delivery.event_time).total_seconds()))
            if status == "dead":
                metrics.WEBHOOK_DEAD_LETTERS.inc()
            log.info(
                "webhook_attempt",
                delivery_id=ident,
                subscription_id=subscription.id,
                status_code=result.status_code,
                ok=result.ok,
                error=result.error,
                delivery_status=status,
            )
