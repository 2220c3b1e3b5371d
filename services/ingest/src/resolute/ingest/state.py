"""What ingest's app holds, typed: its runtime, its settings and its extraction workers."""

from __future__ import annotations

from dataclasses import dataclass

from resolute.ingest.settings import IngestSettings
from resolute.ingest.workers import ExtractionWorkers
from resolute.shared.web.state import ServiceState


@dataclass
class IngestState(ServiceState):
    settings: IngestSettings
    workers: ExtractionWorkers
