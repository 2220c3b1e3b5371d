"""What the tracker's domain services need besides a session (outbox, registry, clock, milestone policy), and
what its reads are relative to (a moment, 'today' then, the registry in force)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from resolute.shared.actors import ActorRegistry
from resolute.shared.clock import Clock
from resolute.shared.messaging import Outbox
from resolute.tracker.actors.service import ActorDirectory
from resolute.tracker.deadlines.milestones import MilestonePolicy


@dataclass
class TrackerContext:
    outbox: Outbox
    directory: ActorDirectory
    clock: Clock
    policy: MilestonePolicy = field(default_factory=MilestonePolicy)


@dataclass(frozen=True)
class Reading:
    """What a read is relative to: the moment (None: now), 'today' at that moment, and the registry in force."""

    as_of: datetime | None
    today: date
    registry: ActorRegistry
