"""HTTP routes for commitments: filtered lists and one commitment with its assignments, now or `as_of`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from resolute.shared.events.catalogue import AssignmentStatus
from resolute.shared.pagination import DEFAULT_LIMIT, Keyset
from resolute.shared.web.dependencies import SessionDep
from resolute.shared.web.problems import PROBLEM_RESPONSES, ProblemError
from resolute.tracker.assignments.router import assignments_by_id
from resolute.tracker.assignments.views import assignment_state
from resolute.tracker.commitments.models import Commitment, CommitmentRevision
from resolute.tracker.commitments.schemas import CommitmentDetail, CommitmentOut, CommitmentPage
from resolute.tracker.parameters import AsOfQuery, ContextDep, CountryQuery, LimitQuery, SlugQuery, today_for

router = APIRouter(tags=["commitments"], responses=PROBLEM_RESPONSES)

_COMMITMENTS = Keyset((Commitment.published_at, True), (Commitment.document_id, False), (Commitment.position, False))
_REVISED_FIELDS = ("document_id", "document_title", "position", "section", "text", "deadline")


async def _as_they_stood(
    session: AsyncSession, commitments: list[Commitment], as_of: datetime | None
) -> list[CommitmentOut]:
    """Each commitment's record, taking document, position, text and withdrawal from its revision at `as_of`."""
    revisions: dict[str, CommitmentRevision] = {}
    if as_of is not None and commitments:
        ranked = (
            select(
                CommitmentRevision.id,
                func.row_number()
                .over(partition_by=CommitmentRevision.commitment_id, order_by=CommitmentRevision.seq.desc())
                .label("rank"),
            )
            .where(CommitmentRevision.commitment_id.in_([c.id for c in commitments]), CommitmentRevision.at <= as_of)
            .subquery()
        )
        rows = await session.scalars(
            select(CommitmentRevision).join(ranked, ranked.c.id == CommitmentRevision.id).where(ranked.c.rank == 1)
        )
        revisions = {r.commitment_id: r for r in rows}
    result = []
    for commitment in commitments:
        values: dict[str, Any] = {
            name: getattr(commitment, name) for name in CommitmentOut.model_fields if hasattr(commitment, name)
        }
        values["withdrawn"] = commitment.withdrawn_at is not None
        revision = revisions.get(commitment.id)
        if revision is not None:
            values.update({name: getattr(revision, name) for name in _REVISED_FIELDS})
            values["withdrawn"] = revision.withdrawn
        result.append(CommitmentOut.model_validate(values))
    return result


@router.get("/commitments", response_model=CommitmentPage, summary="Commitments: newest documents first, in text order")
async def list_commitments(
    session: SessionDep,
    as_of: AsOfQuery,
    document_id: str | None = None,
    country: CountryQuery = None,
    ministry: SlugQuery = None,
    policy_area: SlugQuery = None,
    status: AssignmentStatus | None = None,
    due_before: Annotated[date | None, Query(description="due on or before this date")] = None,
    due_after: Annotated[date | None, Query(description="due on or after this date")] = None,
    q: Annotated[str | None, Query(max_length=200, description="words that must appear in the text")] = None,
    withdrawn: bool | None = None,
    cursor: str | None = None,
    limit: LimitQuery = DEFAULT_LIMIT,
) -> CommitmentPage:
    if due_before and due_after and due_after > due_before:
        raise ProblemError(422, "due_after is later than due_before", kind="validation", title="Invalid request")
    query = select(Commitment)
    if as_of is not None:
        query = query.where(Commitment.created_at <= as_of)
    if document_id:
        query = query.where(Commitment.document_id == document_id)
    if policy_area:
        query = query.where(Commitment.policy_area == policy_area)
    if due_before:
        query = query.where(Commitment.due_date <= due_before)
    if due_after:
        query = query.where(Commitment.due_date >= due_after)
    if withdrawn is not None:
        query = query.where(Commitment.withdrawn_at.is_not(None) if withdrawn else Commitment.withdrawn_at.is_(None))
    if country or ministry or status:
        state = assignment_state(as_of)
        conditions = [state.c.commitment_id == Commitment.id]
        if country:
            conditions.append(state.c.country == country.upper())
        if ministry:
            conditions.append(state.c.ministry == ministry)
        if status:
            conditions.append(state.c.status == status)
        query = query.where(exists().where(*conditions))
    if q:
        for word in q.lower().split():
            query = query.where(func.lower(Commitment.text).contains(word, autoescape=True))
    rows, next_cursor = _COMMITMENTS.page(
        (await session.scalars(_COMMITMENTS.apply(query, cursor, limit))).all(), limit
    )
    return CommitmentPage(items=await _as_they_stood(session, list(rows), as_of), next_cursor=next_cursor)


@router.get(
    "/commitments/{commitment_id}",
    response_model=CommitmentDetail,
    summary="A commitment with its assignments",
)
async def get_commitment(
    commitment_id: str, session: SessionDep, ctx: ContextDep, as_of: AsOfQuery
) -> CommitmentDetail:
    commitment = await session.get(Commitment, commitment_id)
    if commitment is None or (as_of is not None and commitment.created_at > as_of):
        raise ProblemError(404, f"no commitment {commitment_id}", kind="not-found")
    (record,) = await _as_they_stood(session, [commitment], as_of)
    registry = (await ctx.directory.current(session)).registry
    state = assignment_state(as_of)
    ids = (
        await session.scalars(
            select(state.c.id).where(state.c.commitment_id == commitment_id).order_by(state.c.created_at, state.c.id)
        )
    ).all()
    assignments = await assignments_by_id(session, list(ids), as_of, registry, today_for(ctx, as_of))
    return CommitmentDetail(**record.model_dump(), assignments=assignments)
