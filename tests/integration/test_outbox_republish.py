"""`python -m resolute.<service> outbox republish --since ...`: the operator's way to publish again what a broker
lost (Apache Kafka after an unclean leader election or a lost cluster), run as an operator runs it."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import create_async_engine

from resolute.ingest.database import messaging_tables
from resolute.shared.topics import COMMITMENTS, DOCUMENTS

pytestmark = pytest.mark.integration

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def _republish(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RESOLUTE_")}
    env["RESOLUTE_INGEST_DATABASE_URL"] = url
    return subprocess.run(
        [sys.executable, "-m", "resolute.ingest", "outbox", "republish", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
async def outbox_url(make_database: Callable[[str], str]) -> str:
    """An ingest database whose outbox holds rows sent 3 days, 1 day and 1 hour ago, and one not yet sent."""
    url = make_database("ingest")
    outbox = messaging_tables.outbox
    rows = [
        ("three-days", DOCUMENTS.name, NOW - timedelta(days=3)),
        ("one-day", COMMITMENTS.name, NOW - timedelta(days=1)),
        ("one-hour", DOCUMENTS.name, NOW - timedelta(hours=1)),
        ("unsent", COMMITMENTS.name, None),
    ]
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        for event_id, topic, sent_at in rows:
            await conn.execute(
                insert(outbox).values(
                    event_id=event_id, event_type="document.processed.v1", topic=topic, key=None, payload=b"{}",
                    headers={}, created_at=NOW - timedelta(days=4), sent_at=sent_at, attempts=1,
                )
            )  # fmt: skip
    await engine.dispose()
    return url


async def _unsent(url: str) -> set[str]:
    outbox = messaging_tables.outbox
    engine = create_async_engine(url)
    async with engine.connect() as conn:
        found = set(await conn.scalars(select(outbox.c.event_id).where(outbox.c.sent_at.is_(None))))
    await engine.dispose()
    return found


async def test_rows_sent_since_a_time_are_queued_again(outbox_url: str) -> None:
    since = (NOW - timedelta(days=2)).isoformat()
    result = await asyncio.to_thread(_republish, outbox_url, "--since", since)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("queued 2 outbox rows sent since"), result.stdout
    assert await _unsent(outbox_url) == {"unsent", "one-day", "one-hour"}


async def test_republishing_one_topic_leaves_the_others_alone(outbox_url: str) -> None:
    result = await asyncio.to_thread(
        _republish, outbox_url, "--since", "2026-11-01T00:00:00+00:00", "--topic", DOCUMENTS.name
    )
    assert result.returncode == 0, result.stderr
    assert await _unsent(outbox_url) == {"unsent", "three-days", "one-hour"}


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (["--since", "yesterday"], "not an ISO 8601 date-time"),
        (["--since", "2026-11-20T09:00:00"], "needs a time zone"),
        (["--since", "2026-11-20T09:00:00Z", "--topic", "resolute.nope"], "unknown topic"),
        ([], "--since"),
    ],
)
async def test_bad_arguments_get_one_line_and_change_nothing(outbox_url: str, args: list[str], complaint: str) -> None:
    result = await asyncio.to_thread(_republish, outbox_url, *args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and complaint in lines[0], result.stderr
    assert await _unsent(outbox_url) == {"unsent"}
