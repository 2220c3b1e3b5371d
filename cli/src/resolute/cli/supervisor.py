"""Keeps the embedded stack running: a process that dies is started again, after a pause that grows while it
keeps dying, and the stack gives up only when one has used its crash budget (so a broken build does not spin).

Each exit, restart and the giving up is one JSON line (on the console and in `logs/supervisor.log`), so an
operator, or a test, can count them.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from resolute.cli.stack import Stack, StackError


class CrashBudgetExceeded(RuntimeError):
    """One process died more often than the budget allows within the window: the stack stops."""


@dataclass
class CrashPolicy:
    """How long to wait before a restart, and how many crashes in how long mean "this will not get better"."""

    first_delay: float = 1.0
    max_delay: float = 30.0
    budget: int = 5  # crashes of one process within `window` seconds that are still restarted
    window: float = 300.0
    stable_after: float = 60.0  # up this long, the next crash starts again from `first_delay`


@dataclass
class _Record:
    started: float
    crashes: deque[float] = field(default_factory=deque)
    streak: int = 0  # crashes since it last stayed up `stable_after`
    restart_at: float | None = None
    exit_code: int | None = None


class Supervisor:
    """Watches `stack.processes`; see the module docstring. `check()` is one pass, `run()` loops until stopped."""

    def __init__(
        self,
        stack: Stack,
        policy: CrashPolicy | None = None,
        *,
        emit: Callable[[str], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stack = stack
        self.policy = policy or CrashPolicy()
        self._emit = emit if emit is not None else (lambda line: print(line, flush=True))
        self._clock = clock
        self._records: dict[str, _Record] = {}
        self.restarts: dict[str, int] = {}
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self.failure: BaseException | None = None

    def _log(self, event: str, **fields: Any) -> None:
        line = json.dumps({"time": datetime.now(UTC).isoformat(), "event": event, **fields})
        self._emit(line)
        self.stack.log_dir.mkdir(parents=True, exist_ok=True)
        with open(self.stack.log_dir / "supervisor.log", "a") as log:
            log.write(line + "\n")

    def check(self) -> list[str]:
        """Notice exits, restart what is due; returns the names restarted. Raises CrashBudgetExceeded."""
        restarted: list[str] = []
        now = self._clock()
        with self.stack.lock:
            if self.stack.stopping:
                return restarted
            for name, process in list(self.stack.processes.items()):
                record = self._records.setdefault(name, _Record(started=now))
                if process.poll() is None:
                    if record.restart_at is None and now - record.started >= self.policy.stable_after:
                        record.streak = 0
                    continue
                if record.restart_at is None:
                    self._crashed(name, record, process.returncode, now)
                if record.restart_at is not None and now >= record.restart_at:
                    try:
                        self.stack.respawn(name)
                    except StackError as exc:  # its port still taken, say: counts as one more crash
                        self._log("process_restart_failed", process=name, error=str(exc))
                        record.restart_at = None
                        self._crashed(name, record, None, now)
                        continue
                    record.started = now
                    record.restart_at = None
                    self.restarts[name] = self.restarts.get(name, 0) + 1
                    restarted.append(name)
                    self._log("process_restarted", process=name, restarts=self.restarts[name])
        return restarted

    def _crashed(self, name: str, record: _Record, exit_code: int | None, now: float) -> None:
        record.crashes.append(now)
        while record.crashes and now - record.crashes[0] > self.policy.window:
            record.crashes.popleft()
        record.streak += 1
        record.exit_code = exit_code
        if len(record.crashes) > self.policy.budget:
            self._log(
                "crash_budget_exceeded",
                process=name,
                exit_code=exit_code,
                crashes=len(record.crashes),
                window_s=self.policy.window,
            )
            raise CrashBudgetExceeded(
                f"{name} died {len(record.crashes)} times within {self.policy.window:g}s "
                f"(last exit code {exit_code}); see {self.stack.log_dir / (name + '.log')}"
            )
        delay = min(self.policy.first_delay * 2 ** (record.streak - 1), self.policy.max_delay)
        record.restart_at = now + delay
        self._log(
            "process_exited",
            process=name,
            exit_code=exit_code,
            restart_in_s=round(delay, 3),
            crashes_in_window=len(record.crashes),
            budget=self.policy.budget,
        )

    def run(self, stop: threading.Event, interval: float = 0.5) -> None:
        """Until `stop` is set; raises CrashBudgetExceeded when a process has used its budget."""
        while not stop.wait(interval):
            self.check()

    # --- in a thread, for tests and tools that drive the stack themselves -----------------------------------

    def start_in_background(self, interval: float = 0.2) -> None:
        def loop() -> None:
            try:
                self.run(self._stop, interval)
            except BaseException as exc:  # reported to whoever stops it
                self.failure = exc

        self._stop.clear()
        self._thread = threading.Thread(target=loop, name="stack-supervisor", daemon=True)
        self._thread.start()

    def stop_background(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None
