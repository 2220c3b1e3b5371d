"""The documents API's request and response bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

DocumentStatus = Literal["received", "processed", "failed", "superseded"]
DocumentKindIn = Literal["resolution", "declaration", "declaration_of_intent", "press_release", "other"]


class DocumentFieldsIn(BaseModel):
    """What an uploader may say about a document, as multipart fields or JSON members."""

    title: str | None = Field(default=None, max_length=500)
    kind: DocumentKindIn | None = None
    source_url: str | None = Field(default=None, max_length=2000)
    supersedes: str | None = Field(
        default=None,
        max_length=36,
        description="id of the document this upload is a new version of (found automatically when the "
        "issuing body, kind, number/session and title match a current document)",
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
    duplicate: bool = False
    version: int = 1
    supersedes: str | None = None
    superseded_by: str | None = None
    commitment_count: int = 0
    withdrawn_count: int = Field(default=0, description="commitments of the superseded version not in this one")
    warnings: list[str] = Field(default_factory=list)


class DocumentPart(BaseModel):
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


class DocumentPage(BaseModel):
    items: list[DocumentOut]
    next_cursor: str | None = None


class CommitmentOut(BaseModel):
    id: str = Field(description="the commitment's identity, kept across versions where its text is the same")
    document_id: str
    position: int
    part: int = Field(default=0, description="which document of a bundle it is in (0 for a single document)")
    label: str | None
    section: str | None
    text: str
    span: tuple[int, int] = Field(description="[start, end) in the document's text, in Unicode code points")
    countries: list[str]
    bodies: list[str]
    ministries: list[dict[str, str]]
    policy_area: str | None
    deadline: dict[str, Any] | None


class CommitmentPage(BaseModel):
    items: list[CommitmentOut]
    next_cursor: str | None = None


class DocumentTextOut(BaseModel):
    """The stored text with each commitment's span, so a portal can highlight commitments in place."""

    id: str
    version: int = 1
    status: DocumentStatus = "processed"
    format: str
    offsets: Literal["unicode_code_points", "utf16"] = Field(
        default="unicode_code_points",
        description="what spans count: Unicode code points (Python str indices), or UTF-16 code units "
        "(JavaScript string indices) when asked for with ?offsets=utf16",
    )
    text: str
    commitments: list[CommitmentOut]
