"""The institutional calendar as the public API shows it (served by tracker): occurrences, series, confirmation."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from resolute.shared.api.commitments import Slug
from resolute.shared.api.lists import Filters, ListQuery, Page

OccurrenceState = Literal["learnt", "confirmed", "projected"]


class OccurrenceOut(BaseModel):
    """One meeting of a series: learnt from a document, confirmed by an admin, or projected from the cadence
    (`projected` true). Unnumbered series (NATO summits) are numbered by year."""

    model_config = ConfigDict(from_attributes=True)

    series: str
    series_name: str | None = None
    ordinal: int
    start: date
    end: date | None
    place: str | None
    state: OccurrenceState
    projected: bool
    source_document_id: str | None = None
    confirmed_by: str | None = None
    confirmed_at: datetime | None = None
    deadlines: int = Field(default=0, description="commitments whose deadline hangs on this occurrence")


class OccurrencePage(Page[OccurrenceOut]):
    """Occurrences, earliest first."""


class OccurrenceIn(BaseModel):
    """Admin: when and where an occurrence meets."""

    model_config = ConfigDict(extra="forbid")

    start: date
    end: date | None = None
    place: str | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def _end_not_before_start(self) -> OccurrenceIn:
        if self.end is not None and self.end < self.start:
            raise ValueError("end is before start")
        return self


class OccurrenceChangeOut(BaseModel):
    """One change to an occurrence: learnt, confirmed or moved, by whom and from which document."""

    model_config = ConfigDict(from_attributes=True)

    state: str
    start: date
    end: date | None
    place: str | None
    previous_start: date | None
    actor: str | None
    source_document_id: str | None
    note: str | None
    at: datetime


class OccurrenceDetail(OccurrenceOut):
    """One occurrence with every change to it, oldest first."""

    history: list[OccurrenceChangeOut] = Field(default_factory=list)


class SeriesOut(BaseModel):
    """A series with what the calendar knows of it and its next occurrence after today."""

    id: str
    name: str
    body: str | None
    cadence: str | None
    numbered: bool
    known: int
    next: OccurrenceOut | None
    unscheduled_deadlines: int = Field(description="commitments on this series whose occurrence has no date yet")


class SeriesList(BaseModel):
    """Every calendar series of the registry."""

    items: list[SeriesOut]


class OccurrenceFilters(Filters):
    """Which occurrences: one series, one state, a date range (on `start`)."""

    series: Slug | None = None
    state: OccurrenceState | None = None
    from_: date | None = Field(default=None, alias="from", description="starting on or after")
    to: date | None = Field(default=None, description="starting on or before")

    model_config = {**Filters.model_config, "populate_by_name": True}

    @model_validator(mode="after")
    def _ordered(self) -> OccurrenceFilters:
        if self.from_ and self.to and self.from_ > self.to:
            raise ValueError("'from' is later than 'to'")
        return self


class OccurrenceQuery(OccurrenceFilters, ListQuery):
    """`GET /v1/calendar/occurrences`: occurrences, earliest first."""
