"""A clock that can start from RESOLUTE_NOW, so demos and tests can stand at a chosen date and let time run on."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta


class Clock:
    """Wall-clock time, optionally shifted so that it read `start_at` when the service started."""

    def __init__(self, start_at: datetime | None = None) -> None:
        self._offset = timedelta(0)
        if start_at is not None:
            self._offset = start_at.astimezone(UTC) - datetime.now(UTC)

    def now(self) -> datetime:
        return datetime.now(UTC) + self._offset

    def monotonic(self) -> float:
        return time.monotonic()

    @property
    def shifted(self) -> bool:
        return self._offset != timedelta(0)


def utcnow() -> datetime:
    """Real wall-clock time, for transport-level stamps that must not follow RESOLUTE_NOW."""
    return datetime.now(UTC)
