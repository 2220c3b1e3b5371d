"""Fixtures for the notifier's integration tests: the service on a real database and broker, real receivers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack

import pytest

from resolute.notifier.testing import NotifierHarness
from resolute.shared.testing.broker import TansuBroker


@pytest.fixture
async def harness(make_database: Callable[[str], str], kafka: TansuBroker) -> AsyncIterator[NotifierHarness]:
    async with AsyncExitStack() as stack:
        yield NotifierHarness(kafka, make_database("notifier"), stack)
