"""`python -m resolute.<service> serve|migrate|outbox`: how the dev stack, Docker and Kubernetes start a service,
and the operator's commands that act on its database."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from resolute.shared.logging import configure_logging
from resolute.shared.messaging.tables import MessagingTables
from resolute.shared.settings import ServiceSettings
from resolute.shared.topics import declared_topics


class _OneLineParser(argparse.ArgumentParser):
    """Bad arguments get one line naming the problem (argparse's default adds the whole usage first)."""

    def error(self, message: str) -> Any:
        self.exit(2, f"error: {message} (see --help)\n")


def _aware_datetime(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 date-time: {value!r}") from None
    if parsed.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{value!r} needs a time zone, e.g. 2026-11-20T09:00:00Z")
    return parsed


def _declared_topic(value: str) -> str:
    names = [t.name for t in declared_topics()]
    if value not in names:
        raise argparse.ArgumentTypeError(f"unknown topic {value!r} (declared: {', '.join(names)})")
    return value


async def _republish(database_url: str, tables: MessagingTables, since: datetime, topics: list[str] | None) -> int:
    from resolute.shared.db import create_engine, make_sessionmaker
    from resolute.shared.messaging.outbox import mark_for_republishing

    engine = create_engine(database_url)
    try:
        return await mark_for_republishing(make_sessionmaker(engine), tables.outbox, since=since, topics=topics)
    finally:
        await engine.dispose()


def run_service(
    settings_factory: Callable[[], ServiceSettings],
    app_factory: Callable[[Any], Any],
    migrations_dir: Path,
    argv: list[str] | None = None,
    messaging_tables: MessagingTables | None = None,
) -> int:
    parser = _OneLineParser(prog="python -m resolute.<service>")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("serve", help="run the HTTP API, consumers and background workers")
    sub.add_parser("migrate", help="bring the service's database to the latest schema")
    if messaging_tables is not None:
        outbox = sub.add_parser("outbox", help="the service's outbox of events").add_subparsers(
            dest="outbox_command", required=True
        )
        republish = outbox.add_parser(
            "republish",
            help="publish again every retained event sent since a time (after a broker lost data)",
            description="Queue the outbox rows sent at or after --since for the relay again: the running service "
            "publishes them once more and consumers skip what they already have. Rows older than the retention "
            "window (RESOLUTE_OUTBOX_RETENTION_DAYS) are gone.",
        )
        republish.add_argument("--since", required=True, type=_aware_datetime, help="ISO 8601 with a time zone")
        republish.add_argument(
            "--topic", action="append", type=_declared_topic, help="only this topic (repeatable; default: all)"
        )
    args = parser.parse_args(argv)
    try:
        settings = settings_factory()
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        print(f"error: invalid settings: {problems}", file=sys.stderr)
        return 2
    configure_logging(settings.service_name, settings.log_level, settings.log_format)
    if args.command == "migrate":
        from resolute.shared.migrations import upgrade_database

        upgrade_database(migrations_dir, settings.database_url)
        return 0
    if args.command == "outbox":
        assert messaging_tables is not None
        try:
            count = asyncio.run(_republish(settings.database_url, messaging_tables, args.since, args.topic))
        except Exception as exc:
            print(f"error: could not queue the outbox rows: {type(exc).__name__}: {exc}", file=sys.stderr)
            return 1
        where = ", ".join(args.topic) if args.topic else "every topic"
        print(
            f"queued {count} outbox rows sent since {args.since.isoformat()} on {where}; "
            f"the service's relay publishes them again"
        )
        return 0
    import uvicorn

    app = app_factory(settings)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=10,
    )
    return 0
