"""Background loops sleep on `woken` (a wake-up, a timeout and a shutdown's cancellation told apart) and are
stopped by `stop_task`, which ends them even when a library lost the first cancellation."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import MetaData

from resolute.shared.background import stop_task, woken
from resolute.shared.messaging.outbox import Outbox
from resolute.shared.messaging.tables import define_messaging_tables


async def test_woken_says_whether_the_event_or_the_timeout_came_first() -> None:
    event = asyncio.Event()
    assert await woken(event, 0.01) is False
    asyncio.get_running_loop().call_later(0.01, event.set)
    assert await woken(event, 5) is True


async def test_a_cancellation_in_the_same_tick_as_the_wake_up_is_not_lost() -> None:
    """The race that hung shutdowns: `asyncio.wait_for` on Python 3.11 returned as if woken."""
    event = asyncio.Event()
    sleeper = asyncio.create_task(woken(event, 5))
    await asyncio.sleep(0.01)
    event.set()
    sleeper.cancel()
    with pytest.raises(asyncio.CancelledError):
        await sleeper


async def test_the_relay_sleeping_on_the_outbox_stops_when_cancelled_as_it_is_woken() -> None:
    outbox = Outbox(define_messaging_tables(MetaData()), source="/resolute/test")
    sleeper = asyncio.create_task(outbox.wait(5))
    await asyncio.sleep(0.01)
    outbox.notify()
    sleeper.cancel()
    with pytest.raises(asyncio.CancelledError):
        await sleeper


async def test_stop_task_ends_a_loop_that_lost_a_cancellation() -> None:
    rounds = 0

    async def loop_that_loses_the_first_cancellation() -> None:
        nonlocal rounds
        while True:
            rounds += 1
            try:
                await asyncio.sleep(3600)
            except asyncio.CancelledError:
                if rounds == 1:
                    continue  # what a library's `wait_for` does on Python 3.11 when the cancellation races a result
                raise

    task = asyncio.create_task(loop_that_loses_the_first_cancellation())
    await asyncio.sleep(0)
    async with asyncio.timeout(30):  # a failure to stop fails here instead of hanging the run
        await stop_task(task, recancel_every=0.01)
    assert task.cancelled() and rounds == 2


async def test_stop_task_reports_how_a_task_failed_and_accepts_none() -> None:
    async def failing() -> None:
        raise RuntimeError("the broker went away")

    task = asyncio.create_task(failing())
    await asyncio.sleep(0)
    with pytest.raises(RuntimeError, match="broker went away"):
        await stop_task(task)
    await stop_task(None)
