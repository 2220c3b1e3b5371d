"""/v1/commitments and /v1/assignments: reads for any key; status reports for editors and ministries;
reassignment for admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from resolute.gateway.api_keys.dependencies import PrincipalDep, require_role
from resolute.gateway.api_keys.scopes import Principal
from resolute.gateway.upstreams.client import Upstream, forward
from resolute.shared.web.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1", tags=["commitments"], responses=PROBLEM_RESPONSES)
ReporterDep = Annotated[Principal, Depends(require_role("editor", "ministry"))]
AdminDep = Annotated[Principal, Depends(require_role())]


def tracker(request: Request) -> Upstream:
    return request.app.state.upstreams["tracker"]  # type: ignore[no-any-return]


@router.get("/commitments", summary="Commitments with filters and cursor pagination")
async def list_commitments(request: Request, principal: PrincipalDep) -> Response:
    return await forward(request, tracker(request), "/commitments", principal)


@router.get("/commitments/{commitment_id}", summary="A commitment with its assignments")
async def get_commitment(commitment_id: str, request: Request, principal: PrincipalDep) -> Response:
    return await forward(request, tracker(request), f"/commitments/{commitment_id}", principal)


@router.get("/assignments", summary="Assignments with filters", tags=["assignments"])
async def list_assignments(request: Request, principal: PrincipalDep) -> Response:
    return await forward(request, tracker(request), "/assignments", principal)


@router.get("/assignments/{assignment_id}", summary="One assignment", tags=["assignments"])
async def get_assignment(assignment_id: str, request: Request, principal: PrincipalDep) -> Response:
    return await forward(request, tracker(request), f"/assignments/{assignment_id}", principal)


@router.post(
    "/assignments/{assignment_id}/status",
    summary="Report a status (ministry: a claim on its own assignments; editor: verify or dispute)",
    tags=["assignments"],
)
async def report_status(assignment_id: str, request: Request, principal: ReporterDep) -> Response:
    return await forward(request, tracker(request), f"/assignments/{assignment_id}/status", principal)


@router.post(
    "/assignments/{assignment_id}/reassign",
    summary="Move a country's assignment to another ministry (admin)",
    tags=["assignments"],
)
async def reassign(assignment_id: str, request: Request, principal: AdminDep) -> Response:
    return await forward(request, tracker(request), f"/assignments/{assignment_id}/reassign", principal)


@router.get(
    "/assignments/{assignment_id}/history", summary="Every change to an assignment, oldest first", tags=["assignments"]
)
async def assignment_history(assignment_id: str, request: Request, principal: PrincipalDep) -> Response:
    return await forward(request, tracker(request), f"/assignments/{assignment_id}/history", principal)
