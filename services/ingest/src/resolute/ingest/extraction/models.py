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

from pydantic import BaseModel, ConfigDict, Field

# the commitment's own fields are the contract every hop after extraction shares: declared once, in shared
from resolute.shared.extracted import (
    CalendarFact,
    Deadline,
    DeadlineKind,
    DocumentKind,
    ExtractedCommitment,
    IsoDate,
    MinistryRef,
    Ordinal,
)

__all__ = [
    "CalendarFact",
    "Deadline",
    "DeadlineKind",
    "DocumentKind",
    "ExtractedCommitment",
    "ExtractedDocument",
    "IsoDate",
    "MinistryRef",
    "Ordinal",
    "Signatory",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


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
