"""Proposing reassignments after reorganisations, and recording an admin's decision: the proposals' own table.

Proposals are made for open country assignments (when a commitment is fanned out, and when a registry revision
reorganises a country); moving the assignment itself is the assignments domain's, which the caller runs on a
confirmation (`resolute.tracker.commands.confirm_reassignment`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from resolute.shared.actors import ActorRegistry
from resolute.shared.logging import get_logger
from resolute.shared.web.problems import ProblemError
from resolute.tracker.assignments.models import Assignment
from resolute.tracker.assignments.statuses import CLOSED
from resolute.tracker.commitments.models import Commitment
from resolute.tracker.database import insert_new_rows, stable_id
from resolute.tracker.reassignments.models import ReassignmentProposal
from resolute.tracker.reassignments.rules import succession

log = get_logger(__name__)


def proposal_id(assignment_id: str, from_ministry: str, to_ministry: str) -> str:
    return stable_id("reassignment", assignment_id, from_ministry, to_ministry)


def _proposal_row(
    assignment: Assignment, commitment: Commitment, registry: ActorRegistry, revision: int, now: datetime
) -> dict[str, Any] | None:
    if assignment.country is None or assignment.ministry is None or assignment.status in CLOSED:
        return None
    found = succession(
        registry, assignment.country, assignment.ministry, commitment.policy_area, commitment.reference_date
    )
    if found is None or found.ministry == assignment.ministry:
        return None
    return {
        "id": proposal_id(assignment.id, assignment.ministry, found.ministry),
        "assignment_id": assignment.id,
        "commitment_id": commitment.id,
        "country": assignment.country,
        "from_ministry": assignment.ministry,
        "to_ministry": found.ministry,
        "reason": found.reason,
        "reorganisation": found.reorganisation.title,
        "effective": found.reorganisation.effective,
        "source_url": found.reorganisation.source.url,
        "registry_revision": revision,
        "status": "proposed",
        "created_at": now,
        "decided_at": None,
        "decided_by": None,
        "note": None,
    }


async def _propose(
    session: AsyncSession,
    pairs: Iterable[tuple[Assignment, Commitment]],
    registry: ActorRegistry,
    revision: int,
    now: datetime,
) -> list[str]:
    rows = [row for a, c in pairs if (row := _proposal_row(a, c, registry, revision, now)) is not None]
    new = await insert_new_rows(session, ReassignmentProposal, rows, ("id",))
    if new:
        log.info("reassignments_proposed", proposals=len(new))
    return sorted(ident for (ident,) in new)


def _reorganised_since(commitment: Commitment, registry: ActorRegistry) -> bool:
    """Whether any addressee country was reorganised after the commitment's adoption (most never are)."""
    since = commitment.reference_date
    for code in commitment.countries:
        country = registry.country(code)
        if country is not None and country.reorganisations and country.reorganisations[-1].effective > since:
            return True
    return False


async def propose_for_assignments(
    session: AsyncSession,
    commitment: Commitment,
    assignment_ids: Sequence[str],
    registry: ActorRegistry,
    revision: int,
    now: datetime,
) -> list[str]:
    """New assignments of a commitment adopted before a reorganisation: their successor is proposed at once."""
    if not assignment_ids or not _reorganised_since(commitment, registry):
        return []
    assigned = (
        await session.scalars(
            select(Assignment).where(Assignment.id.in_(list(assignment_ids)), Assignment.ministry.is_not(None))
        )
    ).all()
    return await _propose(session, [(a, commitment) for a in assigned], registry, revision, now)


async def propose_for_countries(
    session: AsyncSession, codes: Iterable[str], registry: ActorRegistry, revision: int, now: datetime
) -> list[str]:
    """A registry revision reorganised these countries: every open assignment of theirs whose ministry ended
    (or lost the commitment's portfolio) gets a proposal; returns the ids of the new ones."""
    wanted = sorted(set(codes))
    if not wanted:
        return []
    pairs = (
        await session.execute(
            select(Assignment, Commitment)
            .join(Commitment, Commitment.id == Assignment.commitment_id)
            .where(Assignment.country.in_(wanted), Assignment.ministry.is_not(None), Assignment.status.not_in(CLOSED))
        )
    ).all()
    return await _propose(session, [(a, c) for a, c in pairs], registry, revision, now)


async def locked(session: AsyncSession, ident: str) -> ReassignmentProposal:
    proposal = await session.get(ReassignmentProposal, ident, with_for_update=True)
    if proposal is None:
        raise ProblemError(404, f"no reassignment proposal {ident}", kind="not-found")
    return proposal


def check_pending(proposal: ReassignmentProposal, assignment: Assignment | None, now: datetime) -> None:
    """A proposal can be decided while it is pending; confirmed only once in effect, while the assignment is
    open and still with the ministry it moves from (a 409 problem otherwise, changing nothing)."""
    if proposal.status != "proposed":
        raise ProblemError(409, f"the proposal was {proposal.status} already", kind="conflict")
    if proposal.effective > now.date():
        raise ProblemError(
            409, f"the reorganisation takes effect on {proposal.effective}; confirm it from then", kind="conflict"
        )
    if assignment is None or assignment.ministry != proposal.from_ministry:
        where = assignment.ministry if assignment is not None else "nowhere"
        raise ProblemError(
            409, f"the assignment is with {where} now, not {proposal.from_ministry}: dismiss the proposal",
            kind="conflict",
        )  # fmt: skip
    if assignment.status in CLOSED:
        raise ProblemError(409, f"the assignment is {assignment.status}: dismiss the proposal", kind="conflict")


def decide(
    proposal: ReassignmentProposal, status: str, *, actor: str | None, note: str | None, now: datetime
) -> ReassignmentProposal:
    """Record the admin's decision on a pending proposal."""
    if proposal.status != "proposed":
        raise ProblemError(409, f"the proposal was {proposal.status} already", kind="conflict")
    proposal.status = status
    proposal.decided_at, proposal.decided_by, proposal.note = now, actor, note
    log.info("reassignment_decided", proposal_id=proposal.id, status=status, actor=actor)
    return proposal
