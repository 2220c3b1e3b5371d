"""HTTP routes for commitments: filtered lists and one commitment with its assignments, now or `as_of`.
Each handler is bound to its entry of the public route table."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from resolute.shared.api.commitments import CommitmentDetail, CommitmentPage, CommitmentQuery, PointInTimeQuery
from resolute.shared.api.paths import CommitmentIdPath
from resolute.shared.api.routes import route
from resolute.shared.web.dependencies import SessionDep
from resolute.shared.web.problems import PROBLEM_RESPONSES
from resolute.shared.web.routing import serve
from resolute.tracker.commitments import queries
from resolute.tracker.parameters import ContextDep, calendar_then, parse_as_of, reading

router = APIRouter(tags=["commitments"], responses=PROBLEM_RESPONSES)


@serve(router, route("list_commitments"))
async def list_commitments(
    query: Annotated[CommitmentQuery, Query()], session: SessionDep, ctx: ContextDep
) -> CommitmentPage:
    as_of = parse_as_of(query.as_of)
    return await queries.commitment_page(session, query, as_of, await calendar_then(session, ctx, as_of))


@serve(router, route("get_commitment"))
async def get_commitment(
    commitment_id: CommitmentIdPath, query: Annotated[PointInTimeQuery, Query()], session: SessionDep, ctx: ContextDep
) -> CommitmentDetail:
    at = await reading(session, ctx, query.as_of)
    return await queries.commitment_detail(session, commitment_id, at, await calendar_then(session, ctx, at.as_of))
