"""HTTP routes for documents: upload by file or JSON, status and versions, commitments, text with spans.

Each handler is bound to its entry of the public route table (`resolute.shared.api.routes`), so it serves
exactly the path, query, body and answer the gateway documents.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from resolute.ingest import metrics
from resolute.ingest.documents import queries, service
from resolute.ingest.documents.upload import read_upload
from resolute.ingest.state import IngestState
from resolute.shared.api.documents import (
    DocumentAccepted,
    DocumentCommitmentQuery,
    DocumentOut,
    DocumentPage,
    DocumentQuery,
    DocumentTextIn,
    DocumentTextOut,
    DocumentTextQuery,
    ExtractedCommitmentPage,
)
from resolute.shared.api.paths import DocumentIdPath
from resolute.shared.api.routes import route
from resolute.shared.logging import get_logger
from resolute.shared.web.dependencies import SessionDep
from resolute.shared.web.problems import PROBLEM_RESPONSES, ProblemError
from resolute.shared.web.routing import serve
from resolute.shared.web.state import state_of

log = get_logger(__name__)

router = APIRouter(tags=["documents"], responses=PROBLEM_RESPONSES)

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
                        "publish": {"type": "string", "enum": ["auto", "at_once", "after_review"]},
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


@serve(router, route("upload_document"), openapi_extra=_UPLOAD_BODY)
async def upload_document(request: Request) -> JSONResponse:
    state = state_of(request, IngestState)
    runtime = state.runtime
    try:
        upload = await read_upload(request, state.settings.max_document_bytes)
        stored = await service.ingest_upload(
            runtime.sessionmaker,
            runtime.outbox,
            upload,
            now=runtime.clock.now(),
            limits=state.settings.read_limits,
            run=state.workers.run,
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
        review_state=document.review_state,  # type: ignore[arg-type]
        held=document.held,
    )
    return JSONResponse(accepted.model_dump(), status_code=202)


@serve(router, route("list_documents"))
async def list_documents(query: Annotated[DocumentQuery, Query()], session: SessionDep) -> DocumentPage:
    return await queries.document_page(session, query)


@serve(router, route("get_document"))
async def get_document(document_id: DocumentIdPath, session: SessionDep) -> DocumentOut:
    return queries.document_out(await queries.get_document(session, document_id))


@serve(router, route("get_document_versions"))
async def get_document_versions(document_id: DocumentIdPath, session: SessionDep) -> DocumentPage:
    return await queries.versions_page(session, document_id)


@serve(router, route("get_document_commitments"))
async def get_document_commitments(
    document_id: DocumentIdPath, query: Annotated[DocumentCommitmentQuery, Query()], session: SessionDep
) -> ExtractedCommitmentPage:
    return await queries.commitment_page(session, document_id, query)


@serve(router, route("get_document_text"))
async def get_document_text(
    document_id: DocumentIdPath, query: Annotated[DocumentTextQuery, Query()], session: SessionDep
) -> DocumentTextOut:
    return await queries.text_with_spans(session, document_id, query.offsets)
