"""What follows a new revision of the actor registry, and the admin's decisions it calls for.

A revision (a changed shipped seed merged in at start-up, or an admin's edit) may change calendar series (their
cadence or history: every deadline hanging on them is resolved again) and reorganise governments (the open
assignments of a ministry that ended, or lost the commitment's portfolio, are proposed for reassignment to its
successor). An admin then confirms a proposal (the assignment moves, its history keeps the old ministry, and a
`commitment.assigned` event names the ministry it came from) or dismisses it.

Orchestration over the actors, calendar, reassignments and assignments domains; each runs in the caller's
transaction, and routers map what they raise to problems.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from resolute.shared.actors import ActorRegistry, Reorganisation
from resolute.shared.api.reassignments import ReorganisationRecorded
from resolute.shared.logging import get_logger
from resolute.shared.web.identity import Caller
from resolute.tracker import rescheduling
from resolute.tracker.access import require_role
from resolute.tracker.actors import edits
from resolute.tracker.actors import service as actors
from resolute.tracker.actors.edits import Document
from resolute.tracker.assignments import service as assignments
from resolute.tracker.assignments.models import Assignment
from resolute.tracker.context import TrackerContext
from resolute.tracker.reassignments import service as reassignments
from resolute.tracker.reassignments.models import ReassignmentProposal

log = get_logger(__name__)


def _changed_series(before: ActorRegistry, after: ActorRegistry) -> set[str]:
    ids = {s.id for s in before.series} | {s.id for s in after.series}
    return {i for i in ids if before.series_by_id(i) != after.series_by_id(i)}


def _reorganised(before: ActorRegistry, after: ActorRegistry) -> set[str]:
    changed = set()
    for country in after.countries:
        earlier = before.country(country.code)
        if country.reorganisations and (earlier is None or earlier.reorganisations != country.reorganisations):
            changed.add(country.code)
    return changed


async def follow_registry(
    session: AsyncSession,
    ctx: TrackerContext,
    before: ActorRegistry,
    after: ActorRegistry,
    revision: int,
    now: datetime,
) -> list[str]:
    """A new revision is in force: deadlines follow the series it changed, and the countries it reorganised
    get their proposals. Returns the ids of the new proposals."""
    series = _changed_series(before, after)
    if series:
        await rescheduling.follow_calendar(session, ctx, series, after, now)
    countries = _reorganised(before, after)
    proposed = await reassignments.propose_for_countries(session, countries, after, revision, now)
    if series or countries:
        log.info("registry_followed", revision=revision, series=sorted(series), countries=sorted(countries),
                 proposals=len(proposed))  # fmt: skip
    return proposed


async def edit_registry(
    session: AsyncSession, ctx: TrackerContext, edit: Callable[[Document], tuple[Document, str]], caller: Caller,
    now: datetime,
) -> actors.RegistrySnapshot:  # fmt: skip
    """An admin's edit, kept as a new revision, and what follows it."""
    require_role(caller)
    before = (await ctx.directory.current(session)).registry
    snapshot = await actors.edit_registry(session, ctx.directory, edit, actor=caller.principal, now=now)
    await follow_registry(session, ctx, before, snapshot.registry, snapshot.revision, now)
    return snapshot


async def record_reorganisation(
    session: AsyncSession, ctx: TrackerContext, code: str, reorganisation: Reorganisation, caller: Caller,
    now: datetime,
) -> ReorganisationRecorded:  # fmt: skip
    """A government reorganisation as a registry revision (it must fit the organisation it changes), and the
    reassignments it proposes for the country's open assignments."""
    require_role(caller)
    before = (await ctx.directory.current(session)).registry
    snapshot = await actors.edit_registry(
        session, ctx.directory, lambda doc: edits.add_reorganisation(doc, code, reorganisation),
        actor=caller.principal, now=now,
    )  # fmt: skip
    proposed = await follow_registry(session, ctx, before, snapshot.registry, snapshot.revision, now)
    return ReorganisationRecorded(
        revision=snapshot.revision, country=code, effective=reorganisation.effective, title=reorganisation.title,
        proposals=len(proposed),
    )  # fmt: skip


async def confirm_reassignment(
    session: AsyncSession, ctx: TrackerContext, proposal_id: str, note: str | None, caller: Caller, now: datetime
) -> ReassignmentProposal:
    """Move the assignment to its successor ministry (supporting ministries that ended follow their own
    successors), from the day the reorganisation takes effect; the proposal records who decided."""
    require_role(caller)
    registry = (await ctx.directory.current(session)).registry
    proposal = await reassignments.locked(session, proposal_id)
    assignment = await session.get(Assignment, proposal.assignment_id, with_for_update=True)
    reassignments.check_pending(proposal, assignment, now)
    assert assignment is not None and assignment.country is not None
    country = registry.country(assignment.country)
    supporting: list[str] = []
    for ministry in assignment.supporting_ministries or []:
        standing = country.ministry(ministry) if country is not None else None
        follower = standing or registry.successor(assignment.country, ministry)
        if follower is not None and follower.id != proposal.to_ministry and follower.id not in supporting:
            supporting.append(follower.id)
    move = assignments.Reassignment(proposal.to_ministry, supporting, None, None)
    await assignments.reassign(session, ctx, assignment.id, move, caller, registry, now, kind="reorganised")
    return reassignments.decide(proposal, "confirmed", actor=caller.principal, note=note, now=now)


async def dismiss_reassignment(
    session: AsyncSession, ctx: TrackerContext, proposal_id: str, note: str | None, caller: Caller, now: datetime
) -> ReassignmentProposal:
    """Leave the assignment where it is; the proposal records who decided and why."""
    require_role(caller)
    proposal = await reassignments.locked(session, proposal_id)
    return reassignments.decide(proposal, "dismissed", actor=caller.principal, note=note, now=now)
