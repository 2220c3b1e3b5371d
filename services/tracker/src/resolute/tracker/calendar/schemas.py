"""The calendar API's bodies."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


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
    state: Literal["learnt", "confirmed", "projected"]
    projected: bool
    source_document_id: str | None = None
    confirmed_by: str | None = None
    confirmed_at: datetime | None = None
    deadlines: int = Field(default=0, description="commitments whose deadline hangs on this occurrence")


class OccurrencePage(BaseModel):
    items: list[OccurrenceOut]
    next_cursor: str | None = None


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
    items: list[SeriesOut]
