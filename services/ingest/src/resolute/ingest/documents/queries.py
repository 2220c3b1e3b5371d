"""Reading documents and their commitments back: lists, a document's versions, its commitments filtered,
its text with spans in either offset convention. Plain functions over a session; the router maps them to HTTP."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from resolute.ingest.documents.models import Commitment, Document
from resolute.ingest.documents.records import commitment_out
from resolute.shared.api.documents import (
    DocumentCommitmentQuery,
    DocumentOut,
    DocumentPage,
    DocumentPart,
    DocumentQuery,
    DocumentTextOut,
    ExtractedCommitmentPage,
)
from resolute.shared.pagination import both_ways, decode_cursor, encode_cursor
from resolute.shared.web.problems import ProblemError

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
DOCUMENT_ORDERS = both_ways(Document.created_at, Document.id)


def document_out(document: Document) -> DocumentOut:
    return DocumentOut(
        id=document.id,
        status=document.status,  # type: ignore[arg-type]
        title=document.title,
        kind=document.kind,
        format=document.format,
        source_url=document.source_url,
        filename=document.filename,
        commitment_count=document.commitment_count,
        version=document.version,
        lineage_id=document.lineage_id,
        supersedes=document.supersedes_id,
        superseded_by=document.superseded_by_id,
        superseded_at=document.superseded_at,
        parts=[DocumentPart.model_validate(p) for p in document.parts],
        warnings=document.warnings,
        error=document.error,
        created_at=document.created_at,
        processed_at=document.processed_at,
        review_state=document.review_state,  # type: ignore[arg-type]
        held=document.held,
        publish_mode=document.publish_mode,  # type: ignore[arg-type]
        confidence=document.confidence,
        review=document.review,
        corrections=document.corrections,
        review_started_by=document.review_started_by,
        published_at=document.published_at,
        published_by=document.published_by,
    )


async def document_page(session: AsyncSession, query: DocumentQuery) -> DocumentPage:
    statement = select(Document)
    if query.status is not None:
        statement = statement.where(Document.status == query.status)
    if query.review_state is not None:
        statement = statement.where(Document.review_state == query.review_state)
    keyset = DOCUMENT_ORDERS[query.sort]
    rows = (await session.scalars(keyset.apply(statement, query.cursor, query.limit))).all()
    page, next_cursor = keyset.page(rows, query.limit)
    return DocumentPage(items=[document_out(d) for d in page], next_cursor=next_cursor)


async def get_document(session: AsyncSession, document_id: str, *, with_commitments: bool = False) -> Document:
    statement = select(Document).where(Document.id == document_id)
    if with_commitments:
        statement = statement.options(selectinload(Document.commitments))
    document = await session.scalar(statement)
    if document is None:
        raise ProblemError(404, f"no document {document_id}", kind="not-found")
    return document


async def versions_page(session: AsyncSession, document_id: str) -> DocumentPage:
    """Every version of the document's lineage, oldest first."""
    document = await get_document(session, document_id)
    versions = await session.scalars(
        select(Document).where(Document.lineage_id == document.lineage_id).order_by(Document.version)
    )
    return DocumentPage(items=[document_out(d) for d in versions.all()])


@dataclass(frozen=True)
class CommitmentFilter:
    """Which of a document's commitments a portal asked for; every given criterion must hold."""

    section: str | None = None
    country: str | None = None
    ministry: str | None = None
    body: str | None = None
    policy_area: str | None = None
    has_deadline: bool | None = None
    deadline_kind: str | None = None
    q: str | None = None

    @classmethod
    def of(cls, query: DocumentCommitmentQuery) -> CommitmentFilter:
        given = query.model_dump(exclude={"cursor", "limit", "include_withdrawn"})
        return cls(**{**given, "country": query.country.upper() if query.country else None})

    def matches(self, commitment: Commitment) -> bool:
        if self.section is not None and _folded(self.section) not in _folded(commitment.section or ""):
            return False
        if self.country is not None and self.country not in commitment.countries:
            return False
        if self.ministry is not None and not any(
            ref.get("ministry") == self.ministry and (self.country is None or ref.get("country") == self.country)
            for ref in commitment.ministries
        ):
            return False
        if self.body is not None and _folded(self.body) not in (_folded(b) for b in commitment.bodies):
            return False
        if self.policy_area is not None and commitment.policy_area != self.policy_area:
            return False
        if self.has_deadline is not None and (commitment.deadline is not None) != self.has_deadline:
            return False
        if self.deadline_kind is not None and (commitment.deadline or {}).get("kind") != self.deadline_kind:
            return False
        return self.q is None or _folded(self.q) in _folded(commitment.text)


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


def _position_after(cursor: str | None) -> int:
    position = decode_cursor(cursor)
    if position is None:
        return -1
    value = position.get("p")
    if not isinstance(value, int):
        raise ProblemError(400, "the cursor does not belong to this list", kind="bad-cursor")
    return value


async def commitment_page(
    session: AsyncSession, document_id: str, query: DocumentCommitmentQuery
) -> ExtractedCommitmentPage:
    """The document's commitments in document order that match the query, one page."""
    wanted = CommitmentFilter.of(query)
    after = _position_after(query.cursor)
    document = await get_document(session, document_id, with_commitments=True)
    matching = [
        c
        for c in document.commitments
        if c.position > after and (query.include_withdrawn or c.withdrawn_at is None) and wanted.matches(c)
    ]
    page = matching[: query.limit]
    next_cursor = encode_cursor({"p": page[-1].position}) if len(matching) > query.limit else None
    return ExtractedCommitmentPage(items=[commitment_out(c) for c in page], next_cursor=next_cursor)


def utf16_offsets(text: str, offsets: Iterable[int]) -> dict[int, int]:
    """Code-point offsets into `text` as UTF-16 code units (what JavaScript strings index by)."""
    astral = [m.start() for m in _ASTRAL.finditer(text)]
    return {offset: offset + bisect_left(astral, offset) for offset in offsets}


async def text_with_spans(session: AsyncSession, document_id: str, offsets: str) -> DocumentTextOut:
    document = await get_document(session, document_id, with_commitments=True)
    commitments = document.commitments
    if offsets == "utf16":
        units = utf16_offsets(document.text, (o for c in commitments for o in (c.span_start, c.span_end)))
        items = [commitment_out(c, (units[c.span_start], units[c.span_end])) for c in commitments]
    else:
        items = [commitment_out(c) for c in commitments]
    return DocumentTextOut(
        id=document.id,
        version=document.version,
        status=document.status,  # type: ignore[arg-type]
        format=document.format,
        offsets=offsets,  # type: ignore[arg-type]
        text=document.text,
        commitments=items,
    )
