"""What the tracker's app holds, typed: its runtime, settings, domain context and deadline scheduler."""

from __future__ import annotations

from dataclasses import dataclass

from resolute.shared.web.state import ServiceState
from resolute.tracker.context import TrackerContext
from resolute.tracker.deadlines.scheduler import DeadlineScheduler
from resolute.tracker.settings import TrackerSettings


@dataclass
class TrackerState(ServiceState):
    settings: TrackerSettings
    context: TrackerContext
    scheduler: DeadlineScheduler
