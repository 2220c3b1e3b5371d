"""Every event type Resolute publishes, with its data model and topic: the one place to look them up.

Types are dotted, past tense and versioned. A breaking change to a model gets a new type (`.v2`)
published alongside the old one until every consumer has moved.
"""

from __future__ import annotations

import builtins
import datetime as dt
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from resolute.shared import topics

AssignmentStatus = Literal[
    "not_reported",
    "not_started",
    "in_progress",
    "partially_completed",
    "completed",
    "not_implemented",
    "superseded",
]
ASSIGNMENT_STATUSES: tuple[str, ...] = AssignmentStatus.__args__  # type: ignore[attr-defined]


class EventData(BaseModel):
    """Base for event payloads: unknown fields from newer producers are kept, not rejected."""

    model_config = ConfigDict(extra="allow")


class MinistryRefV1(EventData):
    country: str
    ministry: str


class DeadlineExpressionV1(EventData):
    """A deadline as the text states it (not yet resolved to a date)."""

    verbatim: str
    kind: Literal["date", "month", "year", "event", "recurring"]
    series: str | None = None
    ordinal: int | str | None = None
    date: dt.date | None = None
    year: int | None = None
    every: str | None = None


class CalendarFactV1(EventData):
    series: str
    ordinal: int | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    place: str | None = None


# --- ingest ---------------------------------------------------------------------------------------


class DocumentProcessedV1(EventData):
    """Ingest has stored a document and extracted its commitments."""

    document_id: str
    title: str | None = None
    kind: str
    issuing_body: str | None = None
    number: str | None = None
    session: int | None = None
    adopted: dt.date | None = None
    place: str | None = None
    source_url: str | None = None
    content_hash: str
    commitment_count: int
    calendar_facts: list[CalendarFactV1] = Field(default_factory=list)
    supersedes: str | None = None
    warnings: list[str] = Field(default_factory=list)
    version: int = 1


class CommitmentExtractedV1(EventData):
    """One commitment found in a document, with what the text says about who and when."""

    commitment_id: str
    document_id: str
    document_title: str | None = None
    document_kind: str
    document_number: str | None = None
    issuing_body: str | None = None
    adopted: dt.date | None = None
    position: int
    label: str | None = None
    section: str | None = None
    text: str
    span: tuple[int, int]
    countries: list[str] = Field(default_factory=list)
    bodies: list[str] = Field(default_factory=list)
    ministries: list[MinistryRefV1] = Field(default_factory=list)
    policy_area: str | None = None
    deadline: DeadlineExpressionV1 | None = None


class CommitmentWithdrawnV1(EventData):
    """A commitment no longer stands: its document was superseded by a version without it.

    `document_id` is the version the commitment stood in; `superseded_by` the version that dropped it.
    """

    commitment_id: str
    document_id: str
    reason: str
    superseded_by: str | None = None


# --- tracker --------------------------------------------------------------------------------------


class CommitmentAssignedV1(EventData):
    """A commitment was assigned to a country's ministry (or to a body)."""

    assignment_id: str
    commitment_id: str
    document_id: str
    document_title: str | None = None
    country: str | None = None
    ministry: str | None = None
    body: str | None = None
    role: Literal["lead", "supporting", "body"] = "lead"
    text: str
    policy_area: str | None = None
    due_date: dt.date | None = None
    due_projected: bool = False
    reassigned_from: str | None = None
    supporting_ministries: list[str] = Field(default_factory=list)


class AssignmentStatusChangedV1(EventData):
    """A ministry reported on an assignment, or an editor verified or disputed a report."""

    assignment_id: str
    commitment_id: str
    document_id: str
    country: str | None = None
    ministry: str | None = None
    body: str | None = None
    policy_area: str | None = None
    previous_status: AssignmentStatus
    status: AssignmentStatus
    kind: Literal["claim", "verification", "dispute", "admin"] = "claim"
    note: str | None = None
    evidence_urls: list[str] = Field(default_factory=list)
    actor: str | None = None
    changed_at: dt.datetime
    verification: Literal["pending", "verified", "disputed"] | None = None
    verified_status: AssignmentStatus | None = None


class DeadlineMilestoneV1(EventData):
    """Shared shape of the deadline.* events."""

    assignment_id: str
    commitment_id: str
    document_id: str
    country: str | None = None
    ministry: str | None = None
    body: str | None = None
    policy_area: str | None = None
    text: str
    due_date: dt.date
    projected: bool = False
    milestone: str
    days_left: int
    status: AssignmentStatus = "not_reported"
    document_title: str | None = None
    deadline_kind: Literal["date", "month", "year", "event", "recurring"] | None = None
    verbatim: str | None = None
    series: str | None = None
    ordinal: int | None = None


class DeadlineApproachingV1(DeadlineMilestoneV1):
    """A deadline is N days away (N from the configured offsets)."""


class DeadlineDueV1(DeadlineMilestoneV1):
    """A deadline is today."""


class DeadlineOverdueV1(DeadlineMilestoneV1):
    """A deadline has passed without the assignment being completed (then weekly)."""


class CalendarOccurrenceChangedV1(EventData):
    """An institutional event was learnt, confirmed or moved; deadlines hanging on it move too."""

    series: str
    ordinal: int
    start: dt.date | None = None
    end: dt.date | None = None
    place: str | None = None
    state: Literal["learnt", "confirmed", "projected"]
    previous_start: dt.date | None = None


# --- the catalogue --------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventSpec:
    type: str
    model: builtins.type[BaseModel]
    topic: topics.Topic


EVENT_CATALOGUE: dict[str, EventSpec] = {
    spec.type: spec
    for spec in (
        EventSpec("document.processed.v1", DocumentProcessedV1, topics.DOCUMENTS),
        EventSpec("commitment.extracted.v1", CommitmentExtractedV1, topics.COMMITMENTS),
        EventSpec("commitment.withdrawn.v1", CommitmentWithdrawnV1, topics.COMMITMENTS),
        EventSpec("commitment.assigned.v1", CommitmentAssignedV1, topics.ASSIGNMENTS),
        EventSpec("assignment.status_changed.v1", AssignmentStatusChangedV1, topics.ASSIGNMENTS),
        EventSpec("deadline.approaching.v1", DeadlineApproachingV1, topics.DEADLINES),
        EventSpec("deadline.due.v1", DeadlineDueV1, topics.DEADLINES),
        EventSpec("deadline.overdue.v1", DeadlineOverdueV1, topics.DEADLINES),
        EventSpec("calendar.occurrence_changed.v1", CalendarOccurrenceChangedV1, topics.CALENDAR),
    )
}
_BY_MODEL: dict[type[BaseModel], EventSpec] = {spec.model: spec for spec in EVENT_CATALOGUE.values()}

WEBHOOK_EVENT_TYPES: tuple[str, ...] = tuple(sorted({t.rsplit(".", 1)[0] for t in EVENT_CATALOGUE}))


def event_spec(event_type: str) -> EventSpec:
    try:
        return EVENT_CATALOGUE[event_type]
    except KeyError:
        from resolute.shared.events.envelope import EnvelopeError

        raise EnvelopeError(f"unknown event type {event_type!r}") from None


def event_spec_for_model(model: type[BaseModel]) -> EventSpec:
    return _BY_MODEL[model]
