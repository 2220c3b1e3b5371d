"""Reading deadlines: one item per assignment and date, soonest first, for portals and calendar feeds."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from resolute.shared.api.deadlines import DeadlineFilters, DeadlineItem, DeadlinePage, DeadlineQuery
from resolute.shared.pagination import Keyset
from resolute.tracker.assignments.models import Assignment
from resolute.tracker.assignments.statuses import CLOSED
from resolute.tracker.assignments.views import overdue_flag
from resolute.tracker.commitments.models import Commitment

_DEADLINES = Keyset((Commitment.due_date, False), (Assignment.id, False))


def _overdue(today: date) -> ColumnElement[bool]:
    """Past a firm date and still open."""
    return and_(Commitment.due_date < today, Commitment.due_projected.is_(False), Assignment.status.not_in(CLOSED))


def _window(query: Select[Any], wanted: DeadlineFilters, today: date) -> Select[Any]:
    """Which dates: from `from` (default today) to `to`; `overdue` true takes every overdue one instead, false
    leaves them out; closed assignments only if asked for (never among the overdue)."""
    if wanted.overdue:
        query = query.where(_overdue(today))
        if wanted.from_:
            query = query.where(Commitment.due_date >= wanted.from_)
    else:
        query = query.where(Commitment.due_date >= (wanted.from_ or today))
    if wanted.to:
        query = query.where(Commitment.due_date <= wanted.to)
    if not wanted.include_closed and not wanted.overdue:
        query = query.where(Assignment.status.not_in(CLOSED))
    if wanted.overdue is False:
        query = query.where(~_overdue(today))
    return query


def _filtered(query: Select[Any], wanted: DeadlineFilters) -> Select[Any]:
    if wanted.country:
        query = query.where(Assignment.country == wanted.country.upper())
    for column, value in (
        (Assignment.ministry, wanted.ministry),
        (Assignment.body, wanted.body),
        (Commitment.document_id, wanted.document_id),
        (Commitment.deadline_series, wanted.series),
    ):
        if value:
            query = query.where(column == value)
    if wanted.projected is not None:
        query = query.where(Commitment.due_projected.is_(wanted.projected))
    return query


def deadline_item(assignment: Assignment, commitment: Commitment, today: date) -> DeadlineItem:
    assert commitment.due_date is not None
    deadline = commitment.deadline or {}
    return DeadlineItem(
        assignment_id=assignment.id,
        commitment_id=commitment.id,
        document_id=commitment.document_id,
        document_title=commitment.document_title,
        country=assignment.country,
        ministry=assignment.ministry,
        body=assignment.body,
        policy_area=commitment.policy_area,
        text=commitment.text,
        date=commitment.due_date,
        projected=commitment.due_projected,
        kind=deadline.get("kind"),
        verbatim=deadline.get("verbatim"),
        series=commitment.deadline_series,
        ordinal=commitment.deadline_ordinal,
        status=assignment.status,  # type: ignore[arg-type]
        overdue=overdue_flag(assignment.status, commitment.due_date, commitment.due_projected, today),
        days_left=(commitment.due_date - today).days,
    )


class _Keyed:
    """A (assignment, commitment) pair exposing the keyset's columns by name."""

    def __init__(self, assignment: Assignment, commitment: Commitment) -> None:
        self.assignment = assignment
        self.commitment = commitment
        self.due_date = commitment.due_date
        self.id = assignment.id


async def deadline_page(session: AsyncSession, query: DeadlineQuery, today: date) -> DeadlinePage:
    statement = cast(
        Select[Any],
        select(Assignment, Commitment)
        .join(Commitment, Commitment.id == Assignment.commitment_id)
        .where(Commitment.due_date.is_not(None)),
    )
    statement = _filtered(_window(statement, query, today), query)
    rows = (await session.execute(_DEADLINES.apply(statement, query.cursor, query.limit))).all()
    page, next_cursor = _DEADLINES.page([_Keyed(row[0], row[1]) for row in rows], query.limit)
    return DeadlinePage(items=[deadline_item(k.assignment, k.commitment, today) for k in page], next_cursor=next_cursor)
