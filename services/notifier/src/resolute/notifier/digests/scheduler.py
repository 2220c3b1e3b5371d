"""Puts each subscription's daily digest in the delivery queue once its hour has passed (every replica runs it)."""

from __future__ import annotations

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from resolute.notifier import metrics
from resolute.notifier.digests.service import latest_send_time, make_digest, subscriptions_due
from resolute.notifier.settings import NotifierSettings
from resolute.shared.background import stop_task
from resolute.shared.clock import Clock
from resolute.shared.logging import get_logger

log = get_logger(__name__)


class DigestScheduler:
    """Checks every `digest_interval` seconds; the digest's unique (subscription, day) row makes it once only."""

    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], settings: NotifierSettings, clock: Clock
    ) -> None:
        self._sessionmaker = sessionmaker
        self._settings = settings
        self._clock = clock
        self._zone = ZoneInfo(settings.digest_timezone)
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="digest-scheduler")

    async def stop(self) -> None:
        await stop_task(self._task)

    async def _run(self) -> None:
        while True:
            try:
                await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("digest_round_failed")
            await asyncio.sleep(self._settings.digest_interval)

    async def run_once(self, at: datetime | None = None) -> int:
        """Make every digest due at `at` (default: now); returns how many were made. Records carry the clock's now."""
        now = self._clock.now()
        cut_off = latest_send_time(at or now, hour=self._settings.digest_hour, zone=self._zone)
        async with self._sessionmaker() as session:
            due = await subscriptions_due(session, cut_off)
        made = 0
        for subscription_id in due:
            try:
                async with self._sessionmaker() as session, session.begin():
                    delivery = await make_digest(session, subscription_id, cut_off=cut_off, now=now)
            except IntegrityError:  # another replica made it first
                continue
            if delivery is not None:
                made += 1
                metrics.DIGESTS_MADE.inc()
                log.info("digest_made", subscription_id=subscription_id, day=cut_off.date().isoformat())
        return made
