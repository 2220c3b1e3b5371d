"""Every event type Resolute publishes, with its data model and topic: the one place to look them up.

Types are dotted, past tense and versioned. A breaking change to a model gets a new type (`.v2`)
published alongside the old one until every consumer has moved.
"""

from __future__ import annotations

import builtins
import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from resolute.shared import topics
from resolute.shared.events.errors import EnvelopeError
from resolute.shared.extracted import (
    CalendarFact,
    CommitmentSource,
    Deadline,
    DeadlineKind,
    ExtractedCommitment,
    MinistryRef,
)

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


# --- ingest ---------------------------------------------------------------------------------------


class DocumentFacts(BaseModel):
    """What a document (one part of a bundle) says of itself and the events it dates: declared once for the
    event that first tells them and the one that corrects them."""

    document_id: str
    title: str | None = None
    kind: str
    issuing_body: str | None = None
    number: str | None = None
    session: int | None = None
    adopted: dt.date | None = None
    place: str | None = None
    calendar_facts: list[CalendarFact] = Field(default_factory=list)


class DocumentProcessedV1(EventData, DocumentFacts):
    """Ingest has stored a document and extracted its commitments."""

    source_url: str | None = None
    content_hash: str
    commitment_count: int
    supersedes: str | None = None
    warnings: list[str] = Field(default_factory=list)
    version: int = 1


class CommitmentExtractedV1(EventData, CommitmentSource, ExtractedCommitment):
    """One commitment found in a document: what the text says about who and when (`ExtractedCommitment`),
    where it stands (`CommitmentSource`), and its identity across the document's versions."""

    model_config = ConfigDict(extra="allow")

    commitment_id: str


class CommitmentWithdrawnV1(EventData):
    """A commitment no longer stands: its document was superseded by a version without it.

    `document_id` is the version the commitment stood in; `superseded_by` the version that dropped it.
    """

    commitment_id: str
    document_id: str
    reason: str
    superseded_by: str | None = None


# --- corrections (ingest: an editor corrected the record) ---------------------------------------------

CorrectionKind = Literal["revise", "add", "withdraw", "split", "merge", "facts"]
CORRECTION_KINDS: tuple[str, ...] = CorrectionKind.__args__  # type: ignore[attr-defined]


class CorrectionRef(BaseModel):
    """Who corrected the record, when, how and why: what every correction event and answer carries."""

    id: str
    kind: CorrectionKind
    actor: str | None = None
    actor_scope: str | None = None
    reason: str
    at: dt.datetime


class FieldChange(BaseModel):
    """One field a correction changed, with its value before and after (JSON values, as the API shows them)."""

    field: str
    before: Any = None
    after: Any = None


class CommitmentCorrectedV1(CommitmentExtractedV1):
    """An editor corrected a commitment, added one, or withdrew one.

    The commitment's whole state after the correction (as `commitment.extracted.v1` carries it), so applying it
    sets rather than patches; `revision` counts the corrections of this commitment across the document's
    versions, so a consumer applies each at most once and never an older one over a newer. `positions` moves
    the document's other commitments whose place changed (a commitment added or split off before them).
    """

    revision: int = Field(ge=1)
    correction: CorrectionRef
    withdrawn: bool = False
    withdrawn_reason: str | None = None
    positions: dict[str, int] = Field(default_factory=dict)


class DocumentCorrectedV1(EventData, DocumentFacts):
    """An editor corrected a document's own facts or its calendar facts (one part of a bundle).

    The part's facts as they now stand, so applying it sets rather than patches; `previous_number` finds the
    part's commitments in a bundle (they carry its number). `calendar_facts` replaces what this document
    dated: an occurrence it no longer dates is forgotten unless another source dates it.
    """

    part: int = 0
    previous_number: str | None = None
    correction: CorrectionRef
    changes: list[FieldChange] = Field(default_factory=list)


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


class AssignmentEffect(BaseModel):
    """What a correction did to one assignment: made it, closed it, reopened it, or moved it to another ministry."""

    assignment_id: str
    country: str | None = None
    ministry: str | None = None
    body: str | None = None
    effect: Literal["assigned", "superseded", "reinstated", "reassigned", "supporting_changed"]
    previous_ministry: str | None = None


