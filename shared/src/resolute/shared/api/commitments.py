"""Commitments and assignments as the public API shows them (served by tracker)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, HttpUrl, model_validator

from resolute.shared.api.dates import ApiDate, in_range
from resolute.shared.api.lists import Filters, ListQuery, Page
from resolute.shared.events.catalogue import AssignmentStatus
from resolute.shared.extracted import CommitmentSource, ExtractedCommitment

CountryCode = Annotated[str, Field(pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2", examples=["EE"])]
Slug = Annotated[
    str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=60, description="a slug", examples=["defence"])
]


def _is_point_in_time(value: str | None) -> str | None:
    """`as_of` as the tracker reads it: a date (YYYY-MM-DD) or an ISO date-time ('Z' allowed); else a 422."""
    if value:
        try:
            if len(value) == 10:
                day = date.fromisoformat(value)
            else:
                day = datetime.fromisoformat(value.replace("Z", "+00:00")).date()
        except ValueError:
            raise ValueError(f"{value!r} is not an ISO date or date-time") from None
        in_range(day)
    return value


AsOf = Annotated[
    str | None,
    AfterValidator(_is_point_in_time),
    Field(
        max_length=40,
        description="read the records as they stood then: a date (end of that day, UTC) or an ISO date-time",
        examples=["2026-06-30"],
    ),
]
Id = Annotated[str, Field(min_length=1, max_length=100)]


class AssignmentOut(BaseModel):
    """One country's (lead ministry's) or one body's share of a commitment, with its reported status.

    `status` is what was last reported (a ministry's claim, or an admin's correction); `verification` says
    whether an editor verified it, disputed it (then `verified_status` is what the editor found) or not yet.
    `overdue` is derived: past `due_date`, still open, and the date is not merely projected.
    """

    model_config = ConfigDict(from_attributes=True)

    id: str
    commitment_id: str
    document_id: str
    country: str | None
    ministry: str | None
    ministry_name: str | None = None
    body: str | None
    role: str = Field(description="lead, body or supporting")
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


class CommitmentOut(CommitmentSource, ExtractedCommitment):
    """A commitment as extracted, with its deadline: `deadline` is what the text says, `due_date` the date it
    resolves to (`due_projected` when it hangs on an occurrence nobody has dated yet; null while unknown)."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    # the one field an answer may lack: the tracker did not keep spans at first (its older rows have none)
    span: tuple[int, int] | None = Field(  # type: ignore[assignment]
        description="[start, end) in its document's text; null for commitments recorded before spans were kept"
    )
    due_date: date | None
    due_projected: bool
    deadline_series: str | None
    deadline_ordinal: int | None
    withdrawn: bool
    withdrawn_reason: str | None
    revision: int = Field(default=0, description="how many corrections an editor has made to it")
    published_at: datetime
    created_at: datetime
    updated_at: datetime


class CommitmentDetail(CommitmentOut):
    """A commitment with every assignment it made."""

    assignments: list[AssignmentOut]


class CommitmentPage(Page[CommitmentOut]):
    """Commitments: newest documents first, in text order."""


class AssignmentPage(Page[AssignmentOut]):
    """Assignments, newest first."""


class CommitmentFilters(Filters):
    """What `GET /v1/commitments` and its export filter on."""

    document_id: Id | None = None
    country: CountryCode | None = None
    ministry: Slug | None = None
    policy_area: Slug | None = None
    status: AssignmentStatus | None = Field(default=None, description="some assignment has this status")
    due_before: ApiDate | None = Field(default=None, description="deadline on or before this date (YYYY-MM-DD)")
    due_after: ApiDate | None = Field(default=None, description="deadline on or after this date (YYYY-MM-DD)")
    q: str | None = Field(default=None, min_length=1, max_length=200, description="words that must appear in the text")
    withdrawn: bool | None = Field(default=None, description="withdrawn by a newer document version (or not)")
    as_of: AsOf = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> CommitmentFilters:
        if self.due_before and self.due_after and self.due_after > self.due_before:
            raise ValueError("due_after is later than due_before: the range is empty")
        return self


class CommitmentQuery(CommitmentFilters, ListQuery):
    """`GET /v1/commitments`."""


class AssignmentFilters(Filters):
    """What `GET /v1/assignments` and its export filter on."""

    country: CountryCode | None = None
    ministry: Slug | None = None
    status: AssignmentStatus | None = None
    overdue: bool | None = Field(default=None, description="only assignments whose deadline has passed (or not)")
    body: str | None = Field(default=None, max_length=200)
    role: Literal["lead", "body"] | None = None
    verification: Literal["pending", "verified", "disputed", "none"] | None = None
    commitment_id: Id | None = None
    document_id: Id | None = None
    policy_area: Slug | None = None
    open: bool | None = Field(default=None, description="only open (true) or only closed (false) assignments")
    as_of: AsOf = None


AssignmentSort = Literal["-created_at", "created_at", "-updated_at", "updated_at"]


class AssignmentQuery(AssignmentFilters, ListQuery):
    """`GET /v1/assignments`: newest first unless `sort` says otherwise."""

    sort: AssignmentSort = Field(
        default="-created_at",
        description="`-created_at`: newest first (default); `created_at`: oldest first; "
        "`-updated_at`: most recently changed (reported, verified, reassigned) first; `updated_at`: least recently",
    )


class PointInTimeQuery(Filters):
    """`GET /v1/commitments/{id}`, `GET /v1/assignments/{id}`: the record now, or as it stood `as_of`."""

    as_of: AsOf = None


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
    """Every change to one assignment, oldest first."""

    assignment_id: str
    items: list[HistoryEntry]
