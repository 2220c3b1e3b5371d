"""Gauges that need the database (queue depth, disabled subscriptions) and retention of old records."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from resolute.notifier import metrics
from resolute.notifier.deliveries.models import Delivery
from resolute.notifier.digests.models import Digest, DigestItem
from resolute.notifier.settings import NotifierSettings
from resolute.notifier.subscriptions.models import Notice, Subscription
from resolute.shared.background import stop_task
from resolute.shared.clock import Clock
from resolute.shared.logging import get_logger

log = get_logger(__name__)

CLEANUP_EVERY = 3600.0
CLEANUP_BATCH = 1000


class NotifierMonitor:
    """Every replica reports the same database-wide values; dashboards take max() across replicas."""

    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], settings: NotifierSettings, clock: Clock
    ) -> None:
        self._sessionmaker = sessionmaker
        self._settings = settings
        self._clock = clock
        self._task: asyncio.Task[None] | None = None
        self.pending = 0
        self.disabled = 0

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="notifier-monitor")

    async def stop(self) -> None:
        await stop_task(self._task)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        last_cleanup = loop.time()
        while True:
            try:
                await self.refresh()
                if loop.time() - last_cleanup > CLEANUP_EVERY:
                    await self.clean_up()
                    last_cleanup = loop.time()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("notifier_monitor_failed", error=str(exc)[:300])
            await asyncio.sleep(self._settings.monitor_interval)

    async def refresh(self) -> None:
        async with self._sessionmaker() as session:
            self.pending = int(
                await session.scalar(select(func.count()).select_from(Delivery).where(Delivery.status == "pending"))
                or 0
            )
            self.disabled = int(
                await session.scalar(
                    select(func.count()).select_from(Subscription).where(Subscription.enabled.is_(False))
                )
                or 0
            )
        metrics.QUEUE_DEPTH.set(self.pending)
        metrics.DISABLED_SUBSCRIPTIONS.set(self.disabled)

    async def readiness(self) -> dict[str, Any]:
        return {"deliveries_pending": self.pending, "subscriptions_disabled": self.disabled}

    async def clean_up(self) -> int:
        """Drop finished deliveries (with their attempts), digests and notices older than the retention."""
        cutoff = self._clock.now() - timedelta(days=self._settings.retention_days)
        removed = 0
        while True:
            async with self._sessionmaker() as session, session.begin():
                ids = (
                    await session.scalars(
                        select(Delivery.id)
                        .where(Delivery.status.in_(("succeeded", "dead")), Delivery.created_at < cutoff)
                        .limit(CLEANUP_BATCH)
                    )
                ).all()
                if ids:
                    await session.execute(delete(Delivery).where(Delivery.id.in_(ids)))
            removed += len(ids)
            if len(ids) < CLEANUP_BATCH:
                break
        async with self._sessionmaker() as session, session.begin():
            await session.execute(
                delete(DigestItem).where(DigestItem.digest_id.is_not(None), DigestItem.received_at < cutoff)
            )
            await session.execute(delete(Digest).where(Digest.created_at < cutoff))
            await session.execute(delete(Notice).where(Notice.created_at < cutoff))
        if removed:
            log.info("notifier_records_removed", deliveries=removed, older_than=cutoff.isoformat())
        return removed
