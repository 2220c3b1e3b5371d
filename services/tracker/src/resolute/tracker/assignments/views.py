"""Assignments as they stand now, or as they stood at a past moment (`as_of`), as one selectable.

Every history row holds the whole state after a change, so the state at any moment is the latest row at or
before it: the same columns as the live table, and every list, filter and scorecard reads either alike.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ColumnElement, FromClause, and_, func, select

from resolute.tracker.assignments.models import STATE_COLUMNS, Assignment, AssignmentChange
from resolute.tracker.assignments.statuses import CLOSED
from resolute.tracker.commitments.models import Commitment


def assignment_state(as_of: datetime | None) -> FromClause:
    """The live assignments table, or the history folded up to `as_of`."""
    if as_of is None:
        table = Assignment.__table__
        return select(*[table.c[name] for name in STATE_COLUMNS]).subquery("state")
    h = AssignmentChange.__table__
    ranked = (
        select(
            h.c.assignment_id.label("id"),
            *[h.c[name] for name in STATE_COLUMNS if name not in ("id", "updated_at")],
            h.c.at.label("updated_at"),
            func.row_number()
            .over(partition_by=h.c.assignment_id, order_by=(h.c.at.desc(), h.c.seq.desc()))
            .label("rank"),
        )
        .where(h.c.at <= as_of)
        .subquery("ranked")
    )
    return select(*[ranked.c[name] for name in STATE_COLUMNS]).where(ranked.c.rank == 1).subquery("state")


def is_open(state: FromClause) -> ColumnElement[bool]:
    return state.c.status.not_in(CLOSED)


def is_overdue(state: FromClause, today: date) -> ColumnElement[bool]:
    """Past its date, still open, and the date is not merely projected."""
    return and_(
        Commitment.due_date.is_not(None),
        Commitment.due_date < today,
        Commitment.due_projected.is_(False),
        is_open(state),
    )


def overdue_flag(status: str, due: date | None, projected: bool, today: date) -> bool:
    return due is not None and due < today and not projected and status not in CLOSED
