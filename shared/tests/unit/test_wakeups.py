"""Background loops sleep on `woken`: a wake-up, a timeout, and a shutdown's cancellation are told apart."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import MetaData

from resolute.shared.messaging.outbox import Outbox
from resolute.shared.messaging.tables import define_messaging_tables
from resolute.shared.wakeups import woken


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
