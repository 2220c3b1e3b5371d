"""Imported once by the extraction workers' forkserver (`resolute.ingest.workers`): the readers imported, the
registry loaded and the rules' patterns compiled there, so every worker forked from it starts warm and a pool
starts in milliseconds. A failed warm-up is left for the first upload to meet and report."""

from __future__ import annotations

from resolute.ingest.warmup import warm_up

try:
    WARM_UP_SECONDS: float | None = warm_up()
except Exception:
    WARM_UP_SECONDS = None
