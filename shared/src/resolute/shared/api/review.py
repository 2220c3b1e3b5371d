"""Review and correction as the public API shows them (served by ingest, the owner of documents and their text).

A document waits for review when extraction flagged weak readings (`needs_review`), is being reviewed
(`in_review`) or is `published`. Whether its commitments reach the tracker at once or only when it is published
is chosen per upload or per issuing body (`publish`: `auto` holds a document only when it needs review).

Every correction names its reason; the answer says what it changed, before and after, so a console can show
it as it is. Bodies refuse unknown members: a misspelt field is a 422, never silently ignored.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from resolute.shared.api.dates import ApiDate
from resolute.shared.api.documents import PublishChoice, ReviewState
from resolute.shared.api.lists import Filters, ListQuery, Page
from resolute.shared.events.catalogue import CorrectionKind, CorrectionRef, FieldChange
from resolute.shared.extracted import CalendarFact, Deadline, DocumentKind, ExtractedCommitment, MinistryRef

WAITING_STATES: tuple[ReviewState, ...] = ("needs_review", "in_review")

Reason = Annotated[
    str,
    Field(
        min_length=3,
        max_length=2000,
        description="why: kept with the correction, shown in the commitment's history and told to subscribers",
        examples=["the item is addressed to Poland too (see the preamble)"],
    ),
]
Offset = Annotated[int, Field(ge=0, le=100_000_000)]
Span = Annotated[
    tuple[Offset, Offset],
    Field(description="[start, end) in the document's text, in Unicode code points", examples=[[1234, 1567]]),
]
Id = Annotated[str, Field(min_length=1, max_length=100)]
CountryCode = Annotated[str, Field(pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2", examples=["EE"])]
AreaSlug = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=60, examples=["defence"])]
Name = Annotated[str, Field(min_length=1, max_length=300)]
ISO_DURATION = r"^P(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$"


def _span_in_order(span: tuple[int, int] | None) -> None:
    if span is not None and span[0] >= span[1]:
        raise ValueError(f"span {list(span)} is empty or reversed: start must be before end")


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MinistryRefIn(_Body, MinistryRef):
    """A country's ministry by its registry portfolio slug (`GET /v1/actors` lists them)."""

    country: CountryCode
    ministry: AreaSlug


class DeadlineIn(_Body, Deadline):
    """A deadline of one of the contract's kinds, with the parts that kind needs: `date` for a date or a month
    (its first day), `year` for a year, `series` and `ordinal` for an event, `every` (ISO 8601) for recurring."""

    verbatim: str = Field(min_length=1, max_length=500)
    series: AreaSlug | None = None
    every: str | None = Field(default=None, pattern=ISO_DURATION)

    @model_validator(mode="after")
    def _parts_of_its_kind(self) -> DeadlineIn:
        needed = {"date": ("date",), "month": ("date",), "year": ("year",), "event": ("series", "ordinal")}
        missing = [part for part in needed.get(self.kind, ()) if getattr(self, part) is None]
        if self.kind == "recurring" and self.every in (None, "P"):
            missing.append("every (an ISO 8601 period such as P1Y)")
        if missing:
            raise ValueError(f"a deadline of kind {self.kind!r} needs {', '.join(missing)}")
        return self


class CommitmentFieldsIn(_Body):
    """The fields of a commitment a correction sets. Only the fields given change; `deadline: null` removes
    the deadline, `label` and `section` null clear them. Giving `span` without `text` takes the text from the
    document at that span (bullet and final punctuation removed, as extraction does). Ministries not given
    follow the policy area in each addressee country when the countries or the policy area change."""

    text: str | None = Field(default=None, min_length=1, max_length=20_000)
    span: Span | None = None
    label: str | None = Field(default=None, max_length=20)
    section: str | None = Field(default=None, max_length=500)
    countries: list[CountryCode] = Field(default_factory=list, max_length=60)
    bodies: list[Name] = Field(default_factory=list, max_length=30, description="registry bodies, by name or id")
    ministries: list[MinistryRefIn] = Field(default_factory=list, max_length=120)
    policy_area: AreaSlug | None = None
    deadline: DeadlineIn | None = None
    addressed_to: list[Name] = Field(
        default_factory=list, max_length=30, description="named addressees outside the registry (assigned to nobody)"
    )

    @model_validator(mode="after")
    def _no_empty_text_or_span(self) -> CommitmentFieldsIn:
        for name in ("text", "span"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} cannot be removed; give the corrected {name}")
        _span_in_order(self.span)
        return self

    def given(self) -> dict[str, Any]:
        """The fields this correction sets, with the values given (JSON-ready)."""
        return self.model_dump(mode="json", include=set(self.model_fields_set) & set(CommitmentFieldsIn.model_fields))


