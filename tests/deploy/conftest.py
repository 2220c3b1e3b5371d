"""The deployment checks import the repository's `deploy` package and tests/deploy/support.py by path."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from resolute.shared.testing.postgres import PostgresServer  # noqa: E402

SERVICES = ("ingest", "tracker", "notifier", "gateway")


@pytest.fixture(scope="session")
def compose_databases(postgres_server: PostgresServer | None) -> dict[str, str]:
    """The databases compose's PostgreSQL init script makes, on the test cluster: service -> URL as its role."""
    if postgres_server is None:
        pytest.skip("PostgreSQL is not available")
    env = {
        "PATH": f"{postgres_server.pg_bin}:{os.environ['PATH']}",
        "PGHOST": "127.0.0.1",
        "PGPORT": str(postgres_server.port),
        "POSTGRES_USER": "postgres",
        **{f"RESOLUTE_{name.upper()}_DB_PASSWORD": f"pw-{name}" for name in SERVICES},
    }
    script = REPO / "deploy" / "compose" / "postgres" / "init-databases.sh"
    result = subprocess.run(["bash", str(script)], env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    # the test cluster trusts local connections, so the URL carries the role but needs no password
    return {name: f"postgresql+asyncpg://{name}@127.0.0.1:{postgres_server.port}/resolute_{name}" for name in SERVICES}
