"""The institutional calendar as the public API shows it (served by tracker): occurrences, series, confirmation."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from resolute.shared.actors import Source
from resolute.shared.api.commitments import Slug
from resolute.shared.api.dates import ApiDate
from resolute.shared.api.lists import Filters, ListQuery, Page

OccurrenceState = Literal["held", "announced", "learnt", "confirmed", "projected"]


class ShippedOccurrenceOut(BaseModel):
    """An occurrence as the registry's history ships it, with the public page it was taken from."""

    start: date
    end: date | None
    place: str | None
    status: Literal["held", "announced"]
    source: Source


class OccurrenceOut(BaseModel):
    """One meeting of a series: from the shipped history (`held`, or `announced` in advance, with its
    `source`), learnt from a document, confirmed by an admin, or projected (`projected` true) from the series'
    history and cadence or from a dated occurrence it meets with. Unnumbered series (NATO summits) are
    numbered by year."""

    model_config = ConfigDict(from_attributes=True)

    series: str
    series_name: str | None = None
    ordinal: int
    start: date
    end: date | None
    place: str | None
    state: OccurrenceState
    projected: bool
    uncertainty_days: int = Field(
        default=0, description="a projected start is expected within this many days either way (0 when known)"
    )
    confidence: float = Field(
        default=1.0, ge=0, le=1, description="1 when known, 0.9 when announced, lower the less sure a projection is"
    )
    basis: list[int] = Field(
        default_factory=list, description="the ordinals (years, for unnumbered series) the projection rests on"
    )
    basis_series: str | None = Field(
        default=None, description="the series those ordinals belong to when it is another one (a joint meeting)"
    )
    source: Source | None = Field(default=None, description="the public page a shipped occurrence was taken from")
    note: str | None = None
    shipped: ShippedOccurrenceOut | None = Field(
        default=None, description="what the shipped history says of an occurrence a document or an admin dated"
    )
    conflict: bool = Field(
        default=False,
        description="a document dates it otherwise than the shipped history; an admin's confirmation settles it",
    )
    source_document_id: str | None = None
    confirmed_by: str | None = None
    confirmed_at: datetime | None = None
    deadlines: int = Field(default=0, description="commitments whose deadline hangs on this occurrence")


class OccurrencePage(Page[OccurrenceOut]):
    """Occurrences, earliest first."""


class OccurrenceIn(BaseModel):
    """Admin: when and where an occurrence meets."""

    model_config = ConfigDict(extra="forbid")

    start: ApiDate
    end: ApiDate | None = None
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
    """A series with what the calendar knows of it: its cadence and where that comes from, how many occurrences
    the shipped history, documents and admins date, the last one and the next one after today (with how sure
    its projection is: `uncertainty_days`, `confidence`, `basis`)."""

    id: str
    name: str
    body: str | None
    cadence: str | None
    cadence_source: Source | None = None
    numbered: bool
    known: int = Field(description="occurrences something dates: shipped, learnt or confirmed")
    shipped: int = Field(default=0, description="occurrences the shipped history dates")
    learnt: int = Field(default=0, description="occurrences documents dated")
    confirmed: int = Field(default=0, description="occurrences admins confirmed")
    conflicts: int = Field(default=0, description="learnt dates that contradict the shipped history")
    last: OccurrenceOut | None = None
    next: OccurrenceOut | None
    unscheduled_deadlines: int = Field(description="commitments on this series whose occurrence has no date yet")


class SeriesList(BaseModel):
    """Every calendar series of the registry."""

    items: list[SeriesOut]


class OccurrenceFilters(Filters):
    """Which occurrences: one series, one state, conflicts with the shipped history, a date range (on `start`)."""

    series: Slug | None = None
    state: OccurrenceState | None = None
    conflict: bool | None = Field(default=None, description="true: only learnt dates contradicting the shipped ones")
    from_: ApiDate | None = Field(default=None, alias="from", description="starting on or after")
    to: ApiDate | None = Field(default=None, description="starting on or before")

    model_config = {**Filters.model_config, "populate_by_name": True}

    @model_validator(mode="after")
    def _ordered(self) -> OccurrenceFilters:
        if self.from_ and self.to and self.from_ > self.to:
            raise ValueError("'from' is later than 'to'")
        return self


class OccurrenceQuery(OccurrenceFilters, ListQuery):
    """`GET /v1/calendar/occurrences`: occurrences (shipped, learnt, confirmed, and projected where deadlines hang
    on them), earliest first."""
