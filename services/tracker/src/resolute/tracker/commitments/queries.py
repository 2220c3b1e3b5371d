"""Reading commitments: filtered lists and one commitment with its assignments, now or as they stood `as_of`
(each from its revision at that moment). Plain functions over a session; the router maps them to HTTP."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from resolute.shared.api.commitments import (
    CommitmentDetail,
    CommitmentFilters,
    CommitmentOut,
    CommitmentPage,
    CommitmentQuery,
)
from resolute.shared.pagination import Keyset
from resolute.shared.web.problems import ProblemError
from resolute.tracker.assignments.queries import assignments_by_id
from resolute.tracker.assignments.views import assignment_state
from resolute.tracker.calendar.projection import Calendar
from resolute.tracker.commitments.models import ADDRESSEE_REVISED, REVISED_FIELDS, Commitment, CommitmentRevision
from resolute.tracker.context import Reading
from resolute.tracker.deadlines.resolution import resolve_stated

_COMMITMENTS = Keyset((Commitment.published_at, True), (Commitment.document_id, False), (Commitment.position, False))
_ANSWERED = tuple(name for name in CommitmentOut.model_fields if hasattr(Commitment, name))


async def _revisions_at(session: AsyncSession, ids: list[str], as_of: datetime) -> dict[str, CommitmentRevision]:
    """Each commitment's latest revision at `as_of`."""
    ranked = (
        select(
            CommitmentRevision.id,
            func.row_number()
            .over(partition_by=CommitmentRevision.commitment_id, order_by=CommitmentRevision.seq.desc())
            .label("rank"),
        )
        .where(CommitmentRevision.commitment_id.in_(ids), CommitmentRevision.at <= as_of)
        .subquery()
    )
    rows = await session.scalars(
        select(CommitmentRevision).join(ranked, ranked.c.id == CommitmentRevision.id).where(ranked.c.rank == 1)
    )
    return {r.commitment_id: r for r in rows}


async def as_they_stood(
    session: AsyncSession, commitments: list[Commitment], as_of: datetime | None, calendar: Calendar | None = None
) -> list[CommitmentOut]:
    """Each commitment's record, taking document, position, text, deadline, addressees and withdrawal from its
    revision at `as_of` (addressees only from revisions that keep them: those since corrections exist). A
    deadline corrected since then is due when that deadline resolves (with the `calendar` given), not when the
    corrected one does."""
    revisions = await _revisions_at(session, [c.id for c in commitments], as_of) if as_of and commitments else {}
    result = []
    for commitment in commitments:
        values: dict[str, Any] = {name: getattr(commitment, name) for name in _ANSWERED}
        values["withdrawn"] = commitment.withdrawn_at is not None
        revision = revisions.get(commitment.id)
        if revision is not None:
            values.update({name: getattr(revision, name) for name in REVISED_FIELDS})
            if revision.countries is not None:
                values.update({name: getattr(revision, name) for name in ADDRESSEE_REVISED})
            values["withdrawn"] = revision.withdrawn
            if calendar is not None and as_of is not None and revision.deadline != commitment.deadline:
                resolved = resolve_stated(
                    revision.deadline, reference=commitment.reference_date, today=as_of.date(), calendar=calendar
                )
                values.update(due_date=resolved.date, due_projected=resolved.projected)
        result.append(CommitmentOut.model_validate(values))
    return result


#: filters this module applies by hand (below); every other filter names a column and must equal it
_BY_HAND = frozenset({"as_of", "due_before", "due_after", "withdrawn", "country", "ministry", "status", "q"})
_NAMED = [name for name in CommitmentFilters.model_fields if name not in _BY_HAND]
if unknown := [name for name in _NAMED if name not in Commitment.__table__.columns]:
    # a filter of the public model the tracker would not apply: refused at start-up, never silently ignored
    raise TypeError(f"CommitmentFilters {unknown} name no commitment column: apply them in commitments/queries.py")
#: a filter named after a commitment's column: the column equals the value given (a new one needs no code)
_EQUAL = {name: Commitment.__table__.columns[name] for name in _NAMED}


def _filtered(query: Select[Any], wanted: CommitmentFilters, as_of: datetime | None) -> Select[Any]:
    """Every filter given must hold; `country`, `ministry` and `status` are some assignment's (as of then)."""
    if as_of is not None:
        query = query.where(Commitment.created_at <= as_of)
    for name, column in _EQUAL.items():
        value = getattr(wanted, name)
        if value is not None:
            query = query.where(column == value)
    if wanted.due_before:
        query = query.where(Commitment.due_date <= wanted.due_before)
    if wanted.due_after:
        query = query.where(Commitment.due_date >= wanted.due_after)
    if wanted.withdrawn is not None:
        withdrawn_at = Commitment.withdrawn_at
        query = query.where(withdrawn_at.is_not(None) if wanted.withdrawn else withdrawn_at.is_(None))
    if wanted.country or wanted.ministry or wanted.status:
        state = assignment_state(as_of)
        conditions = [state.c.commitment_id == Commitment.id]
        if wanted.country:
            conditions.append(state.c.country == wanted.country.upper())
        if wanted.ministry:
            conditions.append(state.c.ministry == wanted.ministry)
        if wanted.status:
            conditions.append(state.c.status == wanted.status)
        query = query.where(exists().where(*conditions))
    for word in (wanted.q or "").lower().split():
        query = query.where(func.lower(Commitment.text).contains(word, autoescape=True))
    return query


async def commitment_page(
    session: AsyncSession, query: CommitmentQuery, as_of: datetime | None, calendar: Calendar | None = None
) -> CommitmentPage:
    statement = _filtered(select(Commitment), query, as_of)
    rows, next_cursor = _COMMITMENTS.page(
        (await session.scalars(_COMMITMENTS.apply(statement, query.cursor, query.limit))).all(), query.limit
    )
    return CommitmentPage(items=await as_they_stood(session, list(rows), as_of, calendar), next_cursor=next_cursor)


async def commitment_detail(
    session: AsyncSession, commitment_id: str, at: Reading, calendar: Calendar | None = None
) -> CommitmentDetail:
    """The commitment (as it stood `as_of`) with every assignment it made, oldest first."""
    as_of = at.as_of
    commitment = await session.get(Commitment, commitment_id)
    if commitment is None or (as_of is not None and commitment.created_at > as_of):
        raise ProblemError(404, f"no commitment {commitment_id}", kind="not-found")
    (record,) = await as_they_stood(session, [commitment], as_of, calendar)
    state = assignment_state(as_of)
    ids = (
        await session.scalars(
            select(state.c.id).where(state.c.commitment_id == commitment_id).order_by(state.c.created_at, state.c.id)
        )
    ).all()
    assignments = await assignments_by_id(session, list(ids), at)
    return CommitmentDetail(**record.model_dump(), assignments=assignments)
