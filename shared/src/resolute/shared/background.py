"""How every background loop (outbox relay, consumers, deadline scheduler, delivery worker, gauges) sleeps and
stops, so that a service's shutdown always ends.

Python 3.11's `asyncio.wait_for` swallows a cancellation that arrives in the same tick as what it waits for:
it returns as if that had happened, and a loop cancelled at that moment goes round again while the shutdown
that cancelled it waits for ever. Our loops sleep on `asyncio.timeout` instead (`woken`), which tells its own
timeout from anybody else's cancellation; libraries we call (aiokafka, connecting) still use `wait_for`, so
`stop_task` cancels again until the loop has really ended.
"""

from __future__ import annotations

import asyncio
from typing import Any


async def woken(event: asyncio.Event, timeout: float) -> bool:
    """Wait until `event` is set (True) or `timeout` seconds pass (False); a cancellation always propagates."""
    try:
        async with asyncio.timeout(timeout):
            await event.wait()
    except TimeoutError:
        return False
    return True


async def stop_task(task: asyncio.Task[Any] | None, *, recancel_every: float = 5.0) -> None:
    """Cancel a background task and wait until it has ended, cancelling it again if a cancellation was lost.

    The pause before cancelling again leaves a task that did get the first cancellation time for its clean-up
    (a consumer leaving its group); a task that ended with an error raises it here, so the stop reports it."""
    if task is None:
        return
    while not task.done():
        task.cancel()
        await asyncio.wait({task}, timeout=recancel_every)
    if not task.cancelled():
        task.result()
