"""Reading reassignment proposals: oldest first, filtered by status, country, ministry or assignment."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from resolute.shared.api.reassignments import ProposalQuery, ReassignmentProposalOut, ReassignmentProposalPage
from resolute.shared.pagination import Keyset
from resolute.shared.web.problems import ProblemError
from resolute.tracker.reassignments.models import ReassignmentProposal

_PROPOSALS = Keyset((ReassignmentProposal.created_at, False), (ReassignmentProposal.id, False))


async def proposal_page(session: AsyncSession, query: ProposalQuery) -> ReassignmentProposalPage:
    statement = select(ReassignmentProposal)
    if query.status:
        statement = statement.where(ReassignmentProposal.status == query.status)
    if query.country:
        statement = statement.where(ReassignmentProposal.country == query.country.upper())
    if query.ministry:
        statement = statement.where(
            or_(
                ReassignmentProposal.from_ministry == query.ministry, ReassignmentProposal.to_ministry == query.ministry
            )
        )
    if query.assignment_id:
        statement = statement.where(ReassignmentProposal.assignment_id == query.assignment_id)
    rows = (await session.scalars(_PROPOSALS.apply(statement, query.cursor, query.limit))).all()
    page, next_cursor = _PROPOSALS.page(rows, query.limit)
    return ReassignmentProposalPage(
        items=[ReassignmentProposalOut.model_validate(r) for r in page], next_cursor=next_cursor
    )


async def one_proposal(session: AsyncSession, ident: str) -> ReassignmentProposalOut:
    proposal = await session.get(ReassignmentProposal, ident)
    if proposal is None:
        raise ProblemError(404, f"no reassignment proposal {ident}", kind="not-found")
    return ReassignmentProposalOut.model_validate(proposal)
