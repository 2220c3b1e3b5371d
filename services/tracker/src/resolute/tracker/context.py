"""What the tracker's domain services need besides a session: outbox, registry, clock and milestone policy."""

from __future__ import annotations

from dataclasses import dataclass, field

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
