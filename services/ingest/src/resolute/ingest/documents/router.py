"""HTTP routes for documents: upload by file or JSON, status, listing, commitments and text with spans."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from starlette.datastructures import UploadFile

from resolute.ingest.documents import service
from resolute.ingest.documents.models import Commitment, Document
from resolute.ingest.documents.schemas import (
    CommitmentOut,
    DocumentAccepted,
    DocumentOut,
    DocumentPage,
    DocumentPart,
    DocumentTextIn,
    DocumentTextOut,
)
from resolute.ingest.formats.errors import DocumentReadError, UnsupportedFormat
from resolute.shared.pagination import DEFAULT_LIMIT, MAX_LIMIT, Keyset
from resolute.shared.web.dependencies import SessionDep
from resolute.shared.web.problems import PROBLEM_RESPONSES, ProblemError

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
                    },
                }
            },
            "application/json": {"schema": DocumentTextIn.model_json_schema()},
        },
    }
}


async def _read_upload(request: Request, limit: int) -> dict[str, Any]:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit + 64 * 1024:
        raise ProblemError(413, f"the upload is larger than the {limit // (1024 * 1024)} MB limit", kind="too-large")
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "multipart/form-data":
        form = await request.form(max_files=1, max_fields=10)
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise ProblemError(422, "multipart upload needs a 'file' part", kind="validation")
        content = await upload.read(limit + 1)
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        return {
            "content": content,
            "filename": upload.filename,
            "content_type": upload.content_type,
            "title": fields.get("title") or None,
            "kind": fields.get("kind") or None,
            "source_url": fields.get("source_url") or None,
        }
    if content_type == "application/json":
        raw = await request.body()
        try:
            body = DocumentTextIn.model_validate_json(raw)
        except ValidationError as exc:
            errors = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
            raise ProblemError(422, "the JSON body is not a valid document", kind="validation", errors=errors) from exc
        return {
            "content": body.text.encode(),
            "filename": None,
            "content_type": "text/markdown",
            "title": body.title,
            "kind": body.kind,
            "source_url": body.source_url,
        }
    raise ProblemError(
        415,
        "send the document as multipart/form-data (field 'file') or as JSON {\"text\": ...}",
        kind="unsupported-media-type",
    )


@router.post(
    "",
    status_code=202,
    response_model=DocumentAccepted,
    summary="Upload a document (multipart file or JSON text)",
    openapi_extra=_UPLOAD_BODY,
)
async def upload_document(request: Request) -> JSONResponse:
    runtime = request.app.state.runtime
    limit = runtime.settings.max_document_bytes
    fields = await _read_upload(request, limit)
    content: bytes = fields.pop("content")
    if len(content) > limit:
        raise ProblemError(413, f"the upload is larger than the {limit // (1024 * 1024)} MB limit", kind="too-large")
    digest = service.content_hash(content)
    async with runtime.sessionmaker() as session:
        existing = await service.find_by_hash(session, digest)
    if existing is not None:
        return JSONResponse(DocumentAccepted(id=existing.id, status=existing.status, duplicate=True).model_dump(), 202)
    try:
        parsed = await asyncio.to_thread(service.parse_upload, content, **fields)
    except UnsupportedFormat as exc:
        raise ProblemError(415, str(exc), kind="unsupported-format") from exc
    except DocumentReadError as exc:
        raise ProblemError(422, str(exc), kind="unreadable-document") from exc
    try:
        async with runtime.sessionmaker() as session, session.begin():
            document = await service.store_document(session, runtime.outbox, parsed)
    except IntegrityError:
        async with runtime.sessionmaker() as session:
            existing = await service.find_by_hash(session, digest)
        if existing is None:
            raise
        return JSONResponse(DocumentAccepted(id=existing.id, status=existing.status, duplicate=True).model_dump(), 202)
    return JSONResponse(DocumentAccepted(id=document.id, status=document.status).model_dump(), 202)


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
        parts=[DocumentPart.model_validate(p) for p in document.parts],
        warnings=document.warnings,
        error=document.error,
        created_at=document.created_at,
        processed_at=document.processed_at,
    )


def _commitment_out(c: Commitment) -> CommitmentOut:
    return CommitmentOut(
        id=c.id,
        document_id=c.document_id,
        position=c.position,
        label=c.label,
        section=c.section,
        text=c.text,
        span=(c.span_start, c.span_end),
        countries=c.countries,
        bodies=c.bodies,
        ministries=c.ministries,
        policy_area=c.policy_area,
        deadline=c.deadline,
    )


_DOCUMENTS = Keyset((Document.created_at, True), (Document.id, True))


@router.get("", response_model=DocumentPage, summary="List documents, newest first")
async def list_documents(
    session: SessionDep,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
) -> DocumentPage:
    rows, next_cursor = _DOCUMENTS.page(
        (await session.scalars(_DOCUMENTS.apply(select(Document), cursor, limit))).all(), limit
    )
    return DocumentPage(items=[_document_out(d) for d in rows], next_cursor=next_cursor)


async def _get_document(session: AsyncSession, document_id: str, *, with_commitments: bool = False) -> Document:
    query = select(Document).where(Document.id == document_id)
    if with_commitments:
        query = query.options(selectinload(Document.commitments))
    document = await session.scalar(query)
    if document is None:
        raise ProblemError(404, f"no document {document_id}", kind="not-found")
    return document


@router.get("/{document_id}", response_model=DocumentOut, summary="A document's status and metadata")
async def get_document(document_id: str, session: SessionDep) -> DocumentOut:
    return _document_out(await _get_document(session, document_id))


@router.get("/{document_id}/commitments", response_model=list[CommitmentOut], summary="Commitments as extracted")
async def get_document_commitments(document_id: str, session: SessionDep) -> list[CommitmentOut]:
    document = await _get_document(session, document_id, with_commitments=True)
    return [_commitment_out(c) for c in document.commitments]


@router.get("/{document_id}/text", response_model=DocumentTextOut, summary="The text with each commitment's span")
async def get_document_text(document_id: str, session: SessionDep) -> DocumentTextOut:
    document = await _get_document(session, document_id, with_commitments=True)
    return DocumentTextOut(
        id=document.id, text=document.text, commitments=[_commitment_out(c) for c in document.commitments]
    )
