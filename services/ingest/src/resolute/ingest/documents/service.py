"""Storing a document and publishing what was extracted, in one transaction with the outbox."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from resolute.ingest.documents.models import Commitment, Document
from resolute.ingest.extraction import extract_documents
from resolute.ingest.extraction.models import ExtractedDocument
from resolute.ingest.formats import DocumentText, read_document
from resolute.shared.events.catalogue import (
    CalendarFactV1,
    CommitmentExtractedV1,
    DeadlineExpressionV1,
    DocumentProcessedV1,
    MinistryRefV1,
)
from resolute.shared.messaging import Outbox


@dataclass
class ParsedUpload:
    """An upload turned into text and extracted, before anything is stored."""

    content: bytes
    content_hash: str
    text: DocumentText
    documents: list[ExtractedDocument]
    filename: str | None
    title: str | None
    kind: str | None
    source_url: str | None


def content_hash(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def parse_upload(
    content: bytes,
    *,
    filename: str | None,
    content_type: str | None,
    title: str | None = None,
    kind: str | None = None,
    source_url: str | None = None,
) -> ParsedUpload:
    """CPU work only (run it in a thread): read the format, extract commitments. Raises DocumentReadError."""
    text = read_document(content, filename=filename, content_type=content_type)
    documents = extract_documents(text.text, source=filename or source_url or "upload", title_hint=title or text.title)
    return ParsedUpload(
        content=content,
        content_hash=content_hash(content),
        text=text,
        documents=documents,
        filename=filename,
        title=title,
        kind=kind,
        source_url=source_url,
    )


async def find_by_hash(session: AsyncSession, digest: str) -> Document | None:
    return await session.scalar(select(Document).where(Document.content_hash == digest))


def _top_title(upload: ParsedUpload) -> str | None:
    if upload.title:
        return upload.title
    if upload.text.title:
        return upload.text.title
    return upload.documents[0].title if upload.documents else None


def _top_kind(upload: ParsedUpload) -> str:
    if upload.kind:
        return upload.kind
    if len(upload.documents) == 1:
        return upload.documents[0].kind
    return "bundle" if upload.documents else "other"


async def store_document(session: AsyncSession, outbox: Outbox, upload: ParsedUpload) -> Document:
    """Persist the document and its commitments and queue their events; the caller commits."""
    now = datetime.now(UTC)
    document = Document(
        id=str(uuid.uuid4()),
        status="processed",
        title=_top_title(upload),
        kind=_top_kind(upload),
        source_url=upload.source_url,
        filename=upload.filename,
        format=upload.text.format,
        content_hash=upload.content_hash,
        content=upload.content,
        text=upload.text.text,
        warnings=[*upload.text.warnings, *(w for d in upload.documents for w in d.warnings)],
        parts=[],
        created_at=now,
        processed_at=now,
    )
    session.add(document)
    position = 0
    parts = []
    events: list[CommitmentExtractedV1] = []
    for part_index, extracted in enumerate(upload.documents):
        parts.append(
            {
                "number": extracted.number,
                "title": extracted.title,
                "kind": extracted.kind,
                "issuing_body": extracted.issuing_body,
                "session": extracted.session,
                "adopted": extracted.adopted,
                "place": extracted.place,
                "commitment_count": len(extracted.commitments),
            }
        )
        for item in extracted.commitments:
            commitment = Commitment(
                id=str(uuid.uuid4()),
                part=part_index,
                position=position,
                label=item.label,
                section=item.section,
                text=item.text,
                span_start=item.span[0],
                span_end=item.span[1],
                countries=item.countries,
                bodies=item.bodies,
                ministries=[m.model_dump() for m in item.ministries],
                policy_area=item.policy_area,
                deadline=item.deadline.model_dump() if item.deadline else None,
            )
            document.commitments.append(commitment)
            position += 1
            events.append(
                CommitmentExtractedV1(
                    commitment_id=commitment.id,
                    document_id=document.id,
                    document_title=extracted.title or document.title,
                    document_kind=extracted.kind,
                    document_number=str(extracted.number) if extracted.number is not None else None,
                    issuing_body=extracted.issuing_body,
                    adopted=extracted.adopted,
                    position=commitment.position,
                    label=item.label,
                    section=item.section,
                    text=item.text,
                    span=item.span,
                    countries=item.countries,
                    bodies=item.bodies,
                    ministries=[MinistryRefV1(country=m.country, ministry=m.ministry) for m in item.ministries],
                    policy_area=item.policy_area,
                    deadline=DeadlineExpressionV1.model_validate(item.deadline.model_dump()) if item.deadline else None,
                )
            )
    document.parts = parts
    document.commitment_count = position
    await session.flush()
    for event in events:
        await outbox.add(session, event, key=event.commitment_id, event_id=f"extracted:{event.commitment_id}", time=now)
    first = upload.documents[0] if upload.documents else None
    await outbox.add(
        session,
        DocumentProcessedV1(
            document_id=document.id,
            title=document.title,
            kind=document.kind,
            issuing_body=first.issuing_body if first else None,
            number=str(first.number) if first and first.number is not None and len(upload.documents) == 1 else None,
            session=first.session if first else None,
            adopted=first.adopted if first else None,
            place=first.place if first else None,
            source_url=document.source_url,
            content_hash=document.content_hash,
            commitment_count=document.commitment_count,
            calendar_facts=[
                CalendarFactV1.model_validate(fact.model_dump()) for d in upload.documents for fact in d.calendar_facts
            ],
            warnings=document.warnings,
        ),
        key=document.id,
        event_id=f"processed:{document.id}",
        time=now,
    )
    return document
