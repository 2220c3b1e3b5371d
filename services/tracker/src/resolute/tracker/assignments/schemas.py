"""The assignments API's bodies: assignments, status reports, reassignment, history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl

from resolute.shared.events.catalogue import AssignmentStatus

Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=60)]


class AssignmentOut(BaseModel):
    """One country's (lead ministry's) or one body's share of a commitment, with its reported status.

    `status` is what was last reported (a ministry's claim, or an admin's correction); `verification` says
    whether an editor verified it, disputed it (then `verified_status` is what the editor found) or not yet.
    `overdue` is derived: past `due_date`, still open, and the date is not merely projected.
    """

    id: str
    commitment_id: str
    document_id: str
    country: str | None
    ministry: str | None
    ministry_name: str | None = None
    body: str | None
    role: Literal["lead", "body", "supporting"] | str
    supporting_ministries: list[str]
    contact: str | None
    status: AssignmentStatus
    verification: Literal["pending", "verified", "disputed"] | None
    verified_status: AssignmentStatus | None
    note: str | None
    evidence_urls: list[str]
    status_changed_at: datetime | None
    status_changed_by: str | None
    policy_area: str | None = None
    due_date: date | None
    due_projected: bool
    overdue: bool
    created_at: datetime
    updated_at: datetime


class AssignmentPage(BaseModel):
    items: list[AssignmentOut]
    next_cursor: str | None = None


class StatusReportIn(BaseModel):
    """A status report: ministries claim; editors verify (same status) or dispute (another status)."""

    model_config = ConfigDict(extra="forbid")

    status: AssignmentStatus
    note: str | None = Field(default=None, max_length=4000)
    evidence_urls: list[HttpUrl] = Field(default_factory=list, max_length=20)
    kind: Literal["claim", "verification", "dispute", "admin"] | None = Field(
        default=None,
        description="defaults: claim for a ministry; for an editor, verification when the status matches the "
        "claim, dispute when it differs, claim when nothing was reported yet",
    )


class ReassignmentIn(BaseModel):
    """Admin: move a country's assignment to another ministry (supporting ministries and contact optional)."""

    model_config = ConfigDict(extra="forbid")

    ministry: Slug
    supporting_ministries: list[Slug] | None = None
    contact: str | None = Field(default=None, max_length=300, description="named point of contact ('' clears it)")
    note: str | None = Field(default=None, max_length=4000)


class HistoryEntry(BaseModel):
    """One change, with the assignment's state right after it."""

    model_config = ConfigDict(from_attributes=True)

    seq: int
    kind: str
    at: datetime
    actor: str | None
    actor_scope: str | None
    previous_status: str | None
    status: AssignmentStatus
    verification: str | None
    verified_status: str | None
    country: str | None
    ministry: str | None
    body: str | None
    supporting_ministries: list[str]
    contact: str | None
    note: str | None
    evidence_urls: list[str]


class HistoryOut(BaseModel):
    assignment_id: str
    items: list[HistoryEntry]
