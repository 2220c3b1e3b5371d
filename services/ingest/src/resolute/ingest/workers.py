"""Reading and extraction in worker processes, each upload under a time budget.

Every reader is bounded by size (pages, decompressed bytes, text, nesting), but a document can still be
slow in ways no size predicts (a pathological layout, a pattern meeting text it was not written for). A
thread cannot be stopped, so a runaway upload would hold a core for good; a worker process can: one past its
budget is killed, the upload is a 422 (`extraction-timeout`) and nothing is stored. Workers are forked from a
`forkserver` that has imported and warmed the readers and the rules once (`resolute.ingest.prewarmed`).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import pickle
from collections.abc import Callable
from concurrent.futures import CancelledError
from typing import Any, TypeVar

from pebble import ProcessPool
from pebble.common import ProcessExpired

from resolute.shared.logging import get_logger

log = get_logger(__name__)

Result = TypeVar("Result")

#: what the forkserver imports once, so every worker forked from it starts with the readers loaded and warm
_PRELOADED = ["resolute.ingest.documents.service", "resolute.ingest.prewarmed"]


class ExtractionTimedOut(Exception):
    """The task ran past its budget and its worker was killed."""

    def __init__(self, budget: float) -> None:
        self.budget = budget
        super().__init__(f"extraction ran past its budget of {budget:g} s and was stopped")


class WorkerDied(Exception):
    """The worker running the task died (killed by the system, out of memory, a crash in a C library)."""


def _guarded(function: Callable[..., Result], /, **arguments: Any) -> Result:
    """Runs in the worker: an exception that would not survive the trip back (one whose constructor pickling
    cannot replay) is sent as a plain error saying what it was, instead of leaving the task unanswered."""
    try:
        return function(**arguments)
    except Exception as exc:
        try:
            pickle.loads(pickle.dumps(exc))
        except Exception:
            raise RuntimeError(f"{type(exc).__name__}: {exc}") from None
        raise


class ExtractionWorkers:
    """A component: the pool starts with the service and stops with it; `run` schedules one task."""

    def __init__(self, processes: int, budget_seconds: float) -> None:
        self.processes = processes
        self.budget_seconds = budget_seconds
        self._pool: ProcessPool | None = None

    async def start(self) -> None:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOADED)
        self._pool = ProcessPool(max_workers=self.processes, context=context)
        log.info("extraction_workers_started", processes=self.processes, budget_seconds=self.budget_seconds)

    async def run(self, function: Callable[..., Result], /, **arguments: Any) -> Result:
        """The function's result in a worker; ExtractionTimedOut past the budget, WorkerDied if its worker died."""
        if self._pool is None:
            raise RuntimeError("the extraction workers are not started")
        future = self._pool.schedule(_guarded, args=[function], kwargs=arguments, timeout=self.budget_seconds)
        try:
            return await asyncio.wrap_future(future)  # type: ignore[no-any-return]
        except TimeoutError as exc:
            log.warning("extraction_timed_out", budget_seconds=self.budget_seconds)
            raise ExtractionTimedOut(self.budget_seconds) from exc
        except ProcessExpired as exc:
            log.error("extraction_worker_died", exitcode=exc.exitcode)
            raise WorkerDied(f"the extraction worker died (exit code {exc.exitcode})") from exc
        except (asyncio.CancelledError, CancelledError):
            future.cancel()  # the request went away: its worker is stopped too
            raise

    async def stop(self) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        pool.stop()
        await asyncio.to_thread(pool.join, 10)
