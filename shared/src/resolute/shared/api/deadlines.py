"""Deadlines as the public API and the calendar feeds show them (served by tracker)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator

from resolute.shared.api.commitments import CountryCode, Id, Slug
from resolute.shared.api.dates import ApiDate
from resolute.shared.api.lists import Filters, ListQuery, Page
from resolute.shared.events.catalogue import AssignmentStatus


class DeadlineItem(BaseModel):
    """When one assignment is due. `projected` dates hang on an occurrence nobody has dated yet; `kind`,
    `verbatim`, `series` and `ordinal` say what the text set (`ordinal` is a year for unnumbered series)."""

    assignment_id: str
    commitment_id: str
    document_id: str
    document_title: str | None
    country: str | None
    ministry: str | None
    body: str | None
    policy_area: str | None
    text: str
    date: date
    projected: bool
    kind: Literal["date", "month", "year", "event", "recurring"] | None
    verbatim: str | None
    series: str | None
    ordinal: int | None
    status: AssignmentStatus
    overdue: bool
    days_left: int


class DeadlinePage(Page[DeadlineItem]):
    """Deadlines, soonest first."""


class DeadlineFilters(Filters):
    """Which deadlines: the filters a list and a calendar feed share."""

    from_: ApiDate | None = Field(default=None, alias="from", description="on or after (default: today)")
    to: ApiDate | None = Field(default=None, description="on or before")
    country: CountryCode | None = None
    ministry: Slug | None = None
    body: Annotated[str | None, Field(max_length=200)] = None
    document_id: Id | None = None
    series: Slug | None = None
    projected: bool | None = None
    overdue: bool | None = Field(
        default=None, description="true: only overdue ones (whatever `from` says); false: none of them"
    )
    include_closed: bool = Field(default=False, description="also completed, not implemented, superseded")

    model_config = {**Filters.model_config, "populate_by_name": True}

    @model_validator(mode="after")
    def _ordered(self) -> DeadlineFilters:
        if self.from_ and self.to and self.from_ > self.to:
            raise ValueError("'from' is later than 'to'")
        return self


class DeadlineQuery(DeadlineFilters, ListQuery):
    """`GET /v1/deadlines`: deadlines per assignment, soonest first."""
