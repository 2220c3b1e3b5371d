"""Storing a document (or a new version of one) and publishing what was extracted, in one transaction.

An upload is read and extracted first, with nothing stored; then the document, its commitments, the
superseded version's new status and every event go into the database in a single transaction with the
outbox. Any failure before the commit leaves no trace. What the rows and events are is decided without I/O
(`versions.plan_version`, `records`); this module reads and writes around those decisions.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from resolute.ingest import metrics
from resolute.ingest.documents import records
from resolute.ingest.documents.models import Commitment, Document, PublicationPolicy
from resolute.ingest.documents.records import ParsedUpload
from resolute.ingest.documents.upload import Upload
from resolute.ingest.documents.versions import (
    PreviousCommitment,
    VersionPlan,
    carry_corrections,
    identity_key,
    plan_version,
    stored_part_keys,
)
from resolute.ingest.extraction import extract_documents
from resolute.ingest.formats import (
    DEFAULT_LIMITS,
    DocumentReadError,
    DocumentTooLarge,
    EmptyDocument,
    NoDocumentContent,
    ReadLimits,
    UnsupportedFormat,
    detect_format,
    read_document,
)
from resolute.ingest.review.gate import Gate, decide, issuer_id
from resolute.ingest.workers import ExtractionTimedOut, WorkerDied
from resolute.shared.actors import default_registry
from resolute.shared.logging import get_logger
from resolute.shared.messaging import Outbox
from resolute.shared.web.problems import ProblemError

log = get_logger(__name__)

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
    publish: str | None = None,
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
        publish=publish,
    )


async def find_by_hash(session: AsyncSession, digest: str) -> Document | None:
    return await session.scalar(select(Document).where(Document.content_hash == digest))


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


async def _supersede(session: AsyncSession, predecessor: Document, *, now: datetime) -> list[Commitment]:
    """Take the current version out of the current set (before its successor joins it); its commitments."""
    previous = list(
        (
            await session.scalars(
                select(Commitment).where(Commitment.document_id == predecessor.id).order_by(Commitment.position)
            )
        ).all()
    )
    predecessor.status = "superseded"
    predecessor.superseded_at = now
    await session.flush()
    return previous


def _plan(predecessor: Document | None, previous: list[Commitment], upload: ParsedUpload) -> VersionPlan:
    if predecessor is None or not previous:
        return VersionPlan(kept={}, withdrawn=())
    keys = stored_part_keys(predecessor.parts, max(c.part for c in previous) + 1)
    # a corrected commitment is found again by what the extractor read, not by what the editor made of it
    stated = [PreviousCommitment(c.commitment_id, c.extracted_text or c.text, keys[c.part]) for c in previous]
    return plan_version(stated, upload.documents)


def _keep_corrections(
    document: Document,
    predecessor: Document,
    previous: list[Commitment],
    rows: list[Commitment],
    plan: VersionPlan,
    upload: ParsedUpload,
) -> tuple[list[Commitment], set[str]]:
    """Editors' corrections of the superseded version kept where their source text is unchanged; the others
    send the new version to review, saying which. Returns the rows and the commitments kept by an addition."""
    edited = records.edited_commitments(previous, predecessor.text)
    if not edited:
        return rows, set()
    carry = carry_corrections(edited, plan.kept, [row.span for row in rows], upload.text.text)
    rows = records.apply_carry(rows, carry, previous, upload.documents)
    document.commitment_count = sum(1 for row in rows if row.withdrawn_at is None)
    if carry.unresolved:
        document.review = [*document.review, *carry.unresolved]
        if document.review_state == "published":
            document.review_state = "needs_review"
        log.info("document_corrections_not_carried", document_id=document.id, unresolved=list(carry.unresolved))
    return rows, {c.commitment_id for c in carry.carried if c.action == "add"}


async def _gate(session: AsyncSession, upload: ParsedUpload) -> Gate:
    """The upload's review gate: its own choice, else its issuing body's policy, else `auto`."""
    issuer = issuer_id(default_registry(), upload.documents[0].issuing_body if upload.documents else None)
    policy = await session.get(PublicationPolicy, issuer) if issuer else None
    return decide(upload.documents, upload.publish, policy.publish if policy else None)


async def store_document(
    session: AsyncSession, outbox: Outbox, upload: ParsedUpload, *, now: datetime
) -> StoredDocument:
    """Persist the document (superseding its current version, if any) and queue its events; the caller commits."""
    predecessor = await _predecessor(session, upload)
    previous = await _supersede(session, predecessor, now=now) if predecessor is not None else []
    plan = _plan(predecessor, previous, upload)
    gate = await _gate(session, upload)
    document = records.new_document(upload, predecessor, document_id=str(uuid.uuid4()), now=now, gate=gate)
    rows = records.commitment_rows(upload.documents, plan)
    carried: set[str] = set()
    if predecessor is not None:
        rows, carried = _keep_corrections(document, predecessor, previous, rows, plan, upload)
    document.commitments.extend(rows)
    session.add(document)
    await session.flush()
    # what this version no longer states, but not what editors had withdrawn already or what it still holds
    withdrawn = [
        previous[index]
        for index in plan.withdrawn
        if previous[index].withdrawn_at is None and previous[index].commitment_id not in carried
    ]
    if predecessor is not None:
        predecessor.superseded_by_id = document.id
        await session.flush()
    if gate.held:  # nothing reaches the tracker before an editor publishes it (`review.service.publish`)
        log.info("document_held_for_review", document_id=document.id, review=list(gate.review))
        return StoredDocument(document=document, withdrawn=[c.commitment_id for c in withdrawn])
    outgoing = [
        *records.extracted_events(document, upload.documents, rows),
        *records.withdrawn_events(document, withdrawn),
        records.processed_event(document, upload.documents),
    ]
    await outbox.add_many(session, outgoing, time=now)
    return StoredDocument(document=document, withdrawn=[c.commitment_id for c in withdrawn])


#: runs `parse_upload` with keyword arguments somewhere (a worker process under a time budget, or a thread)
ParseRunner = Callable[..., Awaitable[ParsedUpload]]


async def in_thread(function: Callable[..., ParsedUpload], /, **arguments: Any) -> ParsedUpload:
    """The runner without workers (the CLI, a test of the use case): a thread, no time budget."""
    return await asyncio.to_thread(function, **arguments)


async def _parse(upload: Upload, limits: ReadLimits, run: ParseRunner) -> ParsedUpload:
    """Read and extract off the event loop; what cannot be read is a 413, 415 or 422 with the format it was seen
    to be, and one that runs past the time budget a 422 (its worker was stopped)."""
    try:
        return await run(
            parse_upload,
            content=upload.content,
            filename=upload.filename,
            content_type=upload.content_type,
            title=upload.fields.title,
            kind=upload.fields.kind,
            source_url=upload.fields.source_url,
            supersedes=upload.fields.supersedes,
            publish=upload.fields.publish,
            limits=limits,
        )
    except ExtractionTimedOut as exc:
        raise RejectedUpload(
            422,
            f"{exc}; nothing was stored. A document this slow to read is unusual: split it, or send its text",
            format_label=format_label_of(upload.content),
            kind="extraction-timeout",
            budget_seconds=exc.budget,
        ) from exc
    except WorkerDied as exc:
        raise RejectedUpload(
            503, f"{exc}; nothing was stored, try again", format_label=format_label_of(upload.content),
            kind="extraction-failed", headers={"Retry-After": "5"},
        ) from exc  # fmt: skip
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


async def _store(
    sessionmaker: async_sessionmaker[AsyncSession], outbox: Outbox, parsed: ParsedUpload, now: datetime | None
) -> StoredDocument:
    """One transaction; a concurrent upload of the same bytes answers that document, and a race with another
    version of the same document is retried (the other one is then the version superseded)."""
    for attempt in range(1, STORE_ATTEMPTS + 1):
        try:
            async with sessionmaker() as session, session.begin():
                return await store_document(session, outbox, parsed, now=now or datetime.now(UTC))
        except ProblemError as exc:
            raise RejectedUpload(
                exc.status, exc.detail, format_label=parsed.text.format, kind=exc.kind or "invalid", title=exc.title,
                **exc.extra,
            ) from exc  # fmt: skip
        except IntegrityError:
            async with sessionmaker() as session:
                existing = await find_by_hash(session, parsed.content_hash)
            if existing is not None:  # the same bytes, uploaded concurrently
                return StoredDocument(document=existing, duplicate=True)
            if attempt == STORE_ATTEMPTS:
                raise
            log.info("document_version_race_retried", attempt=attempt)  # another version became current first
    raise AssertionError("unreachable")


async def ingest_upload(
    sessionmaker: async_sessionmaker[AsyncSession],
    outbox: Outbox,
    upload: Upload,
    *,
    now: datetime | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
    run: ParseRunner = in_thread,
) -> StoredDocument:
    """Dedupe, read, extract and store one upload; 4xx problems for what cannot be ingested, nothing stored."""
    async with sessionmaker() as session:
        existing = await find_by_hash(session, content_hash(upload.content))
    if existing is not None:
        metrics.count_document(existing.format, "duplicate")
        return StoredDocument(document=existing, duplicate=True)
    started = time.perf_counter()
    parsed = await _parse(upload, limits, run)
    metrics.EXTRACTION_SECONDS.observe(time.perf_counter() - started)
    stored = await _store(sessionmaker, outbox, parsed, now)
    if stored.duplicate:
        metrics.count_document(stored.document.format, "duplicate")
        return stored
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
