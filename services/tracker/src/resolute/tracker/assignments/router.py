"""HTTP routes for assignments: lists with filters and `as_of`, one assignment, status reports, reassignment,
history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from resolute.shared.actors import ActorRegistry
from resolute.shared.api.commitments import AssignmentSort
from resolute.shared.events.catalogue import AssignmentStatus
from resolute.shared.pagination import DEFAULT_LIMIT, Keyset
from resolute.shared.web.dependencies import SessionDep
from resolute.shared.web.identity import caller_from
from resolute.shared.web.problems import PROBLEM_RESPONSES, ProblemError
from resolute.tracker.assignments.schemas import (
    AssignmentOut,
    AssignmentPage,
    HistoryEntry,
    HistoryOut,
    ReassignmentIn,
    StatusReportIn,
)
from resolute.tracker.assignments.service import Reassignment, StatusReport, history, reassign, report_status
from resolute.tracker.assignments.views import assignment_state, is_overdue, overdue_flag
from resolute.tracker.assignments.views import is_open as open_condition
from resolute.tracker.commitments.models import Commitment
from resolute.tracker.parameters import AsOfQuery, ContextDep, CountryQuery, LimitQuery, SlugQuery, today_for

router = APIRouter(tags=["assignments"], responses=PROBLEM_RESPONSES)


def assignment_query(as_of: datetime | None) -> tuple[Select[Any], Any]:
    """Assignments (live or as of a moment) with what lists show of their commitment."""
    state = assignment_state(as_of)
    query = select(
        state,
        Commitment.document_id,
        Commitment.policy_area,
        Commitment.due_date,
        Commitment.due_projected,
    ).join(Commitment, Commitment.id == state.c.commitment_id)
    return query, state


SORT_DESCRIPTION = (
    "`-created_at` newest first (default), `created_at`, `-updated_at` most recently changed first, `updated_at`"
)


def assignment_order(state: Any, sort: AssignmentSort) -> Keyset:
    """The keyset for a sort (the id breaks ties), on the live table or on the state as of a moment."""
    column = state.c.updated_at if sort.lstrip("-") == "updated_at" else state.c.created_at
    return Keyset((column, sort.startswith("-")), (state.c.id, False), name=sort)


def ministry_name(registry: ActorRegistry, country: str | None, ministry: str | None) -> str | None:
    if country is None or ministry is None:
        return None
    known = registry.country(country)
    found = known.ministry(ministry) if known is not None else None
    return found.name if found is not None else None


def assignment_out(row: Any, registry: ActorRegistry, today: date) -> AssignmentOut:
    values = dict(row._mapping)
    values["supporting_ministries"] = list(values.get("supporting_ministries") or [])
    values["evidence_urls"] = list(values.get("evidence_urls") or [])
    values["due_projected"] = bool(values.get("due_projected"))
    values["ministry_name"] = ministry_name(registry, values["country"], values["ministry"])
    values["overdue"] = overdue_flag(values["status"], values["due_date"], values["due_projected"], today)
    return AssignmentOut.model_validate(values)


async def assignments_by_id(
    session: AsyncSession, ids: Sequence[str], as_of: datetime | None, registry: ActorRegistry, today: date
) -> list[AssignmentOut]:
    query, state = assignment_query(as_of)
    rows = (await session.execute(query.where(state.c.id.in_(list(ids))))).all()
    by_id = {row.id: assignment_out(row, registry, today) for row in rows}
    return [by_id[i] for i in ids if i in by_id]


@router.get("/assignments", response_model=AssignmentPage, summary="Assignments by country, ministry and status")
async def list_assignments(
    session: SessionDep,
    ctx: ContextDep,
    as_of: AsOfQuery,
    country: CountryQuery = None,
    ministry: SlugQuery = None,
    status: AssignmentStatus | None = None,
    overdue: bool | None = None,
    body: Annotated[str | None, Query(max_length=200)] = None,
    role: Annotated[str | None, Query(pattern=r"^(lead|body)$")] = None,
    verification: Annotated[str | None, Query(pattern=r"^(pending|verified|disputed|none)$")] = None,
    commitment_id: str | None = None,
    document_id: str | None = None,
    policy_area: SlugQuery = None,
    is_open: Annotated[
        bool | None, Query(alias="open", description="only open (true) or only closed (false) assignments")
    ] = None,
    sort: Annotated[AssignmentSort, Query(description=SORT_DESCRIPTION)] = "-created_at",
    cursor: str | None = None,
    limit: LimitQuery = DEFAULT_LIMIT,
) -> AssignmentPage:
    today = today_for(ctx, as_of)
    query, state = assignment_query(as_of)
    keyset = assignment_order(state, sort)
    if country:
        query = query.where(state.c.country == country.upper())
    if ministry:
        query = query.where(state.c.ministry == ministry)
    if status:
        query = query.where(state.c.status == status)
    if body:
        query = query.where(state.c.body == body)
    if role:
        query = query.where(state.c.role == role)
    if verification:
        query = query.where(
            state.c.verification.is_(None) if verification == "none" else state.c.verification == verification
        )
    if commitment_id:
        query = query.where(state.c.commitment_id == commitment_id)
    if document_id:
        query = query.where(Commitment.document_id == document_id)
    if policy_area:
        query = query.where(Commitment.policy_area == policy_area)
    if overdue is not None:
        query = query.where(is_overdue(state, today) if overdue else ~is_overdue(state, today))
    if is_open is not None:
        query = query.where(open_condition(state) if is_open else ~open_condition(state))
    rows, next_cursor = keyset.page((await session.execute(keyset.apply(query, cursor, limit))).all(), limit)
    registry = (await ctx.directory.current(session)).registry
    return AssignmentPage(items=[assignment_out(r, registry, today) for r in rows], next_cursor=next_cursor)


async def _one(session: AsyncSession, ctx: ContextDep, ident: str, as_of: datetime | None) -> AssignmentOut:
    registry = (await ctx.directory.current(session)).registry
    found = await assignments_by_id(session, [ident], as_of, registry, today_for(ctx, as_of))
    if not found:
        detail = f"no assignment {ident}" + (f" as of {as_of.isoformat()}" if as_of else "")
        raise ProblemError(404, detail, kind="not-found")
    return found[0]


@router.get("/assignments/{assignment_id}", response_model=AssignmentOut, summary="One assignment")
async def get_assignment(assignment_id: str, session: SessionDep, ctx: ContextDep, as_of: AsOfQuery) -> AssignmentOut:
    return await _one(session, ctx, assignment_id, as_of)


@router.post(
    "/assignments/{assignment_id}/status",
    response_model=AssignmentOut,
    summary="Report a status: a ministry's claim, an editor's verification or dispute",
)
async def post_status(
    assignment_id: str, body: StatusReportIn, request: Request, session: SessionDep, ctx: ContextDep
) -> AssignmentOut:
    report = StatusReport(body.status, body.note, [str(u) for u in body.evidence_urls], body.kind)
    try:
        async with session.begin():
            await report_status(session, ctx, assignment_id, report, caller_from(request), ctx.clock.now())
    except IntegrityError as exc:
        raise ProblemError(
            409, "the assignment changed at the same moment; send the report again", kind="conflict"
        ) from exc
    return await _one(session, ctx, assignment_id, None)


@router.post(
    "/assignments/{assignment_id}/reassign",
    response_model=AssignmentOut,
    summary="Admin: move a country's assignment to another ministry",
)
async def post_reassign(
    assignment_id: str, body: ReassignmentIn, request: Request, session: SessionDep, ctx: ContextDep
) -> AssignmentOut:
    request_ = Reassignment(body.ministry, body.supporting_ministries, body.contact, body.note)
    try:
        async with session.begin():
            registry = (await ctx.directory.current(session)).registry
            await reassign(session, ctx, assignment_id, request_, caller_from(request), registry, ctx.clock.now())
    except IntegrityError as exc:
        raise ProblemError(409, "the assignment changed at the same moment; try again", kind="conflict") from exc
    return await _one(session, ctx, assignment_id, None)


@router.get("/assignments/{assignment_id}/history", response_model=HistoryOut, summary="Every change, oldest first")
async def get_history(assignment_id: str, session: SessionDep) -> HistoryOut:
    changes = await history(session, assignment_id)
    return HistoryOut(assignment_id=assignment_id, items=[HistoryEntry.model_validate(c) for c in changes])
