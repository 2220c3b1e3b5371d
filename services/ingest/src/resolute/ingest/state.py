"""What ingest's app holds, typed: its runtime and its settings."""

from __future__ import annotations

from dataclasses import dataclass

from resolute.ingest.settings import IngestSettings
from resolute.shared.web.state import ServiceState


@dataclass
class IngestState(ServiceState):
    settings: IngestSettings
