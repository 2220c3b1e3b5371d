"""Fan-out of commitments into assignments, status reports, reassignment and supersession, with history.

Writes only the assignments and their history (and their events); the intake use case and the commands
(`resolute.tracker.intake`, `resolute.tracker.commands`) keep the deadline schedules in step with what these
return.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from resolute.shared.actors import ActorRegistry
from resolute.shared.events.catalogue import AssignmentEffect, AssignmentStatusChangedV1, CommitmentAssignedV1
from resolute.shared.web.identity import Caller
from resolute.shared.web.problems import ProblemError
from resolute.tracker.access import require_role
from resolute.tracker.assignments.models import STATE_COLUMNS, Assignment, AssignmentChange
from resolute.tracker.assignments.planning import PlannedAssignment, assignment_id, plan_assignments
from resolute.tracker.assignments.statuses import (
    CLOSED,
    ChangeKind,
    Standing,
    StatusRuleError,
    decide_status_change,
)
from resolute.tracker.commitments.models import Commitment
from resolute.tracker.context import TrackerContext
from resolute.tracker.metrics import GAUGES_STALE

_ASSIGNMENTS = cast(Table, Assignment.__table__)
_CHANGES = cast(Table, AssignmentChange.__table__)
_STATE_AFTER = tuple(name for name in STATE_COLUMNS if name not in ("id", "updated_at"))


def _changed(session: AsyncSession, assignment: Assignment, kind: str, *, at: datetime, previous_status: str | None,
             caller: Caller | None = None) -> None:  # fmt: skip
    """Count the change and add its history row: the assignment's whole state after it, so any past moment can
    be read back (`caller` None: the system did it)."""
    assignment.seq += 1
    assignment.updated_at = at
    state = {name: getattr(assignment, name) for name in _STATE_AFTER}
    state["supporting_ministries"] = list(state["supporting_ministries"] or [])
    state["evidence_urls"] = list(state["evidence_urls"] or [])
    actor, scope = (caller.principal, caller.scope) if caller is not None else (None, None)
    session.add(
        AssignmentChange(
            assignment_id=assignment.id, seq=assignment.seq, kind=kind, at=at, actor=actor, actor_scope=scope,
            previous_status=previous_status, **state,
        )
    )  # fmt: skip


def planned_for(commitment: Commitment, registry: ActorRegistry) -> list[PlannedAssignment]:
    """Its assignments, to the ministries of its adoption date (of its first publication, without one)."""
    return plan_assignments(
        commitment.countries,
        commitment.bodies,
        [(m["country"], m["ministry"]) for m in commitment.ministries],
        commitment.policy_area,
        registry,
        on=commitment.reference_date,
    )


def _assigned_event(
    commitment: Commitment, assignment: Mapping[str, Any], reassigned_from: str | None = None
) -> CommitmentAssignedV1:
    return CommitmentAssignedV1(
        assignment_id=assignment["id"],
        commitment_id=commitment.id,
        document_id=commitment.document_id,
        document_title=commitment.document_title,
        country=assignment["country"],
        ministry=assignment["ministry"],
        body=assignment["body"],
        role=assignment["role"],
        text=commitment.text,
        policy_area=commitment.policy_area,
        due_date=commitment.due_date,
        due_projected=commitment.due_projected,
        reassigned_from=reassigned_from,
        supporting_ministries=list(assignment["supporting_ministries"] or []),
    )


def _state(assignment: Assignment) -> dict[str, Any]:
    return {c.key: getattr(assignment, c.key) for c in _ASSIGNMENTS.columns}


def _new_row(commitment: Commitment, planned: PlannedAssignment, now: datetime) -> dict[str, Any]:
    return {
        "id": assignment_id(commitment.id, planned.country, planned.body),
        "commitment_id": commitment.id,
        "country": planned.country,
        "ministry": planned.ministry,
        "body": planned.body,
        "role": planned.role,
        "supporting_ministries": list(planned.supporting),
        "contact": None,
        "status": "not_reported",
        "verification": None,
        "verified_status": None,
        "note": None,
        "evidence_urls": [],
        "status_changed_at": None,
        "status_changed_by": None,
        "seq": 1,
        "created_at": now,
        "updated_at": now,
    }


def _first_change(row: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The history entry of a new assignment: its whole first state."""
    kept = {k: v for k, v in row.items() if k not in ("id", "updated_at")}
    return {**kept, "assignment_id": row["id"], "kind": "assigned", "at": now, "actor": None, "actor_scope": None,
            "previous_status": None}  # fmt: skip


