"""Storing a document (or a new version of one) and publishing what was extracted, in one transaction.

An upload is read and extracted first, with nothing stored; then the document, its commitments, the
superseded version's new status and every event go into the database in a single transaction with the
outbox. Any failure before the commit leaves no trace.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import time
import uuid
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from resolute.ingest import metrics
from resolute.ingest.documents.models import Commitment, Document
from resolute.ingest.documents.upload import Upload
from resolute.ingest.documents.versions import StatedCommitment, identity_key, match_commitments
from resolute.ingest.extraction import extract_documents
from resolute.ingest.extraction.models import ExtractedCommitment, ExtractedDocument
from resolute.ingest.formats import (
    DEFAULT_LIMITS,
    DocumentReadError,
    DocumentText,
    DocumentTooLarge,
    EmptyDocument,
    NoDocumentContent,
    ReadLimits,
    UnsupportedFormat,
    detect_format,
    read_document,
)
from resolute.shared.events.catalogue import (
    CalendarFactV1,
    CommitmentExtractedV1,
    CommitmentWithdrawnV1,
    DeadlineExpressionV1,
    DocumentProcessedV1,
    MinistryRefV1,
)
from resolute.shared.logging import get_logger
from resolute.shared.messaging import Outbox
from resolute.shared.web.problems import ProblemError

log = get_logger(__name__)

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")

# how often a store is retried when a concurrent upload of another version won the race
STORE_ATTEMPTS = 3


class RejectedUpload(ProblemError):
    """A 4xx for an upload, carrying the format it was seen to be (for metrics)."""

    def __init__(
        self, status: int, detail: str, *, format_label: str, kind: str, title: str | None = None, **extra: Any
    ) -> None:
        super().__init__(status, detail, kind=kind, title=title, **extra)
        self.format_label = format_label


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
    supersedes: str | None = None
    identity_key: str | None = None


@dataclass
class StoredDocument:
    """What an upload came to: the document answered with, and what it changed."""

    document: Document
    duplicate: bool = False
    withdrawn: list[str] = field(default_factory=list)


def content_hash(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def format_label_of(content: bytes, error: DocumentReadError | None = None) -> str:
    """The format to count an upload under when it could not be read: its container, or `unknown`."""
    if isinstance(error, UnsupportedFormat | EmptyDocument):
        return "unknown"
    try:
        container = detect_format(content)
    except DocumentReadError:
        return "unknown"
    if container == "text" and isinstance(error, NoDocumentContent):
        return "html"  # the only text format that can hold no document
    return container


def parse_upload(
    content: bytes,
    *,
    filename: str | None,
    content_type: str | None,
    title: str | None = None,
    kind: str | None = None,
    source_url: str | None = None,
    supersedes: str | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> ParsedUpload:
    """CPU work only (run it in a thread): read the format, extract commitments. Raises DocumentReadError."""
    text = read_document(content, filename=filename, content_type=content_type, limits=limits)
    documents = extract_documents(
        text.text, source=filename or source_url or "upload", title_hint=title or text.title, blocks=text.blocks
    )
    return ParsedUpload(
        content=content,
        content_hash=content_hash(content),
        text=text,
        documents=documents,
        filename=filename,
        title=title,
        kind=kind,
        source_url=source_url,
        supersedes=supersedes,
        identity_key=identity_key(documents),
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


async def _current_with_identity(session: AsyncSession, key: str) -> Document | None:
    return await session.scalar(
        select(Document)
        .where(Document.identity_key == key, Document.status == "processed")
        .order_by(Document.created_at.desc())
        .limit(1)
        .with_for_update()
    )


async def _predecessor(session: AsyncSession, upload: ParsedUpload) -> Document | None:
    """The current version this upload supersedes: the one it names, else the one with its identity."""
    if upload.supersedes is None:
        return await _current_with_identity(session, upload.identity_key) if upload.identity_key else None
    named = await session.scalar(select(Document).where(Document.id == upload.supersedes).with_for_update())
    if named is None:
        raise ProblemError(
            422,
            f"supersedes: there is no document {upload.supersedes}",
            kind="unknown-document",
            title="Invalid request",
        )
    if named.superseded_by_id is not None:
        raise ProblemError(
            409,
            f"document {named.id} was already superseded by {named.superseded_by_id}; "
            "a new version supersedes the current one",
            kind="already-superseded",
            superseded_by=named.superseded_by_id,
        )
    if upload.identity_key is not None:
        twin = await _current_with_identity(session, upload.identity_key)
        if twin is not None and twin.id != named.id:
            raise ProblemError(
                409,
                f"this upload is a version of document {twin.id} (same issuing body, kind, number, session and "
                f"title), not of {named.id}; supersede {twin.id} instead",
                kind="identity-conflict",
                current=twin.id,
            )
    return named


def _extracted_event(
    document: Document, extracted: ExtractedDocument, item: ExtractedCommitment, row: Commitment
) -> CommitmentExtractedV1:
    return CommitmentExtractedV1(
        commitment_id=row.commitment_id,
        document_id=document.id,
        document_title=extracted.title or document.title,
        document_kind=extracted.kind,
        document_number=str(extracted.number) if extracted.number is not None else None,
        issuing_body=extracted.issuing_body,
        adopted=extracted.adopted,
        position=row.position,
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


def _part_key(extracted: ExtractedDocument, index: int) -> str:
    return str(extracted.number) if extracted.number is not None else f"#{index}"


async def store_document(
    session: AsyncSession, outbox: Outbox, upload: ParsedUpload, *, now: datetime
) -> StoredDocument:
    """Persist the document (superseding its current version, if any) and queue its events; the caller commits."""
    predecessor = await _predecessor(session, upload)
    previous: list[Commitment] = []
    if predecessor is not None:
        previous = list(
            (
                await session.scalars(
                    select(Commitment).where(Commitment.document_id == predecessor.id).order_by(Commitment.position)
                )
            ).all()
        )
        # the superseded version leaves the "current" set before its successor joins it
        predecessor.status = "superseded"
        predecessor.superseded_at = now
        await session.flush()

    document_id = str(uuid.uuid4())
    document = Document(
        id=document_id,
        status="processed",
        version=predecessor.version + 1 if predecessor else 1,
        lineage_id=predecessor.lineage_id if predecessor else document_id,
        supersedes_id=predecessor.id if predecessor else None,
        identity_key=upload.identity_key,
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
    if predecessor is not None and predecessor.identity_key != upload.identity_key:
        document.warnings.append(
            f"supersedes document {predecessor.id}, whose issuing body, kind, number, session or title differ"
        )
    session.add(document)

    pairs: dict[int, int] = {}
    if previous:
        part_keys = {c.part: _previous_part_key(predecessor, c.part) for c in previous}
        stated_before = [StatedCommitment(c.text, part_keys[c.part]) for c in previous]
        stated_now = [
            StatedCommitment(item.text, _part_key(extracted, index))
            for index, extracted in enumerate(upload.documents)
            for item in extracted.commitments
        ]
        pairs = match_commitments(stated_before, stated_now)

    position = 0
    parts = []
    events: list[CommitmentExtractedV1] = []
    rows: list[Commitment] = []
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
            kept = previous[pairs[position]].commitment_id if position in pairs else None
            row = Commitment(
                id=str(uuid.uuid4()),
                commitment_id=kept or str(uuid.uuid4()),
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
            document.commitments.append(row)
            rows.append(row)
            events.append(_extracted_event(document, extracted, item, row))
            position += 1
    document.parts = parts
    document.commitment_count = position
    await session.flush()

    withdrawn: list[Commitment] = []
    if predecessor is not None:
        predecessor.superseded_by_id = document.id
        carried = {previous[i].commitment_id for i in pairs.values()}
        withdrawn = [c for c in previous if c.commitment_id not in carried]
        await session.flush()

    first = upload.documents[0] if upload.documents else None
    outgoing: list[tuple[BaseModel, str, str | None]] = [
        (event, event.commitment_id, f"extracted:{row.id}") for event, row in zip(events, rows, strict=True)
    ]
    outgoing += [
        (
            CommitmentWithdrawnV1(
                commitment_id=gone.commitment_id,
                document_id=gone.document_id,
                superseded_by=document.id,
                reason=f"not in version {document.version} of the document ({document.id}), which supersedes "
                f"version {document.version - 1}",
            ),
            gone.commitment_id,
            f"withdrawn:{gone.id}",
        )
        for gone in withdrawn
    ]
    outgoing.append(
        (
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
                    CalendarFactV1.model_validate(fact.model_dump())
                    for d in upload.documents
                    for fact in d.calendar_facts
                ],
                supersedes=document.supersedes_id,
                version=document.version,
                warnings=document.warnings,
            ),
            document.id,
            f"processed:{document.id}",
        )
    )
    await outbox.add_many(session, outgoing, time=now)
    return StoredDocument(document=document, withdrawn=[c.commitment_id for c in withdrawn])


def _previous_part_key(predecessor: Document | None, part: int) -> str:
    """The part key of a stored commitment: its bundle part's number, else its index (as `_part_key`)."""
    parts = predecessor.parts if predecessor is not None else []
    number = parts[part].get("number") if part < len(parts) else None
    return str(number) if number is not None else f"#{part}"


