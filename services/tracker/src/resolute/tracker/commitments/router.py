"""HTTP routes for commitments and assignments."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import exists, func, select
from sqlalchemy.orm import selectinload

from resolute.shared.events.catalogue import AssignmentStatus
from resolute.shared.pagination import DEFAULT_LIMIT, MAX_LIMIT, Keyset
from resolute.shared.web.dependencies import SessionDep
from resolute.shared.web.problems import PROBLEM_RESPONSES, ProblemError
from resolute.tracker.commitments.models import Assignment, Commitment
from resolute.tracker.commitments.schemas import (
    AssignmentOut,
    AssignmentPage,
    CommitmentDetail,
    CommitmentOut,
    CommitmentPage,
)

router = APIRouter(tags=["commitments"], responses=PROBLEM_RESPONSES)

CountryQuery = Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2")]
LimitQuery = Annotated[int, Query(ge=1, le=MAX_LIMIT)]

_COMMITMENTS = Keyset((Commitment.published_at, True), (Commitment.document_id, False), (Commitment.position, False))


@router.get("/commitments", response_model=CommitmentPage, summary="Commitments: newest documents first, in text order")
async def list_commitments(
    session: SessionDep,
    document_id: str | None = None,
    country: CountryQuery = None,
    ministry: str | None = None,
    policy_area: str | None = None,
    status: AssignmentStatus | None = None,
    q: Annotated[str | None, Query(max_length=200, description="words that must appear in the text")] = None,
    cursor: str | None = None,
    limit: LimitQuery = DEFAULT_LIMIT,
) -> CommitmentPage:
    query = select(Commitment)
    if document_id:
        query = query.where(Commitment.document_id == document_id)
    if policy_area:
        query = query.where(Commitment.policy_area == policy_area)
    if country or ministry or status:
        conditions = [Assignment.commitment_id == Commitment.id]
        if country:
            conditions.append(Assignment.country == country.upper())
        if ministry:
            conditions.append(Assignment.ministry == ministry)
        if status:
            conditions.append(Assignment.status == status)
        query = query.where(exists().where(*conditions))
    if q:
        for word in q.lower().split():
            query = query.where(func.lower(Commitment.text).contains(word, autoescape=True))
    rows, next_cursor = _COMMITMENTS.page(
        (await session.scalars(_COMMITMENTS.apply(query, cursor, limit))).all(), limit
    )
    return CommitmentPage(items=[CommitmentOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get(
    "/commitments/{commitment_id}",
    response_model=CommitmentDetail,
    summary="A commitment with its assignments",
)
async def get_commitment(commitment_id: str, session: SessionDep) -> CommitmentDetail:
    commitment = await session.scalar(
        select(Commitment).where(Commitment.id == commitment_id).options(selectinload(Commitment.assignments))
    )
    if commitment is None:
        raise ProblemError(404, f"no commitment {commitment_id}", kind="not-found")
    return CommitmentDetail.model_validate(commitment)


_ASSIGNMENTS = Keyset((Assignment.created_at, True), (Assignment.id, False))


@router.get("/assignments", response_model=AssignmentPage, summary="Assignments by country, ministry and status")
async def list_assignments(
    session: SessionDep,
    country: CountryQuery = None,
    ministry: str | None = None,
    status: AssignmentStatus | None = None,
    commitment_id: str | None = None,
    document_id: str | None = None,
    cursor: str | None = None,
    limit: LimitQuery = DEFAULT_LIMIT,
) -> AssignmentPage:
    query = select(Assignment)
    if document_id:
        query = query.join(Commitment).where(Commitment.document_id == document_id)
    if country:
        query = query.where(Assignment.country == country.upper())
    if ministry:
        query = query.where(Assignment.ministry == ministry)
    if status:
        query = query.where(Assignment.status == status)
    if commitment_id:
        query = query.where(Assignment.commitment_id == commitment_id)
    rows, next_cursor = _ASSIGNMENTS.page(
        (await session.scalars(_ASSIGNMENTS.apply(query, cursor, limit))).all(), limit
    )
    return AssignmentPage(items=[AssignmentOut.model_validate(r) for r in rows], next_cursor=next_cursor)
