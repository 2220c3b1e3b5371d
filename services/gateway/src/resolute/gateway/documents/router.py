"""/v1/documents upload: multipart or JSON, so written by hand (the other document routes are forwarders made
from the public route table). Editors upload; ingest answers once the document is stored."""

from __future__ import annotations

from typing import Annotated, get_args

from fastapi import APIRouter, Request, Response

from resolute.gateway.api_keys.scopes import Principal
from resolute.gateway.forwarders import admits
from resolute.gateway.idempotency.http import OPENAPI_EXTRA, idempotent
from resolute.gateway.public_routes import WRITE_PROBLEMS, parse_json_body, upstream
from resolute.gateway.upstreams.client import forward
from resolute.shared.api.documents import DocumentKind, DocumentTextIn
from resolute.shared.api.routes import UPLOAD_DOCUMENT
from resolute.shared.web.problems import ProblemError
from resolute.shared.web.request_body import is_json, media_type_of

router = APIRouter()
UploaderDep = Annotated[Principal, admits(UPLOAD_DOCUMENT.scope)]

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
                        "publish": {"type": "string", "enum": ["auto", "at_once", "after_review"]},
                    },
                }
            },
            "application/json": {"schema": DocumentTextIn.model_json_schema()},
        },
    }
}


@router.post(
    UPLOAD_DOCUMENT.public_path,
    name=UPLOAD_DOCUMENT.name,
    status_code=UPLOAD_DOCUMENT.status,
    response_model=UPLOAD_DOCUMENT.answer,
    responses=WRITE_PROBLEMS,
    summary=UPLOAD_DOCUMENT.summary,
    description=UPLOAD_DOCUMENT.description,
    tags=list(UPLOAD_DOCUMENT.tags),
    openapi_extra=_UPLOAD_BODY | OPENAPI_EXTRA,
)
async def upload_document(request: Request, principal: UploaderDep) -> Response:
    media_type = media_type_of(request.headers.get("content-type"))
    ingest = upstream(request, UPLOAD_DOCUMENT.service)
    if media_type == "multipart/form-data":
        return await idempotent(
            request, principal, UPLOAD_DOCUMENT.name,
            lambda: forward(request, ingest, UPLOAD_DOCUMENT.path, principal),
        )  # fmt: skip
    if is_json(media_type):
        body = parse_json_body(await request.body(), DocumentTextIn)
        return await idempotent(
            request, principal, UPLOAD_DOCUMENT.name,
            lambda: forward(request, ingest, UPLOAD_DOCUMENT.path, principal, body=body),
        )  # fmt: skip
    raise ProblemError(
        415,
        "send the document as multipart/form-data (part 'file') or as application/json {\"text\": ...}",
        kind="unsupported-media-type",
    )
