"""/v1/export/{documents,commitments,assignments}: the whole list (filters apply) streamed as NDJSON.

The export walks the service's own cursor pagination, so every record is sent exactly once. If a service
fails part-way the stream is cut off without its final chunk: a client sees a broken transfer, never a
short file that looks complete.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from resolute.gateway.api_keys.scopes import Principal
from resolute.gateway.auth.dependencies import PrincipalDep
from resolute.gateway.exports.service import export_lines
from resolute.gateway.public_routes import LIST_PROBLEMS, component_ref, upstream
from resolute.gateway.upstreams.client import fetch_json, query_params
from resolute.shared.api.commitments import AssignmentFilters, AssignmentOut, CommitmentFilters, CommitmentOut
from resolute.shared.api.documents import DocumentFilters, DocumentOut
from resolute.shared.pagination import MAX_LIMIT

router = APIRouter(prefix="/v1/export", tags=["export"])

NDJSON = "application/x-ndjson"


def _ndjson_response(model: type[BaseModel]) -> dict[int | str, dict[str, Any]]:
    return {
        200: {
            "description": f"One {model.__name__} a line (NDJSON)",
            "content": {NDJSON: {"schema": component_ref(model)}},
        },
        **LIST_PROBLEMS,
    }


EXPORTED_MODELS: list[type[BaseModel]] = [DocumentOut, CommitmentOut, AssignmentOut]


async def _export(
    request: Request, principal: Principal, service: str, path: str, filters: BaseModel, filename: str
) -> StreamingResponse:
    params = query_params(filters) | {"limit": MAX_LIMIT}

    async def fetch(cursor: str | None) -> dict[str, Any]:
        page_params = params | ({"cursor": cursor} if cursor else {})
        return await fetch_json(request, upstream(request, service), path, principal, **page_params)  # type: ignore[no-any-return]

    first = await fetch(None)
    return StreamingResponse(
        export_lines(first, fetch),
        media_type=NDJSON,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get(
    "/documents",
    response_class=StreamingResponse,
    responses=_ndjson_response(DocumentOut),
    summary="Every document, newest first, as NDJSON",
)
async def export_documents(
    filters: Annotated[DocumentFilters, Query()], request: Request, principal: PrincipalDep
) -> StreamingResponse:
    return await _export(request, principal, "ingest", "/documents", filters, "documents.ndjson")


@router.get(
    "/commitments",
    response_class=StreamingResponse,
    responses=_ndjson_response(CommitmentOut),
    summary="Every commitment matching the filters, as NDJSON",
)
async def export_commitments(
    filters: Annotated[CommitmentFilters, Query()], request: Request, principal: PrincipalDep
) -> StreamingResponse:
    return await _export(request, principal, "tracker", "/commitments", filters, "commitments.ndjson")


@router.get(
    "/assignments",
    response_class=StreamingResponse,
    responses=_ndjson_response(AssignmentOut),
    summary="Every assignment matching the filters, as NDJSON",
)
async def export_assignments(
    filters: Annotated[AssignmentFilters, Query()], request: Request, principal: PrincipalDep
) -> StreamingResponse:
    return await _export(request, principal, "tracker", "/assignments", filters, "assignments.ndjson")
