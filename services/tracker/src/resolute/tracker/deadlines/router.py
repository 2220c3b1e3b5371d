"""HTTP routes for deadlines: upcoming (or overdue) dates per assignment, for portals and calendar feeds."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, cast

from fastapi import APIRouter, Query
from sqlalchemy import Select, select

from resolute.shared.pagination import DEFAULT_LIMIT, Keyset
from resolute.shared.web.dependencies import SessionDep
from resolute.shared.web.problems import PROBLEM_RESPONSES, ProblemError
from resolute.tracker.assignments.models import Assignment
from resolute.tracker.assignments.views import overdue_flag
from resolute.tracker.commitments.models import Commitment
from resolute.tracker.deadlines.schemas import DeadlineOut, DeadlinePage
from resolute.tracker.deadlines.service import CLOSED_STATUSES
from resolute.tracker.parameters import ContextDep, CountryQuery, LimitQuery, SlugQuery

router = APIRouter(tags=["deadlines"], responses=PROBLEM_RESPONSES)

_DEADLINES = Keyset((Commitment.due_date, False), (Assignment.id, False))


@router.get("/deadlines", response_model=DeadlinePage, summary="Deadlines per assignment, soonest first")
async def list_deadlines(
    session: SessionDep,
    ctx: ContextDep,
    from_: Annotated[date | None, Query(alias="from", description="on or after (default: today)")] = None,
    to: Annotated[date | None, Query(description="on or before")] = None,
    country: CountryQuery = None,
    ministry: SlugQuery = None,
    body: Annotated[str | None, Query(max_length=200)] = None,
    document_id: str | None = None,
    series: SlugQuery = None,
    projected: bool | None = None,
    overdue: Annotated[
        bool | None, Query(description="true: only overdue ones (whatever `from` says); false: none of them")
    ] = None,
    include_closed: Annotated[bool, Query(description="also completed, not implemented, superseded")] = False,
    cursor: str | None = None,
    limit: LimitQuery = DEFAULT_LIMIT,
) -> DeadlinePage:
    today = ctx.clock.now().date()
    if from_ and to and from_ > to:
        raise ProblemError(422, "'from' is later than 'to'", kind="validation", title="Invalid request")
    query = (
        select(Assignment, Commitment)
        .join(Commitment, Commitment.id == Assignment.commitment_id)
        .where(Commitment.due_date.is_not(None))
    )
    if overdue:
        query = query.where(
            Commitment.due_date < today, Commitment.due_projected.is_(False), Assignment.status.not_in(CLOSED_STATUSES)
        )
        if from_:
            query = query.where(Commitment.due_date >= from_)
    else:
        query = query.where(Commitment.due_date >= (from_ or today))
    if to:
        query = query.where(Commitment.due_date <= to)
    if not include_closed and not overdue:
        query = query.where(Assignment.status.not_in(CLOSED_STATUSES))
    if overdue is False:
        query = query.where(
            ~(
                (Commitment.due_date < today)
                & Commitment.due_projected.is_(False)
                & Assignment.status.not_in(CLOSED_STATUSES)
            )
        )
    if country:
        query = query.where(Assignment.country == country.upper())
    if ministry:
        query = query.where(Assignment.ministry == ministry)
    if body:
        query = query.where(Assignment.body == body)
    if document_id:
        query = query.where(Commitment.document_id == document_id)
    if series:
        query = query.where(Commitment.deadline_series == series)
    if projected is not None:
        query = query.where(Commitment.due_projected.is_(projected))
    rows = (await session.execute(_DEADLINES.apply(cast(Select[Any], query), cursor, limit))).all()
    page, next_cursor = _DEADLINES.page([_Keyed(row[0], row[1]) for row in rows], limit)
    items = []
    for keyed in page:
        assignment, commitment = keyed.assignment, keyed.commitment
        assert commitment.due_date is not None
        overdue_now = overdue_flag(assignment.status, commitment.due_date, commitment.due_projected, today)
        deadline = commitment.deadline or {}
        items.append(
            DeadlineOut(
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
                overdue=overdue_now,
                days_left=(commitment.due_date - today).days,
            )
        )
    return DeadlinePage(items=items, next_cursor=next_cursor)


class _Keyed:
    """A (assignment, commitment) pair exposing the keyset's columns by name."""

    def __init__(self, assignment: Assignment, commitment: Commitment) -> None:
        self.assignment = assignment
        self.commitment = commitment
        self.due_date = commitment.due_date
        self.id = assignment.id