async def fan_out(
    session: AsyncSession, ctx: TrackerContext, commitment: Commitment, registry: ActorRegistry, now: datetime
) -> list[str]:
    """Create the assignments a commitment is missing (none, on a re-delivery); returns the new ones' ids.

    Plain multi-row inserts (assignments, their first history entry, their events): a NATO PA item addressed
    to all 32 Allies is a few statements, not a hundred.
    """
    existing = set(
        (await session.scalars(select(Assignment.id).where(Assignment.commitment_id == commitment.id))).all()
    )
    created: list[dict[str, Any]] = []
    for planned in planned_for(commitment, registry):
        row = _new_row(commitment, planned, now)
        if row["id"] not in existing:
            existing.add(row["id"])
            created.append(row)
    if not created:
        return []
    await session.execute(insert(_ASSIGNMENTS), created)
    await session.execute(insert(_CHANGES), [_first_change(row, now) for row in created])
    await ctx.outbox.add_many(
        session, [(_assigned_event(commitment, row), row["id"], f"assigned:{row['id']}") for row in created], time=now
    )
    GAUGES_STALE.mark(session)
    return [row["id"] for row in created]


async def _locked(session: AsyncSession, ident: str) -> Assignment:
    assignment = await session.get(Assignment, ident, with_for_update=True)
    if assignment is None:
        raise ProblemError(404, f"no assignment {ident}", kind="not-found")
    return assignment


async def _status_changed(
    session: AsyncSession,
    ctx: TrackerContext,
    assignment: Assignment,
    commitment: Commitment,
    *,
    previous_status: str,
    kind: str,
    actor: str | None,
    now: datetime,
) -> None:
    GAUGES_STALE.mark(session)
    await ctx.outbox.add(
        session,
        AssignmentStatusChangedV1(
            assignment_id=assignment.id,
            commitment_id=commitment.id,
            document_id=commitment.document_id,
            country=assignment.country,
            ministry=assignment.ministry,
            body=assignment.body,
            policy_area=commitment.policy_area,
            previous_status=previous_status,  # type: ignore[arg-type]
            status=assignment.status,  # type: ignore[arg-type]
            kind=kind,  # type: ignore[arg-type]
            note=assignment.note,
            evidence_urls=list(assignment.evidence_urls or []),
            actor=actor,
            changed_at=now,
            verification=assignment.verification,
            verified_status=assignment.verified_status,
        ),
        key=assignment.id,
        event_id=f"status:{assignment.id}:{assignment.seq}",
        time=now,
    )


@dataclass(frozen=True)
class StatusReport:
    status: str
    note: str | None
    evidence_urls: list[str]
    kind: ChangeKind | None = None


async def report_status(
    session: AsyncSession, ctx: TrackerContext, ident: str, report: StatusReport, caller: Caller, now: datetime
) -> Assignment:
    """Record a claim, verification, dispute or admin correction; history and event in the same transaction.
    The caller keeps the assignment's schedule in step with its status (open or closed)."""
    role = require_role(caller, "editor", "ministry")
    assignment = await _locked(session, ident)
    standing = Standing(
        assignment.country, assignment.ministry, assignment.body, assignment.status, assignment.verification
    )
    try:
        change = decide_status_change(role, caller.ministry, standing, report.status, report.kind)
    except StatusRuleError as exc:
        raise ProblemError(exc.status, exc.message, kind="forbidden" if exc.status == 403 else "status-rule") from exc
    previous = assignment.status
    assignment.status = change.status
    assignment.verification = change.verification
    assignment.verified_status = change.verified_status
    if change.kind in ("claim", "admin"):
        assignment.note = report.note
        assignment.evidence_urls = list(report.evidence_urls)
        assignment.status_changed_at = now
        assignment.status_changed_by = caller.principal
    elif report.note or report.evidence_urls:
        assignment.note = report.note or assignment.note
        assignment.evidence_urls = list(report.evidence_urls) or list(assignment.evidence_urls or [])
    _changed(session, assignment, change.kind, at=now, previous_status=previous, caller=caller)
    commitment = await session.get(Commitment, assignment.commitment_id)
    assert commitment is not None
    await _status_changed(
        session, ctx, assignment, commitment, previous_status=previous, kind=change.kind, actor=caller.principal,
        now=now,
    )  # fmt: skip
    await session.flush()
    return assignment


