"""HTTP routes for documents: upload by file or JSON, status and versions, commitments, text with spans."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from resolute.ingest import metrics
from resolute.ingest.documents import service
from resolute.ingest.documents.models import Commitment, Document
from resolute.ingest.documents.schemas import (
    CommitmentOut,
    CommitmentPage,
    DocumentAccepted,
    DocumentOut,
    DocumentPage,
    DocumentPart,
    DocumentSort,
    DocumentStatus,
    DocumentTextIn,
    DocumentTextOut,
)
from resolute.ingest.documents.upload import read_upload
from resolute.shared.logging import get_logger
from resolute.shared.pagination import DEFAULT_LIMIT, MAX_LIMIT, both_ways, decode_cursor, encode_cursor
from resolute.shared.web.dependencies import SessionDep
from resolute.shared.web.problems import PROBLEM_RESPONSES, ProblemError

log = get_logger(__name__)

router = APIRouter(prefix="/documents", tags=["documents"], responses=PROBLEM_RESPONSES)

_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "title": {"type": "string"},
                        "kind": {"type": "string"},
                        "source_url": {"type": "string"},
                        "supersedes": {"type": "string", "description": "id of the document this is a new version of"},
                    },
                }
            },
            "application/json": {"schema": DocumentTextIn.model_json_schema()},
        },
    }
}

_OUTCOMES: dict[str | None, metrics.DocumentOutcome] = {
    "too-large": "too_large",
    "unsupported-format": "unsupported",
    "unsupported-media-type": "unsupported",
    "unreadable-document": "unreadable",
}


@router.post(
    "",
    status_code=202,
    response_model=DocumentAccepted,
    summary="Upload a document or a new version of one (multipart file or JSON text)",
    description="Text, Markdown, HTML, PDF (with a text layer) or DOCX, told apart by content. The same bytes "
    "again answer the stored document (`duplicate`); a new version of a current document (named by `supersedes`, "
    "or recognised by its issuing body, kind, number/session and title) supersedes it.",
    openapi_extra=_UPLOAD_BODY,
)
async def upload_document(request: Request) -> JSONResponse:
    runtime = request.app.state.runtime
    try:
        upload = await read_upload(request, runtime.settings.max_document_bytes)
        stored = await service.ingest_upload(
            runtime.sessionmaker,
            runtime.outbox,
            upload,
            now=runtime.clock.now(),
            limits=runtime.settings.read_limits,
        )
    except ProblemError as exc:
        format_label = getattr(exc, "format_label", "unknown")
        metrics.count_document(format_label, _OUTCOMES.get(exc.kind, "invalid" if exc.status < 500 else "failed"))
        log.info("upload_refused", status=exc.status, problem=exc.kind, format=format_label, detail=exc.detail[:200])
        raise
    except Exception:
        metrics.count_document("unknown", "failed")
        raise
    document = stored.document
    accepted = DocumentAccepted(
        id=document.id,
        status=document.status,  # type: ignore[arg-type]
        duplicate=stored.duplicate,
        version=document.version,
        supersedes=document.supersedes_id,
        superseded_by=document.superseded_by_id,
        commitment_count=document.commitment_count,
        withdrawn_count=len(stored.withdrawn),
        warnings=document.warnings,
    )
    return JSONResponse(accepted.model_dump(), status_code=202)


def _document_out(document: Document) -> DocumentOut:
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
    )


def _commitment_out(c: Commitment, span: tuple[int, int] | None = None) -> CommitmentOut:
    return CommitmentOut(
        id=c.commitment_id,
        document_id=c.document_id,
        position=c.position,
        part=c.part,
        label=c.label,
        section=c.section,
        text=c.text,
        span=span or (c.span_start, c.span_end),
        countries=c.countries,
        bodies=c.bodies,
        ministries=c.ministries,
        policy_area=c.policy_area,
        deadline=c.deadline,
    )


DOCUMENT_ORDERS = both_ways(Document.created_at, Document.id)


@router.get("", response_model=DocumentPage, summary="List documents, newest first unless sorted otherwise")
async def list_documents(
    session: SessionDep,
    status: Annotated[DocumentStatus | None, Query(description="e.g. `processed` for current versions only")] = None,
    sort: Annotated[DocumentSort, Query(description="`-created_at` newest first (default), `created_at`")] = (
        "-created_at"
    ),
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
) -> DocumentPage:
    query = select(Document)
    if status is not None:
        query = query.where(Document.status == status)
    keyset = DOCUMENT_ORDERS[sort]
    rows, next_cursor = keyset.page((await session.scalars(keyset.apply(query, cursor, limit))).all(), limit)
    return DocumentPage(items=[_document_out(d) for d in rows], next_cursor=next_cursor)


async def _get_document(session: AsyncSession, document_id: str, *, with_commitments: bool = False) -> Document:
    query = select(Document).where(Document.id == document_id)
    if with_commitments:
        query = query.options(selectinload(Document.commitments))
    document = await session.scalar(query)
    if document is None:
        raise ProblemError(404, f"no document {document_id}", kind="not-found")
    return document


@router.get("/{document_id}", response_model=DocumentOut, summary="A document's status, version and lineage")
async def get_document(document_id: str, session: SessionDep) -> DocumentOut:
    return _document_out(await _get_document(session, document_id))


@router.get(
    "/{document_id}/versions",
    response_model=DocumentPage,
    summary="Every version of this document, oldest first (the last one is current)",
)
async def get_document_versions(document_id: str, session: SessionDep) -> DocumentPage:
    document = await _get_document(session, document_id)
    versions = await session.scalars(
        select(Document).where(Document.lineage_id == document.lineage_id).order_by(Document.version)
    )
    return DocumentPage(items=[_document_out(d) for d in versions.all()])


@router.get(
    "/{document_id}/commitments",
    response_model=CommitmentPage,
    summary="The document's commitments in document order, filtered",
)
async def get_document_commitments(
    document_id: str,
    session: SessionDep,
    section: Annotated[str | None, Query(description="section heading contains this (case-insensitive)")] = None,
    country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$", description="addressed to (ISO alpha-2)")] = None,
    ministry: Annotated[
        str | None, Query(pattern=r"^[a-z][a-z0-9-]*$", description="registry portfolio slug, e.g. defence")
    ] = None,
    body: Annotated[str | None, Query(description="addressed body, e.g. Baltic Council of Ministers")] = None,
    policy_area: str | None = None,
    has_deadline: bool | None = None,
    deadline_kind: Literal["date", "month", "year", "event", "recurring"] | None = None,
    q: Annotated[str | None, Query(min_length=1, description="text contains this (case-insensitive)")] = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
) -> CommitmentPage:
    wanted = service.CommitmentFilter(
        section=section,
        country=country.upper() if country else None,
        ministry=ministry,
        body=body,
        policy_area=policy_area,
        has_deadline=has_deadline,
        deadline_kind=deadline_kind,
        q=q,
    )
    after = _position_after(cursor)
    document = await _get_document(session, document_id, with_commitments=True)
    matching = [c for c in document.commitments if c.position > after and wanted.matches(c)]
    page = matching[:limit]
    next_cursor = encode_cursor({"p": page[-1].position}) if len(matching) > limit else None
    return CommitmentPage(items=[_commitment_out(c) for c in page], next_cursor=next_cursor)


def _position_after(cursor: str | None) -> int:
    position = decode_cursor(cursor)
    if position is None:
        return -1
    value = position.get("p")
    if not isinstance(value, int):
        raise ProblemError(400, "the cursor does not belong to this list", kind="bad-cursor")
    return value


@router.get(
    "/{document_id}/text",
    response_model=DocumentTextOut,
    summary="The text with each commitment's span, for highlighting in place",
)
async def get_document_text(
    document_id: str,
    session: SessionDep,
    offsets: Annotated[
        Literal["unicode_code_points", "utf16"],
        Query(description="count spans in code points (default) or in UTF-16 code units, as JavaScript indexes"),
    ] = "unicode_code_points",
) -> DocumentTextOut:
    document = await _get_document(session, document_id, with_commitments=True)
    commitments = document.commitments
    if offsets == "utf16":
        units = service.utf16_offsets(document.text, (o for c in commitments for o in (c.span_start, c.span_end)))
        items = [_commitment_out(c, (units[c.span_start], units[c.span_end])) for c in commitments]
    else:
        items = [_commitment_out(c) for c in commitments]
    return DocumentTextOut(
        id=document.id,
        version=document.version,
        status=document.status,  # type: ignore[arg-type]
        format=document.format,
        offsets=offsets,
        text=document.text,
        commitments=items,
    )
