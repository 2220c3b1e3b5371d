"""Pytest fixtures for every tier: PostgreSQL once per session, databases per test, a broker per test.

Loaded from the repository's root conftest.py.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import os
import shutil
import socket
import tempfile
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI, Request, Response

from resolute.shared.migrations import upgrade_database
from resolute.shared.testing.broker import TansuBroker
from resolute.shared.testing.postgres import PostgresServer, find_pg_bin

REPO_ROOT = Path(__file__).resolve().parents[5]
BACKENDS = ("sqlite", "postgresql")


def migrations_dir(service: str) -> Path:
    return REPO_ROOT / "services" / service / "migrations"


class DatabaseFactory:
    """Fresh, migrated databases: copied from a per-session template (SQLite file / PostgreSQL TEMPLATE)."""

    def __init__(self, postgres: PostgresServer | None, workdir: Path) -> None:
        self._postgres = postgres
        self._workdir = workdir
        self._templates: dict[tuple[str, str], str] = {}

    def _template(self, service: str, backend: str) -> str:
        key = (service, backend)
        if key not in self._templates:
            if backend == "sqlite":
                path = self._workdir / f"template-{service}.db"
                upgrade_database(migrations_dir(service), f"sqlite+aiosqlite:///{path}")
                self._templates[key] = str(path)
            else:
                assert self._postgres is not None
                name = self._postgres.create_database(f"template_{service}")
                upgrade_database(migrations_dir(service), self._postgres.url(name))
                self._templates[key] = name
        return self._templates[key]

    def create_empty(self, backend: str) -> str:
        """An empty database (for tests of shared plumbing that create their own tables)."""
        if backend == "postgresql" and self._postgres is None:
            pytest.skip("PostgreSQL is not available (RESOLUTE_TEST_SKIP_POSTGRES is set)")
        if backend == "sqlite":
            return f"sqlite+aiosqlite:///{self._workdir / ('empty-' + uuid.uuid4().hex[:12] + '.db')}"
        assert self._postgres is not None
        return self._postgres.url(self._postgres.create_database())

    def create(self, service: str, backend: str) -> str:
        if backend == "postgresql" and self._postgres is None:
            pytest.skip("PostgreSQL is not available (RESOLUTE_TEST_SKIP_POSTGRES is set)")
        template = self._template(service, backend)
        if backend == "sqlite":
            path = self._workdir / f"{service}-{uuid.uuid4().hex[:12]}.db"
            shutil.copyfile(template, path)
            return f"sqlite+aiosqlite:///{path}"
        assert self._postgres is not None
        return self._postgres.url(self._postgres.create_database(template=template))


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer | None]:
    """One cluster for the whole run. Missing PostgreSQL fails loudly unless RESOLUTE_TEST_SKIP_POSTGRES=1."""
    if os.environ.get("RESOLUTE_TEST_SKIP_POSTGRES") == "1":
        yield None
        return
    pg_bin = find_pg_bin()
    if pg_bin is None:
        raise RuntimeError(
            "PostgreSQL binaries not found (looked in /usr/lib/postgresql/*/bin and PATH); install PostgreSQL "
            "or set RESOLUTE_TEST_PG_BIN, or RESOLUTE_TEST_SKIP_POSTGRES=1 to run the SQLite half only"
        )
    server = PostgresServer(pg_bin)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def database_factory(postgres_server: PostgresServer | None) -> Iterator[DatabaseFactory]:
    workdir = Path(tempfile.mkdtemp(prefix="resolute-db-"))
    try:
        yield DatabaseFactory(postgres_server, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Run the test once on SQLite (the embedded default) and once on PostgreSQL (production)."""
    return str(request.param)


@pytest.fixture
def make_database(database_factory: DatabaseFactory, backend: str) -> Callable[[str], str]:
    """`make_database("tracker")` -> URL of a fresh, migrated tracker database on this test's backend."""
    return lambda service: database_factory.create(service, backend)


@pytest.fixture
def kafka() -> Iterator[TansuBroker]:
    """A broker of this test's own: clean topics and consumer groups, no cross-test leftovers."""
    broker = TansuBroker()
    broker.start()
    try:
        yield broker
    finally:
        broker.stop()


@asynccontextmanager
async def running_app(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """Run an app's lifespan (consumers, relay, workers) and talk to it over ASGI."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
            client.app = app  # type: ignore[attr-defined]  # tests reach the runtime through it
            yield client


@asynccontextmanager
async def serving(app: FastAPI, port: int | None = None) -> AsyncIterator[str]:
    """Serve an app over real HTTP on 127.0.0.1 (for callers that reach it by URL, like the gateway)."""
    if port is None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="on"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


async def all_pages(client: httpx.AsyncClient, path: str, *, limit: int = 200, **params: Any) -> list[dict[str, Any]]:
    """Every item of a cursor-paginated list (any service's or the gateway's), following `next_cursor` to the end."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = params | {"limit": limit} | ({"cursor": cursor} if cursor else {})
        response = await client.get(path, params=query)
        assert response.status_code == 200, response.text
        page = response.json()
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return items


async def eventually(check: Callable[[], object], timeout: float = 30, interval: float = 0.1) -> object:
    """Poll `check` (sync or async) until it returns something truthy; fail the test after `timeout` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    last: object = None
    while True:
        last = check()
        if inspect.isawaitable(last):
            last = await last
        if last:
            return last
        if loop.time() > deadline:
            raise AssertionError(f"condition not met within {timeout}s (last value: {last!r})")
        await asyncio.sleep(interval)


class WebhookReceiver:
    """A ministry's webhook endpoint for tests: records every request; answers from a script of statuses."""

    def __init__(self, statuses: list[int] | None = None) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.statuses = list(statuses or [])
        self.app = FastAPI()

        @self.app.post("/{path:path}")
        async def _receive(request: Request) -> Response:
            self.requests.append((dict(request.headers), await request.body()))
            status = self.statuses.pop(0) if self.statuses else 200
            return Response(status_code=status)

    def bodies(self) -> list[dict[str, object]]:
        return [json.loads(body) for _, body in self.requests]
