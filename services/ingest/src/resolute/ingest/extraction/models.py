"""What extraction yields: pydantic models whose JSON dump is exactly the `resolute extract` contract.

Dates are held as ISO 8601 strings (date objects are accepted and converted), so
both `model_dump()` and attribute values go straight into JSON columns and events.
Fields outside the contract that the ingest service still wants (committee,
signatories, publication date) are kept on the models but excluded from dumps.
The contract's fields are extended, never changed: `addressed_to` (named addressees
outside the registry, assigned to nobody), `confidence` and `review` (how sure the
reading is and why a reviewer should look), and a document's `sources` (the span
each of its facts was read from).
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


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MinistryRef(_Model):
    """A ministry of one country, by its registry portfolio slug."""

    country: str
    ministry: str


class Deadline(_Model):
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


class CalendarFact(_Model):
    """An institutional event the document dates (a session, council or summit)."""

    series: str
    ordinal: int | None = None
    start: IsoDate | None = None
    end: IsoDate | None = None
    place: str | None = None


class ExtractedCommitment(_Model):
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
    addressed_to: list[str] = Field(default_factory=list)
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    review: list[str] = Field(default_factory=list)


class Signatory(_Model):
    """Who signed a declaration (not part of the extract contract)."""

    country: str
    ministry: str | None = None
    person: str | None = None


class ExtractedDocument(_Model):
    """One resolution, declaration or press release found in a source text."""

    source: str
    title: str | None = None
    kind: DocumentKind = "other"
    issuing_body: str | None = None
    number: int | None = None
    session: int | None = None
    adopted: IsoDate | None = None
    place: str | None = None
    addressees: list[str] = Field(default_factory=list)
    commitments: list[ExtractedCommitment] = Field(default_factory=list)
    calendar_facts: list[CalendarFact] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    needs_review: bool = False
    review: list[str] = Field(default_factory=list)
    sources: dict[str, tuple[int, int]] = Field(default_factory=dict)

    committee: str | None = Field(default=None, exclude=True)
    published: IsoDate | None = Field(default=None, exclude=True)
    signatories: list[Signatory] = Field(default_factory=list, exclude=True)
    span: tuple[int, int] | None = Field(default=None, exclude=True)