async def ingest_upload(
    sessionmaker: async_sessionmaker[AsyncSession],
    outbox: Outbox,
    upload: Upload,
    *,
    now: datetime | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> StoredDocument:
    """Dedupe, read, extract and store one upload; 4xx problems for what cannot be ingested, nothing stored."""
    digest = content_hash(upload.content)
    async with sessionmaker() as session:
        existing = await find_by_hash(session, digest)
    if existing is not None:
        metrics.count_document(existing.format, "duplicate")
        return StoredDocument(document=existing, duplicate=True)
    started = time.perf_counter()
    try:
        parsed = await asyncio.to_thread(
            parse_upload,
            upload.content,
            filename=upload.filename,
            content_type=upload.content_type,
            title=upload.fields.title,
            kind=upload.fields.kind,
            source_url=upload.fields.source_url,
            supersedes=upload.fields.supersedes,
            limits=limits,
        )
    except UnsupportedFormat as exc:
        raise RejectedUpload(
            415, str(exc), format_label=format_label_of(upload.content, exc), kind="unsupported-format"
        ) from exc
    except DocumentTooLarge as exc:
        raise RejectedUpload(
            413, str(exc), format_label=format_label_of(upload.content, exc), kind="too-large", limit=exc.limit
        ) from exc
    except DocumentReadError as exc:
        raise RejectedUpload(
            422, str(exc), format_label=format_label_of(upload.content, exc), kind="unreadable-document"
        ) from exc
    metrics.EXTRACTION_SECONDS.observe(time.perf_counter() - started)
    for attempt in range(1, STORE_ATTEMPTS + 1):
        try:
            async with sessionmaker() as session, session.begin():
                stored = await store_document(session, outbox, parsed, now=now or datetime.now(UTC))
        except ProblemError as exc:
            raise RejectedUpload(
                exc.status,
                exc.detail,
                format_label=parsed.text.format,
                kind=exc.kind or "invalid",
                title=exc.title,
                **exc.extra,
            ) from exc
        except IntegrityError:
            async with sessionmaker() as session:
                existing = await find_by_hash(session, digest)
            if existing is not None:  # the same bytes, uploaded concurrently
                metrics.count_document(existing.format, "duplicate")
                return StoredDocument(document=existing, duplicate=True)
            if attempt == STORE_ATTEMPTS:
                raise
            log.info("document_version_race_retried", attempt=attempt)  # another version became current first
            continue
        metrics.count_document(stored.document.format, "processed")
        metrics.COMMITMENTS_EXTRACTED.inc(stored.document.commitment_count)
        log.info(
            "document_processed",
            document_id=stored.document.id,
            format=stored.document.format,
            version=stored.document.version,
            supersedes=stored.document.supersedes_id,
            commitments=stored.document.commitment_count,
            withdrawn=len(stored.withdrawn),
        )
        return stored
    raise AssertionError("unreachable")


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


def utf16_offsets(text: str, offsets: Iterable[int]) -> dict[int, int]:
    """Code-point offsets into `text` as UTF-16 code units (what JavaScript strings index by)."""
    astral = [m.start() for m in _ASTRAL.finditer(text)]
    return {offset: offset + bisect_left(astral, offset) for offset in offsets}
