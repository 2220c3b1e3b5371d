"""/v1/documents: upload (editors), status and listing (anyone with a key)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from resolute.gateway.api_keys.dependencies import PrincipalDep, require_role
from resolute.gateway.api_keys.scopes import Principal
from resolute.gateway.upstreams.client import forward
from resolute.shared.web.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1/documents", tags=["documents"], responses=PROBLEM_RESPONSES)
EditorDep = Annotated[Principal, Depends(require_role("editor"))]

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
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["text"],
                    "properties": {
                        "text": {"type": "string", "minLength": 1},
                        "title": {"type": "string"},
                        "kind": {"type": "string"},
                        "source_url": {"type": "string"},
                    },
                }
            },
        },
    }
}


@router.post(
    "",
    status_code=202,
    summary="Upload a document (multipart `file` or JSON text)",
    openapi_extra=_UPLOAD_BODY,
)
async def upload_document(request: Request, principal: EditorDep) -> Response:
    return await forward(request, request.app.state.upstreams["ingest"], "/documents", principal)


@router.get("", summary="Documents, newest first")
async def list_documents(request: Request, principal: PrincipalDep) -> Response:
    return await forward(request, request.app.state.upstreams["ingest"], "/documents", principal)


@router.get("/{document_id}", summary="A document's status")
async def get_document(document_id: str, request: Request, principal: PrincipalDep) -> Response:
    return await forward(request, request.app.state.upstreams["ingest"], f"/documents/{document_id}", principal)


@router.get("/{document_id}/text", summary="The document's text with each commitment's span")
async def get_document_text(document_id: str, request: Request, principal: PrincipalDep) -> Response:
    return await forward(request, request.app.state.upstreams["ingest"], f"/documents/{document_id}/text", principal)
