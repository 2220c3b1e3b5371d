"""`python -m resolute.<service> serve|migrate`: how the dev stack, Docker and Kubernetes start a service."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from resolute.shared.logging import configure_logging
from resolute.shared.settings import ServiceSettings


def run_service(
    settings_factory: Callable[[], ServiceSettings],
    app_factory: Callable[[Any], Any],
    migrations_dir: Path,
    argv: list[str] | None = None,
) -> int:
    parser = argparse.ArgumentParser(prog="python -m resolute.<service>")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("serve", help="run the HTTP API, consumers and background workers")
    sub.add_parser("migrate", help="bring the service's database to the latest schema")
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
