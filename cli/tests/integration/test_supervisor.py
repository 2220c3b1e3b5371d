"""The stack's supervisor with real processes: a dead one comes back after a pause, one that keeps dying stops
the stack; and `resolute dev` itself outlives a killed service (before, a crashed notifier took it all down)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from resolute.cli.stack import SERVICES, Stack, StackConfig, free_port
from resolute.cli.supervisor import CrashBudgetExceeded, CrashPolicy, Supervisor

pytestmark = pytest.mark.integration

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]
CRASHER = [sys.executable, "-c", "import sys; sys.exit(3)"]


def _until(condition: object, timeout: float, step: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(step)
    raise AssertionError(f"not within {timeout}s")


def test_a_killed_process_is_restarted_after_a_pause_with_a_log_line(tmp_path: Path) -> None:
    stack = Stack(StackConfig(data_dir=tmp_path))
    lines: list[str] = []
    supervisor = Supervisor(stack, CrashPolicy(first_delay=0.3, budget=5), emit=lines.append)
    first = stack.spawn("sleeper", SLEEPER)
    try:
        assert supervisor.check() == []
        stack.kill("sleeper")
        first.wait(5)
        assert supervisor.check() == []  # noticed, not restarted yet: the pause
        exited = json.loads(lines[-1])
        assert exited["event"] == "process_exited" and exited["process"] == "sleeper"
        assert exited["exit_code"] == -signal.SIGKILL and exited["restart_in_s"] == 0.3
        time.sleep(0.35)
        assert supervisor.check() == ["sleeper"]
        second = stack.processes["sleeper"]
        assert second.pid != first.pid and second.poll() is None
        assert json.loads(lines[-1])["event"] == "process_restarted"
        assert (tmp_path / "run" / "sleeper.pid").read_text().strip() == str(second.pid)
        logged = (stack.log_dir / "supervisor.log").read_text().splitlines()
        assert [json.loads(line)["event"] for line in logged] == ["process_exited", "process_restarted"]
        # a second crash soon after waits twice as long
        stack.kill("sleeper")
        second.wait(5)
        supervisor.check()
        assert json.loads(lines[-1])["restart_in_s"] == 0.6
    finally:
        stack.stop(drain=False)


def test_a_process_that_keeps_dying_uses_its_budget_and_stops_the_stack(tmp_path: Path) -> None:
    stack = Stack(StackConfig(data_dir=tmp_path))
    lines: list[str] = []
    supervisor = Supervisor(stack, CrashPolicy(first_delay=0.01, max_delay=0.02, budget=3), emit=lines.append)
    stack.spawn("crasher", CRASHER)
    stack.spawn("sleeper", SLEEPER)
    try:
        with pytest.raises(CrashBudgetExceeded, match="crasher died 4 times"):
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                supervisor.check()
                time.sleep(0.02)
        assert supervisor.restarts == {"crasher": 3}
        last = json.loads(lines[-1])
        assert last["event"] == "crash_budget_exceeded" and last["exit_code"] == 3
    finally:
        stack.stop(drain=False)
    assert stack.processes == {}


@pytest.mark.e2e
@pytest.mark.timeout(300)
def test_resolute_dev_restarts_a_killed_service_and_keeps_the_others(tmp_path: Path) -> None:
    ports = {name: free_port() for name in SERVICES}
    env = {k: v for k, v in os.environ.items() if not k.startswith("RESOLUTE_")}
    env |= {
        "RESOLUTE_DATA_DIR": str(tmp_path),
        "RESOLUTE_BROKER_PORT": str(free_port()),
        "RESOLUTE_ADMIN_KEY": "rsk_supervised-" + os.urandom(8).hex(),
        **{f"RESOLUTE_{name.upper()}_PORT": str(port) for name, port in ports.items()},
    }
    console = tmp_path / "dev.out"
    dev = subprocess.Popen(
        [str(Path(sys.executable).parent / "resolute"), "dev"],
        env=env,
        stdout=console.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )

    def ready(service: str) -> bool:
        try:
            return httpx.get(f"http://127.0.0.1:{ports[service]}/readyz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        _until(lambda: "Press Ctrl-C" in console.read_text(errors="replace"), 180, 0.5)  # started
        pid = int((tmp_path / "run" / "notifier.pid").read_text())
        os.kill(pid, signal.SIGKILL)
        _until(lambda: int((tmp_path / "run" / "notifier.pid").read_text()) != pid, 30, 0.2)
        _until(lambda: ready("notifier"), 60, 0.5)
        assert dev.poll() is None, "the dev stack stopped when the notifier died"
        assert all(ready(service) for service in SERVICES)
        events = [json.loads(line) for line in (tmp_path / "logs" / "supervisor.log").read_text().splitlines()]
        assert [(e["event"], e["process"]) for e in events] == [
            ("process_exited", "notifier"),
            ("process_restarted", "notifier"),
        ]
    finally:
        if dev.poll() is None:
            os.kill(dev.pid, signal.SIGINT)
        try:
            dev.wait(90)
        except subprocess.TimeoutExpired:
            os.killpg(dev.pid, signal.SIGKILL)
            dev.wait()
    assert dev.returncode == 0, console.read_text(errors="replace")
