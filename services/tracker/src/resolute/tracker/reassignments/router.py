"""HTTP routes for the reassignments reorganisations propose: the list, and an admin's confirmation or
dismissal. Each handler is bound to its entry of the public route table."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy.exc import IntegrityError

from resolute.shared.api.paths import ProposalIdPath
from resolute.shared.api.reassignments import (
    ProposalDecisionIn,
    ProposalQuery,
    ReassignmentProposalOut,
    ReassignmentProposalPage,
)
from resolute.shared.api.routes import route
from resolute.shared.web.dependencies import SessionDep
from resolute.shared.web.identity import caller_from
from resolute.shared.web.problems import PROBLEM_RESPONSES, ProblemError
from resolute.shared.web.routing import serve
from resolute.tracker import registry_changes
from resolute.tracker.access import require_role
from resolute.tracker.parameters import ContextDep
from resolute.tracker.reassignments import queries

router = APIRouter(tags=["reassignments"], responses=PROBLEM_RESPONSES)


@serve(router, route("list_reassignments"))
async def list_reassignments(
    query: Annotated[ProposalQuery, Query()], request: Request, session: SessionDep
) -> ReassignmentProposalPage:
    require_role(caller_from(request), "editor")
    return await queries.proposal_page(session, query)


@serve(router, route("confirm_reassignment"))
async def confirm_reassignment(
    proposal_id: ProposalIdPath, body: ProposalDecisionIn, request: Request, session: SessionDep, ctx: ContextDep
) -> ReassignmentProposalOut:
    try:
        async with session.begin():
            await registry_changes.confirm_reassignment(
                session, ctx, proposal_id, body.note, caller_from(request), ctx.clock.now()
            )
    except IntegrityError as exc:
        raise ProblemError(409, "the assignment changed at the same moment; try again", kind="conflict") from exc
    return await queries.one_proposal(session, proposal_id)


@serve(router, route("dismiss_reassignment"))
async def dismiss_reassignment(
    proposal_id: ProposalIdPath, body: ProposalDecisionIn, request: Request, session: SessionDep, ctx: ContextDep
) -> ReassignmentProposalOut:
    async with session.begin():
        await registry_changes.dismiss_reassignment(
            session, ctx, proposal_id, body.note, caller_from(request), ctx.clock.now()
        )
    return await queries.one_proposal(session, proposal_id)
