"""Alembic, the same way in every service: async env, batch mode for SQLite, dated revision files."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Literal

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import async_engine_from_config

from resolute.shared.db import UtcDateTime


def alembic_config(migrations_dir: Path, database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    config.set_main_option(
        "file_template", "%%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d-%%(rev)s_%%(slug)s"
    )
    return config


def upgrade_database(migrations_dir: Path, database_url: str, revision: str = "head") -> None:
    """Bring a database to `revision`; safe to run again (it does nothing when already there)."""
    if database_url.startswith("sqlite"):
        path = database_url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
    config = alembic_config(migrations_dir, database_url)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        command.upgrade(config, revision)
        return
    # called from async code (a test fixture): Alembic's env runs its own loop, so give it a thread
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(command.upgrade, config, revision).result()


def _render_item(type_: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    """Render our column types as plain SQLAlchemy ones, so migrations don't import application code."""
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _do_run(connection: Connection, target_metadata: MetaData) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_item=_render_item,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async(target_metadata: MetaData) -> None:
    config = context.config
    engine = async_engine_from_config(
        config.get_section(config.config_ini_section, {}), prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    async with engine.connect() as connection:
        await connection.run_sync(_do_run, target_metadata)
    await engine.dispose()


def run_env(target_metadata: MetaData) -> None:
    """The body of every service's migrations/env.py."""
    if context.is_offline_mode():
        context.configure(
            url=context.config.get_main_option("sqlalchemy.url"),
            target_metadata=target_metadata,
            literal_binds=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    asyncio.run(_run_async(target_metadata))


def main(argv: list[str] | None = None) -> int:
    """`python -m resolute.shared.migrations SERVICE MESSAGE`: autogenerate a dated revision for a service."""
    import sys
    import tempfile

    args = argv if argv is not None else sys.argv[1:]
    if len(args) != 2:
        print("usage: python -m resolute.shared.migrations SERVICE MESSAGE", file=sys.stderr)
        return 2
    service, message = args
    migrations_dir = Path.cwd() / "services" / service / "migrations"
    if not migrations_dir.is_dir():
        print(f"error: no migrations folder at {migrations_dir}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as scratch:
        config = alembic_config(migrations_dir, f"sqlite+aiosqlite:///{scratch}/scratch.db")
        command.upgrade(config, "head")
        command.revision(config, message=message, autogenerate=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
