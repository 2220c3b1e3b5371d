"""Reading assignments: lists with filters, now or `as_of`, one by id, their history, whether a ministry still
has open ones. Plain functions over a session; the routers map them to HTTP."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import FromClause, Select, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from resolute.shared.actors import ActorRegistry
from resolute.shared.api.commitments import (
    AssignmentFilters,
    AssignmentOut,
    AssignmentPage,
    AssignmentQuery,
    AssignmentSort,
    HistoryEntry,
    HistoryOut,
)
from resolute.shared.pagination import Keyset
from resolute.shared.web.problems import ProblemError
from resolute.tracker.assignments.models import Assignment, AssignmentChange
from resolute.tracker.assignments.statuses import CLOSED
from resolute.tracker.assignments.views import assignment_state, is_open, is_overdue, overdue_flag
from resolute.tracker.commitments.models import Commitment
from resolute.tracker.context import Reading


def assignment_query(as_of: datetime | None) -> tuple[Select[Any], FromClause]:
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


def assignment_order(state: FromClause, sort: AssignmentSort) -> Keyset:
    """The keyset for a sort (the id breaks ties), on the live table or on the state as of a moment."""
    column = state.c.updated_at if sort.lstrip("-") == "updated_at" else state.c.created_at
    return Keyset((column, sort.startswith("-")), (state.c.id, False), name=sort)


def ministry_name(registry: ActorRegistry, country: str | None, ministry: str | None) -> str | None:
    """The ministry's official name; one a reorganisation ended keeps the name it had (its assignments, and
    reads `as_of` before the reorganisation, still name it)."""
    if country is None or ministry is None:
        return None
    known = registry.country(country)
    if known is None:
        return None
    found = known.ministry(ministry)
    for reorganisation in reversed(known.reorganisations):
        if found is not None:
            break
        before = registry.country_on(country, reorganisation.effective - timedelta(days=1))
        found = before.ministry(ministry) if before is not None else None
    return found.name if found is not None else None


def assignment_out(row: Any, registry: ActorRegistry, today: date) -> AssignmentOut:
    values = dict(row._mapping)
    values["supporting_ministries"] = list(values.get("supporting_ministries") or [])
    values["evidence_urls"] = list(values.get("evidence_urls") or [])
    values["due_projected"] = bool(values.get("due_projected"))
    values["ministry_name"] = ministry_name(registry, values["country"], values["ministry"])
    values["overdue"] = overdue_flag(values["status"], values["due_date"], values["due_projected"], today)
    return AssignmentOut.model_validate(values)


async def assignments_by_id(session: AsyncSession, ids: Sequence[str], at: Reading) -> list[AssignmentOut]:
    query, state = assignment_query(at.as_of)
    rows = (await session.execute(query.where(state.c.id.in_(list(ids))))).all()
    by_id = {row.id: assignment_out(row, at.registry, at.today) for row in rows}
    return [by_id[i] for i in ids if i in by_id]


def _filtered(query: Select[Any], state: FromClause, wanted: AssignmentFilters, today: date) -> Select[Any]:
    """Every filter given must hold (`as_of` is applied by the state itself)."""
    equal = {"ministry": wanted.ministry, "status": wanted.status, "body": wanted.body, "role": wanted.role,
             "commitment_id": wanted.commitment_id}  # fmt: skip
    for name, value in equal.items():
        if value:
            query = query.where(state.c[name] == value)
    if wanted.country:
        query = query.where(state.c.country == wanted.country.upper())
    if wanted.verification:
        verification = state.c.verification
        query = query.where(
            verification.is_(None) if wanted.verification == "none" else verification == wanted.verification
        )
    if wanted.document_id:
        query = query.where(Commitment.document_id == wanted.document_id)
    if wanted.policy_area:
        query = query.where(Commitment.policy_area == wanted.policy_area)
    if wanted.overdue is not None:
        query = query.where(is_overdue(state, today) if wanted.overdue else ~is_overdue(state, today))
    if wanted.open is not None:
        query = query.where(is_open(state) if wanted.open else ~is_open(state))
    return query


async def assignment_page(session: AsyncSession, query: AssignmentQuery, at: Reading) -> AssignmentPage:
    statement, state = assignment_query(at.as_of)
    keyset = assignment_order(state, query.sort)
    statement = _filtered(statement, state, query, at.today)
    rows, next_cursor = keyset.page(
        (await session.execute(keyset.apply(statement, query.cursor, query.limit))).all(), query.limit
    )
    return AssignmentPage(items=[assignment_out(r, at.registry, at.today) for r in rows], next_cursor=next_cursor)


async def one_assignment(session: AsyncSession, ident: str, at: Reading) -> AssignmentOut:
    found = await assignments_by_id(session, [ident], at)
    if not found:
        detail = f"no assignment {ident}" + (f" as of {at.as_of.isoformat()}" if at.as_of else "")
        raise ProblemError(404, detail, kind="not-found")
    return found[0]


async def history(session: AsyncSession, ident: str) -> HistoryOut:
    """Every change to an assignment, oldest first."""
    if await session.scalar(select(func.count()).select_from(Assignment).where(Assignment.id == ident)) == 0:
        raise ProblemError(404, f"no assignment {ident}", kind="not-found")
    changes = await session.scalars(
        select(AssignmentChange).where(AssignmentChange.assignment_id == ident).order_by(AssignmentChange.seq)
    )
    return HistoryOut(assignment_id=ident, items=[HistoryEntry.model_validate(c) for c in changes.all()])


async def ministry_in_use(session: AsyncSession, country: str, ministry: str) -> bool:
    """Whether any open assignment names this ministry (it cannot leave the registry then)."""
    open_ones = exists().where(
        Assignment.country == country, Assignment.ministry == ministry, Assignment.status.not_in(CLOSED)
    )
    return bool(await session.scalar(select(open_ones)))
