"""Documents as the public API shows them (served by ingest)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from resolute.shared.api.lists import Filters, ListQuery, Page

DocumentStatus = Literal["received", "processed", "failed"]
DocumentKind = Literal["resolution", "declaration", "declaration_of_intent", "press_release", "other"]


class DocumentTextIn(BaseModel):
    """A document sent as JSON instead of a file."""

    text: str = Field(min_length=1, description="the document's text (plain text or Markdown)")
    title: str | None = Field(default=None, max_length=500)
    kind: DocumentKind | None = None
    source_url: str | None = Field(default=None, max_length=2000)


class DocumentAccepted(BaseModel):
    """The answer to an upload: stored, extracted, and its events queued."""

    id: str
    status: DocumentStatus
    duplicate: bool = Field(default=False, description="the same bytes were uploaded before; this is that document")


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


class DocumentOut(BaseModel):
    id: str
    status: DocumentStatus
    title: str | None
    kind: str
    format: str
    source_url: str | None = None
    filename: str | None = None
    commitment_count: int
    parts: list[DocumentPart] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    error: str | None = None
    created_at: datetime
    processed_at: datetime | None = None


class DocumentPage(Page[DocumentOut]):
    """Documents, newest first."""


class ExtractedCommitmentOut(BaseModel):
    """A commitment as extracted from its document, with its character span."""

    id: str
    document_id: str
    position: int
    label: str | None
    section: str | None
    text: str
    span: tuple[int, int]
    countries: list[str]
    bodies: list[str]
    ministries: list[dict[str, str]]
    policy_area: str | None
    deadline: dict[str, Any] | None


class DocumentTextOut(BaseModel):
    """The stored text with each commitment's span, so a portal can highlight commitments in place."""

    id: str
    text: str
    commitments: list[ExtractedCommitmentOut]


class DocumentFilters(Filters):
    """Documents have no filters yet; the model still refuses unknown parameters."""


class DocumentQuery(DocumentFilters, ListQuery):
    """`GET /v1/documents`: newest first."""