class CommitmentRevisedV1(EventData):
    """A correction changed a commitment the tracker holds: what changed (before and after), the commitment as it
    now stands, and what that did to its assignments.

    `previous_countries` and `previous_ministries` are whom it concerned before the correction, so subscribers
    a correction took off a commitment are told too.
    """

    commitment_id: str
    document_id: str
    document_title: str | None = None
    revision: int
    correction: CorrectionRef
    withdrawn: bool = False
    text: str
    countries: list[str] = Field(default_factory=list)
    bodies: list[str] = Field(default_factory=list)
    ministries: list[MinistryRef] = Field(default_factory=list)
    policy_area: str | None = None
    deadline: Deadline | None = None
    due_date: dt.date | None = None
    due_projected: bool = False
    previous_countries: list[str] = Field(default_factory=list)
    previous_ministries: list[MinistryRef] = Field(default_factory=list)
    changes: list[FieldChange] = Field(default_factory=list)
    assignments: list[AssignmentEffect] = Field(default_factory=list)


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
    deadline_kind: DeadlineKind | None = None
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
    """One event type: its payload model, its topic, and whether subscribers may receive it as a webhook.

    `public` is a decision, never a consequence of which topics the notifier reads: an event that is only
    for the services (a commitment extracted) stays internal even on a topic the notifier consumes.
    """

    type: str
    model: builtins.type[BaseModel]
    topic: topics.Topic
    public: bool = False


EVENT_CATALOGUE: dict[str, EventSpec] = {
    spec.type: spec
    for spec in (
        EventSpec("document.processed.v1", DocumentProcessedV1, topics.DOCUMENTS, public=True),
        EventSpec("commitment.extracted.v1", CommitmentExtractedV1, topics.COMMITMENTS),
        EventSpec("commitment.withdrawn.v1", CommitmentWithdrawnV1, topics.COMMITMENTS),
        EventSpec("commitment.corrected.v1", CommitmentCorrectedV1, topics.COMMITMENTS),
        EventSpec("document.corrected.v1", DocumentCorrectedV1, topics.DOCUMENTS),
        EventSpec("commitment.revised.v1", CommitmentRevisedV1, topics.ASSIGNMENTS, public=True),
        EventSpec("commitment.assigned.v1", CommitmentAssignedV1, topics.ASSIGNMENTS, public=True),
        EventSpec("assignment.status_changed.v1", AssignmentStatusChangedV1, topics.ASSIGNMENTS, public=True),
        EventSpec("deadline.approaching.v1", DeadlineApproachingV1, topics.DEADLINES, public=True),
        EventSpec("deadline.due.v1", DeadlineDueV1, topics.DEADLINES, public=True),
        EventSpec("deadline.overdue.v1", DeadlineOverdueV1, topics.DEADLINES, public=True),
        EventSpec("calendar.occurrence_changed.v1", CalendarOccurrenceChangedV1, topics.CALENDAR, public=True),
    )
}
_BY_MODEL: dict[type[BaseModel], EventSpec] = {spec.model: spec for spec in EVENT_CATALOGUE.values()}


def unversioned(event_type: str) -> tuple[str, int]:
    """`commitment.assigned.v1` -> (`commitment.assigned`, 1): the name webhooks carry, and the version."""
    head, _, tail = event_type.rpartition(".")
    return (head, int(tail[1:])) if tail.startswith("v") and tail[1:].isdigit() else (event_type, 0)


def public_event_types() -> dict[str, str]:
    """Catalogue type -> webhook type, for the newest version of each public type.

    When a `.v2` is published alongside `.v1`, subscribers get it once (from the newest), not twice.
    """
    newest: dict[str, tuple[int, str]] = {}
    for event_type, spec in EVENT_CATALOGUE.items():
        if not spec.public:
            continue
        webhook_type, version = unversioned(event_type)
        if webhook_type not in newest or version > newest[webhook_type][0]:
            newest[webhook_type] = (version, event_type)
    return {event_type: webhook_type for webhook_type, (_, event_type) in newest.items()}


#: the event types subscribers may receive as webhooks, as webhooks name them (without the version)
WEBHOOK_EVENT_TYPES: tuple[str, ...] = tuple(sorted(public_event_types().values()))


def event_spec(event_type: str) -> EventSpec:
    try:
        return EVENT_CATALOGUE[event_type]
    except KeyError:
        raise EnvelopeError(f"unknown event type {event_type!r}") from None


def event_spec_for_model(model: type[BaseModel]) -> EventSpec:
    return _BY_MODEL[model]
