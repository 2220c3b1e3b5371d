"""HTTP routes for assignments: lists with filters and `as_of`, one assignment, status reports, reassignment,
history. Each handler is bound to its entry of the public route table."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from resolute.shared.api.commitments import (
    AssignmentOut,
    AssignmentPage,
    AssignmentQuery,
    HistoryOut,
    PointInTimeQuery,
    ReassignmentIn,
    StatusReportIn,
)
from resolute.shared.api.paths import AssignmentIdPath
from resolute.shared.api.routes import route
from resolute.shared.web.dependencies import SessionDep
from resolute.shared.web.identity import caller_from
from resolute.shared.web.problems import PROBLEM_RESPONSES, ProblemError
from resolute.shared.web.routing import serve
from resolute.tracker import commands
from resolute.tracker.assignments import queries
from resolute.tracker.assignments.service import Reassignment, StatusReport, reassign
from resolute.tracker.context import TrackerContext
from resolute.tracker.parameters import ContextDep, reading

router = APIRouter(tags=["assignments"], responses=PROBLEM_RESPONSES)


@serve(router, route("list_assignments"))
async def list_assignments(
    query: Annotated[AssignmentQuery, Query()], session: SessionDep, ctx: ContextDep
) -> AssignmentPage:
    return await queries.assignment_page(session, query, await reading(session, ctx, query.as_of))


async def _one(session: AsyncSession, ctx: TrackerContext, ident: str, as_of: str | None = None) -> AssignmentOut:
    return await queries.one_assignment(session, ident, await reading(session, ctx, as_of))


@serve(router, route("get_assignment"))
async def get_assignment(
    assignment_id: AssignmentIdPath, query: Annotated[PointInTimeQuery, Query()], session: SessionDep, ctx: ContextDep
) -> AssignmentOut:
    return await _one(session, ctx, assignment_id, query.as_of)


@serve(router, route("report_status"))
async def report_status(
    assignment_id: AssignmentIdPath, body: StatusReportIn, request: Request, session: SessionDep, ctx: ContextDep
) -> AssignmentOut:
    report = StatusReport(body.status, body.note, [str(u) for u in body.evidence_urls], body.kind)
    try:
        async with session.begin():
            await commands.report_status(session, ctx, assignment_id, report, caller_from(request), ctx.clock.now())
    except IntegrityError as exc:
        raise ProblemError(
            409, "the assignment changed at the same moment; send the report again", kind="conflict"
        ) from exc
    return await _one(session, ctx, assignment_id)


@serve(router, route("reassign"))
async def reassign_assignment(
    assignment_id: AssignmentIdPath, body: ReassignmentIn, request: Request, session: SessionDep, ctx: ContextDep
) -> AssignmentOut:
    request_ = Reassignment(body.ministry, body.supporting_ministries, body.contact, body.note)
    try:
        async with session.begin():
            registry = (await ctx.directory.current(session)).registry
            await reassign(session, ctx, assignment_id, request_, caller_from(request), registry, ctx.clock.now())
    except IntegrityError as exc:
        raise ProblemError(409, "the assignment changed at the same moment; try again", kind="conflict") from exc
    return await _one(session, ctx, assignment_id)


@serve(router, route("assignment_history"))
async def assignment_history(assignment_id: AssignmentIdPath, session: SessionDep) -> HistoryOut:
    return await queries.history(session, assignment_id)
