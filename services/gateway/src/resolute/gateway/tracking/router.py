"""/v1/commitments and /v1/assignments: reads for any key; status reports for editors and ministries;
reassignment for admins.

The gateway checks roles coarsely (`require_role`) and a ministry's ownership of the assignment it reports on;
the tracker checks both again (its rules are the last word).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from resolute.gateway.api_keys.dependencies import PrincipalDep, require_role
from resolute.gateway.api_keys.scopes import Principal
from resolute.gateway.public_routes import ITEM_PROBLEMS, JSON_BODY, LIST_PROBLEMS, WRITE_PROBLEMS, upstream
from resolute.gateway.upstreams.client import Upstream, fetch_json, forward, upstream_path
from resolute.shared.api.commitments import (
    AssignmentOut,
    AssignmentPage,
    AssignmentQuery,
    CommitmentDetail,
    CommitmentPage,
    CommitmentQuery,
    HistoryOut,
    PointInTimeQuery,
    ReassignmentIn,
    StatusReportIn,
)
from resolute.shared.web.problems import ProblemError

router = APIRouter(prefix="/v1", tags=["commitments"])
ReporterDep = Annotated[Principal, Depends(require_role("editor", "ministry"))]
AdminDep = Annotated[Principal, Depends(require_role())]
CommitmentId = Annotated[str, Path(min_length=1, max_length=100, description="the commitment's id")]
AssignmentId = Annotated[str, Path(min_length=1, max_length=100, description="the assignment's id")]


def tracker(request: Request) -> Upstream:
    return upstream(request, "tracker")


async def _check_ministry_owns(request: Request, principal: Principal, assignment_id: str, kind: str | None) -> None:
    """A ministry key reports claims on its own country's and ministry's assignments only: refused here, unsent."""
    if principal.ministry is None:
        return
    if kind not in (None, "claim"):
        raise ProblemError(403, "a ministry reports claims; verifying and disputing are for editors", kind="forbidden")
    path = upstream_path("/assignments/{id}", id=assignment_id)
    assignment = await fetch_json(request, tracker(request), path, principal)
    if (assignment.get("country"), assignment.get("ministry")) != principal.ministry:
        raise ProblemError(
            403, "a ministry key may report only on its own country's and ministry's assignments", kind="forbidden"
        )


@router.get(
    "/commitments",
    response_model=CommitmentPage,
    responses=LIST_PROBLEMS,
    summary="Commitments, newest documents first, in text order (`q`, `country`, `ministry`, `status`, ...)",
)
async def list_commitments(
    query: Annotated[CommitmentQuery, Query()], request: Request, principal: PrincipalDep
) -> Response:
    return await forward(request, tracker(request), "/commitments", principal, params=query)


@router.get(
    "/commitments/{commitment_id}",
    response_model=CommitmentDetail,
    responses=ITEM_PROBLEMS,
    summary="A commitment with its assignments (now, or `as_of`)",
)
async def get_commitment(
    commitment_id: CommitmentId, query: Annotated[PointInTimeQuery, Query()], request: Request, principal: PrincipalDep
) -> Response:
    path = upstream_path("/commitments/{id}", id=commitment_id)
    return await forward(request, tracker(request), path, principal, params=query)


@router.get(
    "/assignments",
    response_model=AssignmentPage,
    responses=LIST_PROBLEMS,
    summary="Assignments, newest first (`country`, `ministry`, `status`, `overdue`, ...)",
    tags=["assignments"],
)
async def list_assignments(
    query: Annotated[AssignmentQuery, Query()], request: Request, principal: PrincipalDep
) -> Response:
    return await forward(request, tracker(request), "/assignments", principal, params=query)


@router.get(
    "/assignments/{assignment_id}",
    response_model=AssignmentOut,
    responses=ITEM_PROBLEMS,
    summary="One assignment (now, or `as_of`)",
    tags=["assignments"],
)
async def get_assignment(
    assignment_id: AssignmentId, query: Annotated[PointInTimeQuery, Query()], request: Request, principal: PrincipalDep
) -> Response:
    path = upstream_path("/assignments/{id}", id=assignment_id)
    return await forward(request, tracker(request), path, principal, params=query)


@router.post(
    "/assignments/{assignment_id}/status",
    response_model=AssignmentOut,
    responses=WRITE_PROBLEMS,
    dependencies=[JSON_BODY],
    summary="Report a status (ministry: a claim on its own assignments; editor: verify or dispute)",
    tags=["assignments"],
)
async def report_status(
    assignment_id: AssignmentId, body: StatusReportIn, request: Request, principal: ReporterDep
) -> Response:
    await _check_ministry_owns(request, principal, assignment_id, body.kind)
    path = upstream_path("/assignments/{id}/status", id=assignment_id)
    return await forward(request, tracker(request), path, principal, params={}, body=body)


@router.post(
    "/assignments/{assignment_id}/reassign",
    response_model=AssignmentOut,
    responses=WRITE_PROBLEMS,
    dependencies=[JSON_BODY],
    summary="Move a country's assignment to another ministry (admin)",
    tags=["assignments"],
)
async def reassign(
    assignment_id: AssignmentId, body: ReassignmentIn, request: Request, principal: AdminDep
) -> Response:
    path = upstream_path("/assignments/{id}/reassign", id=assignment_id)
    return await forward(request, tracker(request), path, principal, params={}, body=body)


@router.get(
    "/assignments/{assignment_id}/history",
    response_model=HistoryOut,
    responses=ITEM_PROBLEMS,
    summary="Every change to an assignment, oldest first",
    tags=["assignments"],
)
async def assignment_history(assignment_id: AssignmentId, request: Request, principal: PrincipalDep) -> Response:
    path = upstream_path("/assignments/{id}/history", id=assignment_id)
    return await forward(request, tracker(request), path, principal, params={})