class CommitmentRevisionIn(CommitmentFieldsIn):
    """Correct a commitment's fields; at least one field besides the reason."""

    reason: Reason

    @model_validator(mode="after")
    def _something_changes(self) -> CommitmentRevisionIn:
        if not self.given():
            raise ValueError("give at least one field to correct besides the reason")
        return self


class CommitmentAddIn(CommitmentFieldsIn):
    """Add a commitment from a span of the document's text: the extractor proposes its fields for that span
    (`GET .../proposal` shows them first); the fields given replace the proposal's."""

    reason: Reason
    span: Span  # type: ignore[assignment]


class SplitPartIn(CommitmentFieldsIn):
    """One commitment a split makes: its span (inside the commitment split), and any field to set on it."""

    span: Span  # type: ignore[assignment]


class SplitIn(_Body):
    """Split a commitment the extractor read as one into two or more, in text order. The first part keeps the
    commitment's id (its assignments and history); the others are new commitments after it. Each part starts
    from the commitment's fields, its text and span from its own span, its deadline the one the extractor reads
    in that span (else the commitment's), and the fields given replace them."""

    reason: Reason
    parts: list[SplitPartIn] = Field(min_length=2, max_length=50)

    @model_validator(mode="after")
    def _parts_in_order(self) -> SplitIn:
        for first, second in zip(self.parts, self.parts[1:], strict=False):
            if second.span[0] < first.span[1]:
                raise ValueError(
                    f"parts overlap or are out of order: {list(first.span)} then {list(second.span)}; "
                    "give the parts in text order, each after the one before"
                )
        return self


class MergeIn(CommitmentFieldsIn):
    """Merge commitments the extractor read apart into one. The first in text order keeps its id and takes the
    span from its start to the last one's end, the texts joined with `; `, the addressees, ministries and named
    addressees of all of them; the others are withdrawn (`merged into` it). The fields given replace these;
    a span is not given: it follows from the commitments merged."""

    reason: Reason
    commitment_ids: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(min_length=2, max_length=50)

    @model_validator(mode="after")
    def _distinct_and_no_span(self) -> MergeIn:
        if len(set(self.commitment_ids)) != len(self.commitment_ids):
            raise ValueError("commitment_ids names a commitment twice")
        if "span" in self.model_fields_set:
            raise ValueError("span follows from the commitments merged; it cannot be given")
        return self


class CalendarFactIn(_Body, CalendarFact):
    """An institutional event the document dates: a series id (`GET /v1/calendar/series`), its ordinal where
    the series is numbered, the days and the place."""

    series: AreaSlug
    ordinal: int | None = Field(default=None, ge=1, le=1000)
    start: ApiDate | None = None  # type: ignore[assignment]
    end: ApiDate | None = None  # type: ignore[assignment]
    place: Name | None = None

    @model_validator(mode="after")
    def _days_in_order(self) -> CalendarFactIn:
        if self.start is None:
            raise ValueError("a calendar fact needs the day it starts")
        if self.end is not None and self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class DocumentFactsIn(_Body):
    """Correct what a document says of itself (one part of a bundle, `part`, from 0): only the fields given
    change; `number`, `session`, `adopted`, `place` null clear them. `calendar_facts` replaces the list of
    events the part dates (an empty list: it dates none)."""

    reason: Reason
    part: int = Field(default=0, ge=0, le=1000)
    title: str | None = Field(default=None, min_length=1, max_length=1000)
    kind: DocumentKind | None = None
    issuing_body: Name | None = None
    number: int | None = Field(default=None, ge=1, le=100_000)
    session: int | None = Field(default=None, ge=1, le=1000)
    adopted: ApiDate | None = None
    place: Name | None = None
    calendar_facts: list[CalendarFactIn] | None = Field(default=None, max_length=50)

    @model_validator(mode="after")
    def _something_changes(self) -> DocumentFactsIn:
        for name in ("title", "kind", "calendar_facts"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} cannot be removed; give the corrected {name}")
        if not self.given():
            raise ValueError("give at least one fact to correct besides the reason")
        return self

    def given(self) -> dict[str, Any]:
        """The facts this correction sets, with the values given (JSON-ready)."""
        return self.model_dump(mode="json", include=set(self.model_fields_set) - {"reason", "part"})


