"""A commitment as its document states it: the one model that extraction, events and the API share.

`resolute extract --json` prints these fields (the CLI contract); ingest stores them, `commitment.extracted.v1`
carries them and both services answer with them. Each hop adds what it knows (ids, the document around the
commitment, the date its deadline resolves to) by extending `ExtractedCommitment`, never by copying its
fields, so a new field is declared here once and every hop carries it.

Dates in what extraction reads are ISO 8601 strings (date objects are accepted and converted), so a dump goes
straight into JSON columns and events. Unknown fields are ignored rather than refused: an event from a newer
producer still reads. This module imports nothing else of Resolute's, so the event catalogue and the public
API models both build on it without an import cycle.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


IsoDate = Annotated[str, BeforeValidator(_iso), Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]

DocumentKind = Literal["resolution", "declaration", "declaration_of_intent", "press_release", "other"]
DeadlineKind = Literal["date", "month", "year", "event", "recurring"]
Ordinal = int | Literal["next"]


class StatedModel(BaseModel):
    """Base of what a document states: every field is always in a dump, so answers document them all as
    required, defaults included."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)


class MinistryRef(StatedModel):
    """A ministry of one country, by its registry portfolio slug."""

    country: str
    ministry: str


class Deadline(StatedModel):
    """When a commitment is due, as the text says it and normalised by kind.

    `date` is YYYY-MM-DD (the first day for a month); `series` + `ordinal` name an
    institutional event; `every` is an ISO 8601 duration for recurring obligations.
    """

    verbatim: str
    kind: DeadlineKind
    series: str | None = None
    ordinal: Ordinal | None = None
    date: IsoDate | None = None
    year: int | None = None
    every: str | None = None


class CalendarFact(StatedModel):
    """An institutional event the document dates (a session, council or summit)."""

    series: str
    ordinal: int | None = None
    start: IsoDate | None = None
    end: IsoDate | None = None
    place: str | None = None


class ExtractedCommitment(StatedModel):
    """One commitment: an operative item or a prose undertaking, with who owes it and by when."""

    label: str | None = None
    section: str | None = None
    text: str
    span: tuple[int, int]
    countries: list[str] = Field(default_factory=list)
    bodies: list[str] = Field(default_factory=list)
    ministries: list[MinistryRef] = Field(default_factory=list)
    policy_area: str | None = None
    deadline: Deadline | None = None
    addressed_to: list[str] = Field(
        default_factory=list, description="addressees the text names outside the registry (assigned to nobody)"
    )
    confidence: float = Field(default=1.0, ge=0.0, le=1.0, description="how sure the reading is")
    review: list[str] = Field(default_factory=list, description="why a reviewer should look at it")


#: the fields a commitment takes from its text: what every hop carries unchanged
STATED_FIELDS: tuple[str, ...] = tuple(ExtractedCommitment.model_fields)


class CommitmentSource(StatedModel):
    """Where a commitment stands: the document (version) stating it, and its place in that document."""

    document_id: str
    document_title: str | None = None
    document_kind: str
    document_number: str | None = None
    issuing_body: str | None = None
    adopted: dt.date | None = None
    position: int


#: the fields a commitment takes from the document version it stands in
SOURCE_FIELDS: tuple[str, ...] = tuple(CommitmentSource.model_fields)
