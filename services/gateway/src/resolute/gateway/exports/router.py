"""/v1/export/{documents,commitments,assignments}: the whole list (filters apply) streamed as NDJSON.

The export walks the service's own cursor pagination, so every record is sent exactly once. If a service
fails part-way the stream is cut off without its final chunk: a client sees a broken transfer, never a
short file that looks complete.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
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
from resolute.shared.api.routes import Service
from resolute.shared.pagination import MAX_LIMIT

router = APIRouter(prefix="/v1/export", tags=["export"])

NDJSON = "application/x-ndjson"


@dataclass(frozen=True)
class Export:
    """One export: the list it walks (a service's), the filters it takes and the model of each line."""

    name: str
    service: Service
    path: str
    filters: type[BaseModel]
    line: type[BaseModel]
    summary: str

    @property
    def filename(self) -> str:
        return f"{self.path.strip('/')}.ndjson"


EXPORTS = (
    Export(
        "export_documents", "ingest", "/documents", DocumentFilters, DocumentOut,
        "Every document, newest first, as NDJSON",
    ),
    Export(
        "export_commitments", "tracker", "/commitments", CommitmentFilters, CommitmentOut,
        "Every commitment matching the filters, as NDJSON",
    ),
    Export(
        "export_assignments", "tracker", "/assignments", AssignmentFilters, AssignmentOut,
        "Every assignment matching the filters, as NDJSON",
    ),
)  # fmt: skip
EXPORTED_MODELS: list[type[BaseModel]] = [export.line for export in EXPORTS]


def _ndjson_response(model: type[BaseModel]) -> dict[int | str, dict[str, Any]]:
    return {
        200: {
            "description": f"One {model.__name__} a line (NDJSON)",
            "content": {NDJSON: {"schema": component_ref(model)}},
        },
        **LIST_PROBLEMS,
    }


async def _export(request: Request, principal: Principal, export: Export, filters: BaseModel) -> StreamingResponse:
    params = query_params(filters) | {"limit": MAX_LIMIT}

    async def fetch(cursor: str | None) -> dict[str, Any]:
        page_params = params | ({"cursor": cursor} if cursor else {})
        service = upstream(request, export.service)
        return await fetch_json(request, service, export.path, principal, **page_params)  # type: ignore[no-any-return]

    first = await fetch(None)
    return StreamingResponse(
        export_lines(first, fetch),
        media_type=NDJSON,
        headers={"Content-Disposition": f'attachment; filename="{export.filename}"'},
    )


def _endpoint(export: Export) -> Any:
    async def endpoint(filters: BaseModel, request: Request, principal: Principal) -> StreamingResponse:
        return await _export(request, principal, export, filters)

    keyword = inspect.Parameter.KEYWORD_ONLY
    endpoint.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter("filters", keyword, annotation=Annotated[export.filters, Query()]),
            inspect.Parameter("request", keyword, annotation=Request),
            inspect.Parameter("principal", keyword, annotation=PrincipalDep),
        ],
        return_annotation=StreamingResponse,
    )
    endpoint.__name__ = endpoint.__qualname__ = export.name
    return endpoint


for _export_spec in EXPORTS:
    router.add_api_route(
        _export_spec.path,
        _endpoint(_export_spec),
        methods=["GET"],
        name=_export_spec.name,
        summary=_export_spec.summary,
        response_class=StreamingResponse,
        responses=_ndjson_response(_export_spec.line),
    )
