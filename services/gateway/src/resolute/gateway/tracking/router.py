"""/v1/commitments and /v1/assignments."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from resolute.gateway.api_keys.dependencies import PrincipalDep
from resolute.gateway.upstreams.client import forward
from resolute.shared.web.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1", tags=["commitments"], responses=PROBLEM_RESPONSES)


@router.get("/commitments", summary="Commitments with filters and cursor pagination")
async def list_commitments(request: Request, principal: PrincipalDep) -> Response:
    return await forward(request, request.app.state.upstreams["tracker"], "/commitments", principal)


@router.get("/commitments/{commitment_id}", summary="A commitment with its assignments")
async def get_commitment(commitment_id: str, request: Request, principal: PrincipalDep) -> Response:
    return await forward(request, request.app.state.upstreams["tracker"], f"/commitments/{commitment_id}", principal)


@router.get("/assignments", summary="Assignments with filters")
async def list_assignments(request: Request, principal: PrincipalDep) -> Response:
    return await forward(request, request.app.state.upstreams["tracker"], "/assignments", principal)