class WithdrawalIn(_Body):
    """Withdraw a commitment that is not one (it is kept, marked withdrawn, never deleted)."""

    reason: Reason


class ReviewStartIn(_Body):
    """An editor takes a document into review."""

    note: str | None = Field(default=None, max_length=2000)


class PublishIn(_Body):
    """An editor publishes a reviewed document: its commitments, held back until now, reach the tracker."""

    note: str | None = Field(default=None, max_length=2000)


class CommitmentState(ExtractedCommitment):
    """A commitment's own fields at one moment (before or after a correction), and whether it stood."""

    position: int | None = None
    withdrawn: bool = False
    withdrawn_reason: str | None = None


class CorrectedCommitment(BaseModel):
    """What a correction did to one commitment: its state before (null: added) and after, and the fields changed."""

    commitment_id: str
    effect: Literal["revised", "added", "withdrawn"]
    before: CommitmentState | None = None
    after: CommitmentState
    changes: list[FieldChange] = Field(default_factory=list)


class CorrectionOut(CorrectionRef):
    """One correction: who made it, when, why, and every change it made, before and after.

    `published`: sent to the tracker when it was made (false while the document was held for review: its
    commitments then reach the tracker, corrected, when the document is published).
    """

    model_config = ConfigDict(from_attributes=True)

    document_id: str
    lineage_id: str
    version: int
    published: bool
    commitments: list[CorrectedCommitment] = Field(default_factory=list)
    document: list[FieldChange] = Field(
        default_factory=list, description="the document's own facts it changed (a `facts` correction)"
    )
    review_state: ReviewState


class CorrectionPage(Page[CorrectionOut]):
    """Corrections, oldest first."""


class CorrectionQuery(ListQuery):
    """Corrections of a document (every version of it) or of one commitment, oldest first."""

    kind: CorrectionKind | None = None


class ProposalQuery(Filters):
    """`GET /v1/documents/{id}/proposal`: the span to read as a commitment."""

    start: Offset = Field(description="where the span starts, in Unicode code points")
    end: Offset = Field(description="where it ends (exclusive)")

    @model_validator(mode="after")
    def _in_order(self) -> ProposalQuery:
        _span_in_order((self.start, self.end))
        return self


class ProposalOut(BaseModel):
    """What the extractor reads in a span, as a commitment: the fields an addition starts from."""

    document_id: str
    part: int
    span: tuple[int, int]
    source_text: str = Field(description="the document's text at the span, as it stands")
    proposed: ExtractedCommitment
    overlaps: list[str] = Field(
        default_factory=list, description="standing commitments the span overlaps (an addition may not)"
    )


class PublicationPolicyIn(_Body):
    """How an issuing body's documents reach the tracker: `auto` (at once unless extraction flagged them for
    review), `at_once`, or `after_review` (held until an editor publishes them)."""

    publish: PublishChoice
    note: str | None = Field(default=None, max_length=2000)


class PublicationPolicyOut(BaseModel):
    """One issuing body's choice, and who made it."""

    model_config = ConfigDict(from_attributes=True)

    body_id: str
    body_name: str | None = None
    publish: PublishChoice
    note: str | None = None
    updated_by: str | None = None
    updated_at: datetime


class PublicationPolicyList(BaseModel):
    """Every issuing body's publication choice (bodies not listed: `auto`)."""

    items: list[PublicationPolicyOut]


class ReviewQueueQuery(ListQuery):
    """`GET /v1/review/documents`: current documents waiting for review, oldest first."""

    review_state: Literal["needs_review", "in_review"] | None = Field(
        default=None, description="only those not yet taken into review, or only those in review"
    )
    held: bool | None = Field(default=None, description="only those whose commitments are held back (or not)")