@dataclass(frozen=True)
class Reassignment:
    ministry: str
    supporting_ministries: list[str] | None
    contact: str | None
    note: str | None


async def reassign(
    session: AsyncSession,
    ctx: TrackerContext,
    ident: str,
    request: Reassignment,
    caller: Caller,
    registry: ActorRegistry,
    now: datetime,
    *,
    kind: str = "reassigned",
) -> Assignment:
    """An admin moves a country's assignment to another ministry (status and history stay with it); `kind`
    names the history entry (`reorganised`: a reorganisation's proposal confirmed)."""
    require_role(caller)
    assignment = await _locked(session, ident)
    if assignment.country is None:
        raise ProblemError(422, "an assignment to a body has no ministry to reassign", kind="validation")
    country = registry.country(assignment.country)
    names = [request.ministry, *(request.supporting_ministries or [])]
    unknown = [m for m in names if country is not None and country.ministry(m) is None]
    if unknown:
        raise ProblemError(
            422, f"{assignment.country} has no ministry {', '.join(unknown)} in the registry", kind="validation"
        )
    previous = assignment.ministry
    assignment.ministry = request.ministry
    if request.supporting_ministries is not None:
        assignment.supporting_ministries = [
            m for m in dict.fromkeys(request.supporting_ministries) if m != request.ministry
        ]
    else:
        assignment.supporting_ministries = [m for m in assignment.supporting_ministries or [] if m != request.ministry]
    if request.contact is not None:
        assignment.contact = request.contact or None
    if request.note:
        assignment.note = request.note
    _changed(session, assignment, kind, at=now, previous_status=assignment.status, caller=caller)
    commitment = await session.get(Commitment, assignment.commitment_id)
    assert commitment is not None
    if previous != assignment.ministry:
        await ctx.outbox.add(
            session,
            _assigned_event(commitment, _state(assignment), reassigned_from=previous),
            key=assignment.id,
            event_id=f"assigned:{assignment.id}:{assignment.seq}",
            time=now,
        )
    await session.flush()
    return assignment


async def supersede_open(
    session: AsyncSession, ctx: TrackerContext, commitment: Commitment, reason: str, now: datetime
) -> list[str]:
    """The commitment no longer stands: its open assignments become superseded, each with a history entry.
    Returns their ids (now closed)."""
    assignments = (
        await session.scalars(
            select(Assignment).where(Assignment.commitment_id == commitment.id, Assignment.status.not_in(CLOSED))
        )
    ).all()
    for assignment in assignments:
        previous = assignment.status
        assignment.status = "superseded"
        assignment.verification = None
        assignment.verified_status = None
        assignment.note = reason
        assignment.status_changed_at = now
        assignment.status_changed_by = None
        _changed(session, assignment, "superseded", at=now, previous_status=previous)
        await _status_changed(
            session, ctx, assignment, commitment, previous_status=previous, kind="admin", actor=None, now=now
        )
    return [a.id for a in assignments]


async def reinstate(
    session: AsyncSession, ctx: TrackerContext, commitment: Commitment, now: datetime
) -> list[tuple[str, bool]]:
    """A withdrawn commitment is back (a newer version carries it again): superseded assignments regain the
    status they had before the withdrawal. Returns (id, open now) of each one restored."""
    assignments = (
        await session.scalars(
            select(Assignment).where(Assignment.commitment_id == commitment.id, Assignment.status == "superseded")
        )
    ).all()
    return await _reinstate_each(session, ctx, commitment, assignments, now)


