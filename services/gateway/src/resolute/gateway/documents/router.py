"""/v1/documents: upload (editors), status, listing and text (everyone), served by ingest."""

from __future__ import annotations

from typing import Annotated, get_args

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from resolute.gateway.api_keys.scopes import Principal
from resolute.gateway.auth.dependencies import PrincipalDep, require_role
from resolute.gateway.public_routes import (
    ITEM_PROBLEMS,
    LIST_PROBLEMS,
    WRITE_PROBLEMS,
    parse_json_body,
    upstream,
)
from resolute.gateway.upstreams.client import forward, upstream_path
from resolute.shared.api.documents import (
    DocumentAccepted,
    DocumentCommitmentQuery,
    DocumentKind,
    DocumentOut,
    DocumentPage,
    DocumentQuery,
    DocumentTextIn,
    DocumentTextOut,
    DocumentTextQuery,
    ExtractedCommitmentPage,
)
from resolute.shared.web.problems import ProblemError
from resolute.shared.web.request_body import is_json, media_type_of

router = APIRouter(prefix="/v1/documents", tags=["documents"])
EditorDep = Annotated[Principal, Depends(require_role("editor"))]
DocumentId = Annotated[str, Path(min_length=1, max_length=100, description="the document's id")]

_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary", "description": "text, Markdown, HTML, PDF"},
                        "title": {"type": "string", "maxLength": 500},
                        "kind": {"type": "string", "enum": list(get_args(DocumentKind))},
                        "source_url": {"type": "string", "maxLength": 2000},
                        "supersedes": {"type": "string", "maxLength": 36},
                    },
                }
            },
            "application/json": {"schema": DocumentTextIn.model_json_schema()},
        },
    }
}


@router.post(
    "",
    status_code=202,
    response_model=DocumentAccepted,
    responses=WRITE_PROBLEMS,
    summary="Upload a document (multipart `file`, or JSON `{text}`); answered once it is stored (editor)",
    openapi_extra=_UPLOAD_BODY,
)
async def upload_document(request: Request, principal: EditorDep) -> Response:
    media_type = media_type_of(request.headers.get("content-type"))
    if media_type == "multipart/form-data":
        return await forward(request, upstream(request, "ingest"), "/documents", principal)
    if is_json(media_type):
        body = parse_json_body(await request.body(), DocumentTextIn)
        return await forward(request, upstream(request, "ingest"), "/documents", principal, body=body)
    raise ProblemError(
        415,
        "send the document as multipart/form-data (part 'file') or as application/json {\"text\": ...}",
        kind="unsupported-media-type",
    )


@router.get("", response_model=DocumentPage, responses=LIST_PROBLEMS, summary="Documents, newest first")
async def list_documents(
    query: Annotated[DocumentQuery, Query()], request: Request, principal: PrincipalDep
) -> Response:
    return await forward(request, upstream(request, "ingest"), "/documents", principal, params=query)


@router.get("/{document_id}", response_model=DocumentOut, responses=ITEM_PROBLEMS, summary="A document's status")
async def get_document(document_id: DocumentId, request: Request, principal: PrincipalDep) -> Response:
    path = upstream_path("/documents/{id}", id=document_id)
    return await forward(request, upstream(request, "ingest"), path, principal, params={})


@router.get(
    "/{document_id}/versions",
    response_model=DocumentPage,
    responses=ITEM_PROBLEMS,
    summary="Every version of this document, oldest first (the last one is current)",
)
async def get_document_versions(document_id: DocumentId, request: Request, principal: PrincipalDep) -> Response:
    path = upstream_path("/documents/{id}/versions", id=document_id)
    return await forward(request, upstream(request, "ingest"), path, principal, params={})


@router.get(
    "/{document_id}/text",
    response_model=DocumentTextOut,
    responses=ITEM_PROBLEMS,
    summary="The document's text with each commitment's span, for highlighting in place",
)
async def get_document_text(
    document_id: DocumentId, query: Annotated[DocumentTextQuery, Query()], request: Request, principal: PrincipalDep
) -> Response:
    path = upstream_path("/documents/{id}/text", id=document_id)
    return await forward(request, upstream(request, "ingest"), path, principal, params=query)


@router.get(
    "/{document_id}/commitments",
    response_model=ExtractedCommitmentPage,
    responses=ITEM_PROBLEMS | LIST_PROBLEMS,
    summary="The document's commitments as extracted, in document order, filtered",
)
async def get_document_commitments(
    document_id: DocumentId,
    query: Annotated[DocumentCommitmentQuery, Query()],
    request: Request,
    principal: PrincipalDep,
) -> Response:
    path = upstream_path("/documents/{id}/commitments", id=document_id)
    return await forward(request, upstream(request, "ingest"), path, principal, params=query)
