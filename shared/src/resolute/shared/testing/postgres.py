"""A throwaway PostgreSQL cluster for tests (initdb + pg_ctl, as a non-root user), with per-test databases."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

PG_BIN_CANDIDATES = ("/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/14/bin")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def find_pg_bin() -> Path | None:
    explicit = os.environ.get("RESOLUTE_TEST_PG_BIN")
    candidates = [explicit] if explicit else []
    candidates += list(PG_BIN_CANDIDATES)
    for candidate in candidates:
        if candidate and (Path(candidate) / "initdb").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


class PostgresServer:
    """initdb refuses root, so as root the cluster runs as the `postgres` user (su), owning a temp directory."""

    def __init__(self, pg_bin: Path) -> None:
        self.pg_bin = pg_bin
        self.port = _free_port()
        self.base = Path(tempfile.mkdtemp(prefix="resolute-pg-"))
        self.data = self.base / "data"
        self.as_root = os.geteuid() == 0

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(self.pg_bin / args[0]), *args[1:]]
        if self.as_root:
            quoted = " ".join(_quote(a) for a in command)
            command = ["su", "postgres", "-s", "/bin/sh", "-c", quoted]
        return subprocess.run(command, capture_output=True, text=True, check=False)

    def start(self) -> None:
        if self.as_root:
            shutil.chown(self.base, "postgres", "postgres")
        self.base.chmod(0o755)
        init = self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        if init.returncode != 0:
            raise RuntimeError(f"initdb failed: {init.stderr.strip()[-500:]}")
        options = (
            f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
        )
        self._options = options
        self._pg_ctl_start()

    def _pg_ctl_start(self) -> None:
        options = self._options
        start = self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.base / "log"), "-w", "start")
        if start.returncode != 0:
            log = (self.base / "log").read_text() if (self.base / "log").exists() else ""
            raise RuntimeError(f"pg_ctl start failed: {start.stderr.strip()[-300:]} {log[-500:]}")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.psql("SELECT 1").returncode == 0:
                return
            time.sleep(0.1)
        raise RuntimeError("PostgreSQL did not accept connections")

    def restart(self, *, down_for: float = 0.0) -> None:
        """An operator's restart: every connection cut (fast shutdown), started again on the same port and data
        after `down_for` seconds. Not `immediate`: this test cluster runs with synchronous_commit off, so a
        crash would lose commits the server had acknowledged, which no service could make good."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        time.sleep(down_for)
        self._pg_ctl_start()

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.base, ignore_errors=True)

    def psql(self, sql: str, database: str = "postgres") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.pg_bin / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database,
             "-v", "ON_ERROR_STOP=1", "-qAtc", sql],
            capture_output=True, text=True, check=False,
        )  # fmt: skip

    def url(self, database: str) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str | None = None, *, template: str | None = None) -> str:
        name = name or "t_" + uuid.uuid4().hex[:16]
        sql = f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")
        result = self.psql(sql)
        if result.returncode != 0:
            raise RuntimeError(f"{sql} failed: {result.stderr.strip()}")
        return name


def _quote(arg: str) -> str:
    return "'" + arg.replace("'", "'\"'\"'") + "'"