async def _reinstate_each(
    session: AsyncSession, ctx: TrackerContext, commitment: Commitment, assignments: Sequence[Assignment], now: datetime
) -> list[tuple[str, bool]]:
    """Each superseded assignment regains the status it had before it was superseded."""
    restored: list[tuple[str, bool]] = []
    for assignment in assignments:
        before = await session.scalar(
            select(AssignmentChange)
            .where(AssignmentChange.assignment_id == assignment.id, AssignmentChange.kind != "superseded")
            .where(AssignmentChange.seq < assignment.seq)
            .order_by(AssignmentChange.seq.desc())
            .limit(1)
        )
        if before is None or before.status == "superseded":
            continue
        previous = assignment.status
        assignment.status = before.status
        assignment.verification = before.verification
        assignment.verified_status = before.verified_status
        assignment.note = before.note
        assignment.status_changed_at = now
        _changed(session, assignment, "reinstated", at=now, previous_status=previous)
        await _status_changed(
            session, ctx, assignment, commitment, previous_status=previous, kind="admin", actor=None, now=now
        )
        restored.append((assignment.id, assignment.status not in CLOSED))
    return restored


@dataclass
class Followed:
    """What a correction did to a commitment's assignments: effects to tell, and the schedules to keep in step."""

    effects: list[AssignmentEffect]
    created: list[str]
    closed: list[str]
    reopened: list[str]


async def follow_correction(
    session: AsyncSession,
    ctx: TrackerContext,
    commitment: Commitment,
    registry: ActorRegistry,
    reason: str,
    now: datetime,
) -> Followed:
    """Fan a corrected commitment out again: a country or body no longer addressed has its open assignment
    closed as superseded (history kept), one newly addressed is assigned (and told), one addressed again gets
    its assignment back, and a country whose lead ministry changed has its assignment moved to the new one."""
    planned = {assignment_id(commitment.id, p.country, p.body): p for p in planned_for(commitment, registry)}
    existing = (await session.scalars(select(Assignment).where(Assignment.commitment_id == commitment.id))).all()
    followed = Followed([], [], [], [])
    gone = [a for a in existing if a.id not in planned and a.status not in CLOSED]
    for assignment in gone:
        previous = assignment.status
        assignment.status = "superseded"
        assignment.verification = None
        assignment.verified_status = None
        assignment.note = f"no longer addressed by the commitment after a correction: {reason}"
        assignment.status_changed_at = now
        assignment.status_changed_by = None
        _changed(session, assignment, "superseded", at=now, previous_status=previous)
        await _status_changed(
            session, ctx, assignment, commitment, previous_status=previous, kind="admin", actor=None, now=now
        )
        followed.closed.append(assignment.id)
        followed.effects.append(_effect(assignment, "superseded"))
    back = [a for a in existing if a.id in planned and a.status == "superseded"]
    for ident, is_open in await _reinstate_each(session, ctx, commitment, back, now):
        (followed.reopened if is_open else followed.closed).append(ident)
        followed.effects.append(_effect(next(a for a in back if a.id == ident), "reinstated"))
    for assignment in existing:
        plan = planned.get(assignment.id)
        if plan is None or assignment.country is None:
            continue
        supporting = list(plan.supporting)
        if plan.ministry != assignment.ministry:
            moved_from = assignment.ministry
            assignment.ministry = plan.ministry
            assignment.supporting_ministries = supporting
            _changed(session, assignment, "reassigned", at=now, previous_status=assignment.status)
            await ctx.outbox.add(
                session,
                _assigned_event(commitment, _state(assignment), reassigned_from=moved_from),
                key=assignment.id,
                event_id=f"assigned:{assignment.id}:{assignment.seq}",
                time=now,
            )
            followed.effects.append(_effect(assignment, "reassigned", moved_from))
        elif supporting != list(assignment.supporting_ministries or []):
            assignment.supporting_ministries = supporting
            _changed(session, assignment, "reassigned", at=now, previous_status=assignment.status)
            followed.effects.append(_effect(assignment, "supporting_changed"))
    created = await fan_out(session, ctx, commitment, registry, now)
    followed.created.extend(created)
    for ident in created:
        plan = planned[ident]
        followed.effects.append(
            AssignmentEffect(assignment_id=ident, country=plan.country, ministry=plan.ministry, body=plan.body,
                             effect="assigned")
        )  # fmt: skip
    GAUGES_STALE.mark(session)
    return followed


def _effect(assignment: Assignment, effect: str, previous_ministry: str | None = None) -> AssignmentEffect:
    return AssignmentEffect(
        assignment_id=assignment.id,
        country=assignment.country,
        ministry=assignment.ministry,
        body=assignment.body,
        effect=effect,  # type: ignore[arg-type]
        previous_ministry=previous_ministry,
    )
