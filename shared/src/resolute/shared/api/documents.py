"""Documents as the public API shows them (served by ingest; its schemas answer with these shapes)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, field_validator

from resolute.shared.api.lists import Filters, ListQuery, Page
from resolute.shared.extracted import CalendarFact, DeadlineKind, DocumentKind, ExtractedCommitment

ReviewState = Literal["needs_review", "in_review", "published"]
PublishChoice = Literal["auto", "at_once", "after_review"]
PublishMode = Literal["at_once", "after_review"]

DocumentStatus = Literal["received", "processed", "failed", "superseded"]
DocumentSort = Literal["-created_at", "created_at"]


class DocumentFieldsIn(BaseModel):
    """What an uploader may say about a document, as multipart fields or JSON members."""

    title: str | None = Field(default=None, max_length=500)
    kind: DocumentKind | None = None
    source_url: str | None = Field(default=None, max_length=2000)
    supersedes: str | None = Field(
        default=None,
        max_length=36,
        description="id of the document this upload is a new version of (found automatically when the "
        "issuing body, kind, number/session and title match a current document)",
    )
    publish: PublishChoice | None = Field(
        default=None,
        description="when its commitments reach the tracker: `at_once`, `after_review` (held until an editor "
        "publishes the document), or `auto` (at once unless extraction flagged it for review); default: the "
        "issuing body's choice, else `auto`",
    )

    @field_validator("title", "source_url", "supersedes")
    @classmethod
    def _printable(cls, value: str | None) -> str | None:
        if value is not None and any(ord(ch) < 32 and ch not in "\t\n\r" for ch in value):
            raise ValueError("must not contain control characters")
        return value


class DocumentTextIn(DocumentFieldsIn):
    """A document sent as JSON instead of a file."""

    text: str = Field(min_length=1, description="the document's text (plain text, Markdown or HTML)")


class DocumentAccepted(BaseModel):
    """The answer to an upload: the stored document (a re-upload of the same bytes answers the first one)."""

    id: str
    status: DocumentStatus
    duplicate: bool = Field(default=False, description="the same bytes were uploaded before; this is that document")
    version: int = 1
    supersedes: str | None = None
    superseded_by: str | None = None
    commitment_count: int = 0
    withdrawn_count: int = Field(default=0, description="commitments of the superseded version not in this one")
    warnings: list[str] = Field(default_factory=list)
    review_state: ReviewState = "published"
    held: bool = Field(default=False, description="its commitments wait until an editor publishes the document")


class DocumentPart(BaseModel):
    """One declaration or resolution inside an uploaded file (a bundle has several)."""

    number: int | str | None = None
    title: str | None = None
    kind: str
    issuing_body: str | None = None
    session: int | None = None
    adopted: str | None = None
    place: str | None = None
    commitment_count: int
    addressees: list[str] = Field(default_factory=list)
    calendar_facts: list[CalendarFact] = Field(default_factory=list)
    confidence: float = Field(default=1.0, description="how sure extraction was of this part")
    needs_review: bool = False
    review: list[str] = Field(default_factory=list, description="why a reviewer should look at this part")
    sources: dict[str, tuple[int, int]] = Field(
        default_factory=dict, description="the span each fact was read from, by fact name"
    )
    span: tuple[int, int] | None = Field(default=None, description="where the part is in the text (a bundle's)")
    corrected: list[str] = Field(default_factory=list, description="facts an editor corrected")


class DocumentOut(BaseModel):
    id: str
    status: DocumentStatus
    title: str | None
    kind: str
    format: str
    source_url: str | None = None
    filename: str | None = None
    commitment_count: int
    version: int = 1
    lineage_id: str = Field(description="the id of the first version: the same for every version of a document")
    supersedes: str | None = None
    superseded_by: str | None = None
    superseded_at: datetime | None = None
    parts: list[DocumentPart] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    error: str | None = None
    created_at: datetime
    processed_at: datetime | None = None
    review_state: ReviewState = Field(
        default="published",
        description="needs_review: extraction flagged weak readings; in_review: an editor is on it; published",
    )
    held: bool = Field(default=False, description="its commitments wait until an editor publishes the document")
    publish_mode: PublishMode = Field(default="at_once", description="how this upload's commitments reach the tracker")
    confidence: float = Field(default=1.0, description="how sure extraction was of the document (its weakest part)")
    review: list[str] = Field(default_factory=list, description="why a reviewer should look at it")
    corrections: int = Field(default=0, description="corrections made to this version")
    review_started_by: str | None = None
    published_at: datetime | None = Field(default=None, description="when its commitments reached the tracker")
    published_by: str | None = None


class DocumentPage(Page[DocumentOut]):
    """Documents, newest first (a document's versions: oldest first)."""


class ExtractedCommitmentOut(ExtractedCommitment):
    """A commitment as extracted from its document, with its character span."""

    id: str = Field(description="the commitment's identity, kept across versions where its text is the same")
    document_id: str
    position: int
    part: int = Field(default=0, description="which document of a bundle it is in (0 for a single document)")
    span: tuple[int, int] = Field(description="[start, end) in the document's text, in the offsets asked for")
    origin: Literal["extracted", "added"] = Field(
        default="extracted", description="read by the extractor, or added by an editor from a span"
    )
    corrected_fields: list[str] = Field(default_factory=list, description="fields an editor corrected")
    revision: int = Field(default=0, description="how many corrections it has had (across the document's versions)")
    withdrawn: bool = Field(default=False, description="withdrawn by an editor: kept, but no longer a commitment")
    withdrawn_reason: str | None = None


class ExtractedCommitmentPage(Page[ExtractedCommitmentOut]):
    """A document's commitments in document order."""


class DocumentTextOut(BaseModel):
    """The stored text with each commitment's span, so a portal can highlight commitments in place."""

    id: str
    version: int = 1
    status: DocumentStatus = "processed"
    format: str
    offsets: Literal["unicode_code_points", "utf16"] = Field(
        default="unicode_code_points",
        description="what spans count: Unicode code points, or UTF-16 code units (JavaScript string indices)",
    )
    text: str
    commitments: list[ExtractedCommitmentOut]


class DocumentFilters(Filters):
    """What `GET /v1/documents` and its export filter on."""

    status: DocumentStatus | None = Field(default=None, description="e.g. `processed` for current versions only")
    review_state: ReviewState | None = Field(default=None, description="e.g. `needs_review`")


class DocumentQuery(DocumentFilters, ListQuery):
    """`GET /v1/documents`: newest first unless `sort` says otherwise."""

    sort: DocumentSort = Field(
        default="-created_at", description="`-created_at`: newest first (default); `created_at`: oldest first"
    )


class DocumentCommitmentQuery(ListQuery):
    """`GET /v1/documents/{id}/commitments`: filters on one document's commitments, in document order."""

    section: str | None = Field(
        default=None, max_length=500, description="section heading contains this (case-insensitive)"
    )
    country: Annotated[str | None, Field(pattern=r"^[A-Za-z]{2}$", description="addressed to (ISO alpha-2)")] = None
    ministry: Annotated[
        str | None,
        Field(pattern=r"^[a-z][a-z0-9-]*$", max_length=60, description="registry portfolio slug, e.g. defence"),
    ] = None
    body: str | None = Field(
        default=None, max_length=200, description="addressed body, e.g. Baltic Council of Ministers"
    )
    policy_area: str | None = Field(default=None, max_length=40)
    has_deadline: bool | None = None
    deadline_kind: DeadlineKind | None = None
    q: str | None = Field(
        default=None, min_length=1, max_length=200, description="text contains this (case-insensitive)"
    )
    include_withdrawn: bool = Field(default=False, description="also commitments an editor withdrew")


class DocumentTextQuery(Filters):
    """`GET /v1/documents/{id}/text`."""

    offsets: Literal["unicode_code_points", "utf16"] = Field(
        default="unicode_code_points",
        description="count spans in code points (default) or in UTF-16 code units, as JavaScript indexes",
    )
