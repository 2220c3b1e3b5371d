"""Waiting for a wake-up signal or a poll interval, whichever comes first, without losing a cancellation.

Every background loop (outbox relay, deadline scheduler, delivery worker, gauges) sleeps this way. On
Python 3.11, `asyncio.wait_for(event.wait(), t)` swallows a cancellation that arrives in the same tick as
the event being set: it returns as if woken, the loop goes round again and the service's shutdown, which
cancelled it and awaits it, hangs. `asyncio.timeout` tells its own cancellation from anybody else's.
"""

from __future__ import annotations

import asyncio


async def woken(event: asyncio.Event, timeout: float) -> bool:
    """Wait until `event` is set (True) or `timeout` seconds pass (False); a cancellation always propagates."""
    try:
        async with asyncio.timeout(timeout):
            await event.wait()
    except TimeoutError:
        return False
    return True
