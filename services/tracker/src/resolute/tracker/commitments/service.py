"""The tracker's record of commitments: new, re-delivered, carried into a newer document version, withdrawn,
and the date each deadline resolves to. Writes only the commitments' own tables; the intake use case
(`resolute.tracker.intake`) sets assignments and schedules in step."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from resolute.shared.events.catalogue import (
    CommitmentCorrectedV1,
    CommitmentExtractedV1,
    CommitmentWithdrawnV1,
    CorrectionRef,
    DocumentCorrectedV1,
    FieldChange,
)
from resolute.shared.extracted import SOURCE_FIELDS, STATED_FIELDS
from resolute.shared.logging import get_logger
from resolute.tracker.calendar.projection import Calendar
from resolute.tracker.commitments.models import ADDRESSEE_REVISED, REVISED_FIELDS, Commitment, CommitmentRevision
from resolute.tracker.deadlines.resolution import ResolvedDeadline, resolve_stated

log = get_logger(__name__)

#: who a commitment is addressed to is fixed by its first extraction (its assignments were made from it); a
#: newer version of its document moves it (document, position, text, deadline) and keeps these
ADDRESSEE_FIELDS = frozenset({"countries", "bodies", "ministries", "policy_area"})
_FOLLOWS_VERSION = tuple(name for name in (*SOURCE_FIELDS, *STATED_FIELDS) if name not in ADDRESSEE_FIELDS)


@dataclass(frozen=True)
class Recorded:
    """What recording an extracted commitment changed: `moved` when its deadline must be resolved (again)."""

    commitment: Commitment
    created: bool = False
    moved: bool = False
    reinstated: bool = False


def _columns(event: CommitmentExtractedV1, names: Iterable[str]) -> dict[str, Any]:
    """The event's fields as the row's columns, by name (the span as a JSON list)."""
    values = event.model_dump(include=set(names))
    if "span" in values:
        values["span"] = list(values["span"])
    return values


async def _revise(
    session: AsyncSession,
    commitment: Commitment,
    change: str,
    now: datetime,
    note: str | None = None,
    correction: CorrectionRef | None = None,
) -> None:
    seq = 0
    if change != "extracted":
        latest = select(func.max(CommitmentRevision.seq)).where(CommitmentRevision.commitment_id == commitment.id)
        seq = await session.scalar(latest) or 0
    kept = {name: getattr(commitment, name) for name in (*REVISED_FIELDS, *ADDRESSEE_REVISED)}
    withdrawn = commitment.withdrawn_at is not None
    session.add(
        CommitmentRevision(
            commitment_id=commitment.id, seq=seq + 1, change=change, at=now, withdrawn=withdrawn, note=note,
            actor=correction.actor if correction else None, correction_id=correction.id if correction else None,
            **kept,
        )
    )  # fmt: skip


async def record(
    session: AsyncSession, event: CommitmentExtractedV1, *, published_at: datetime, now: datetime
) -> Recorded:
    """Keep a new commitment, or move a known one to a newer version of its document; a re-delivery changes
    nothing."""
    commitment = await session.get(Commitment, event.commitment_id)
    if commitment is None:
        commitment = Commitment(
            id=event.commitment_id,
            **_columns(event, (*SOURCE_FIELDS, *STATED_FIELDS)),
            due_projected=False,
            published_at=published_at,
            created_at=now,
            updated_at=now,
        )
        session.add(commitment)
        await _revise(session, commitment, "extracted", now)
        return Recorded(commitment, created=True, moved=True)
    if commitment.document_id == event.document_id:
        return Recorded(commitment)
    previous_document = commitment.document_id
    for name, value in _columns(event, _FOLLOWS_VERSION).items():
        setattr(commitment, name, value)
    commitment.published_at = max(commitment.published_at, published_at)
    commitment.updated_at = now
    note = f"carried over from document {previous_document}"
    reinstated = commitment.withdrawn_at is not None
    if reinstated:
        commitment.withdrawn_at = None
        commitment.withdrawn_reason = None
        note += "; reinstated"
    await _revise(session, commitment, "new_version", now, note)
    log.info("commitment_moved", commitment_id=commitment.id, document_id=event.document_id)
    return Recorded(commitment, moved=True, reinstated=reinstated)


async def withdraw(session: AsyncSession, event: CommitmentWithdrawnV1, now: datetime) -> Commitment | None:
    """Record that the commitment no longer stands, and why; None when it is unknown or was withdrawn before."""
    commitment = await session.get(Commitment, event.commitment_id)
    if commitment is None:
        log.warning("withdrawal_of_unknown_commitment", commitment_id=event.commitment_id)
        return None
    if commitment.withdrawn_at is not None:
        return None
    commitment.withdrawn_at = now
    commitment.withdrawn_reason = event.reason
    commitment.updated_at = now
    await _revise(session, commitment, "withdrawn", now, event.reason)
    return commitment


@dataclass(frozen=True)
class Corrected:
    """What applying a correction changed: whom the commitment concerned before, the fields changed, and
    whether it is new (added by an editor), withdrawn or back, or has a deadline to resolve again."""

    commitment: Commitment
    created: bool
    previous_countries: list[str]
    previous_ministries: list[dict[str, str]]
    changes: list[FieldChange]
    withdrawn: bool = False
    reinstated: bool = False
    deadline_changed: bool = False


#: what a correction sets, besides the document's facts
_CORRECTED = tuple(name for name in (*SOURCE_FIELDS, *STATED_FIELDS))
_SHOWN = ("text", "span", "label", "section", "countries", "bodies", "ministries", "policy_area", "deadline",
          "addressed_to", "position")  # fmt: skip


async def correct(
    session: AsyncSession, event: CommitmentCorrectedV1, *, published_at: datetime, now: datetime
) -> Corrected | None:
    """Set the commitment to its corrected state; None for a correction already applied (or an older one than
    the commitment's: corrections of one commitment are applied in their order, each once)."""
    commitment = await session.get(Commitment, event.commitment_id)
    created = commitment is None
    if commitment is None:
        if event.withdrawn:
            return None
        commitment = Commitment(
            id=event.commitment_id, **_columns(event, _CORRECTED), due_projected=False, published_at=published_at,
            created_at=now, updated_at=now,
        )  # fmt: skip
        session.add(commitment)
    elif commitment.revision >= event.revision:
        return None
    before = {name: getattr(commitment, name) for name in _SHOWN} if not created else {}
    previous_countries = list(commitment.countries or []) if not created else []
    previous_ministries = [dict(m) for m in commitment.ministries or []] if not created else []
    was_withdrawn = not created and commitment.withdrawn_at is not None
    for name, value in _columns(event, _CORRECTED).items():
        setattr(commitment, name, value)
    commitment.revision = event.revision
    commitment.updated_at = now
    if event.withdrawn and commitment.withdrawn_at is None:
        commitment.withdrawn_at = now
        commitment.withdrawn_reason = event.withdrawn_reason or event.correction.reason
    elif not event.withdrawn and commitment.withdrawn_at is not None:
        commitment.withdrawn_at = None
        commitment.withdrawn_reason = None
    after = {name: getattr(commitment, name) for name in _SHOWN}
    changes = [
        FieldChange(field=name, before=before.get(name), after=after[name])
        for name in _SHOWN
        if created or before.get(name) != after[name]
    ]
    if event.withdrawn and not was_withdrawn:
        changes.append(FieldChange(field="withdrawn", before=False, after=True))
    change = "withdrawn" if event.withdrawn else "corrected"
    if created:
        await _revise(
            session, commitment, "extracted", now, f"added by an editor: {event.correction.reason}", event.correction
        )
    else:
        await _revise(session, commitment, change, now, event.correction.reason, event.correction)
    return Corrected(
        commitment=commitment,
        created=created,
        previous_countries=previous_countries,
        previous_ministries=previous_ministries,
        changes=changes,
        withdrawn=event.withdrawn and not was_withdrawn,
        reinstated=was_withdrawn and not event.withdrawn,
        deadline_changed=created or before.get("deadline") != after["deadline"],
    )


_DOCUMENT_FACTS = ("document_title", "document_kind", "document_number", "issuing_body", "adopted")


async def set_document_facts(session: AsyncSession, event: DocumentCorrectedV1, now: datetime) -> list[Commitment]:
    """The document's corrected facts on each of its commitments (a bundle's part: those with its number);
    a commitment whose record changes gets a revision naming the correction. Returns those whose adoption date
    moved (their deadlines count from it). The same event again changes nothing."""
    statement = select(Commitment).where(Commitment.document_id == event.document_id)
    if event.previous_number is not None:
        statement = statement.where(Commitment.document_number == event.previous_number)
    facts = {
        "document_title": event.title, "document_kind": event.kind, "document_number": event.number,
        "issuing_body": event.issuing_body, "adopted": event.adopted,
    }  # fmt: skip
    moved: list[Commitment] = []
    for commitment in (await session.scalars(statement)).all():
        if all(getattr(commitment, name) == facts[name] for name in _DOCUMENT_FACTS):
            continue
        if commitment.adopted != event.adopted:
            moved.append(commitment)
        for name in _DOCUMENT_FACTS:
            setattr(commitment, name, facts[name])
        commitment.updated_at = now
        await _revise(
            session, commitment, "corrected", now, note="document facts corrected", correction=event.correction
        )
    await session.flush()
    return moved


async def move_positions(session: AsyncSession, positions: Mapping[str, int], document_id: str, now: datetime) -> None:
    """Other commitments of the document moved place (one was added before them)."""
    for ident, position in positions.items():
        commitment = await session.get(Commitment, ident)
        if commitment is not None and commitment.document_id == document_id and commitment.position != position:
            commitment.position = position
            commitment.updated_at = now


def resolve_for(commitment: Commitment, calendar: Calendar, now: datetime) -> ResolvedDeadline:
    """The date the commitment's deadline resolves to today, counted from its adoption (or publication)."""
    return resolve_stated(commitment.deadline, reference=commitment.reference_date, today=now.date(), calendar=calendar)


def apply_resolution(commitment: Commitment, resolved: ResolvedDeadline) -> bool:
    """Store a resolved deadline on the commitment; True when the date (or whether it is projected) changed."""
    changed = (commitment.due_date, commitment.due_projected) != (resolved.date, resolved.projected)
    commitment.due_date = resolved.date
    commitment.due_projected = resolved.projected
    commitment.deadline_series = resolved.series or (commitment.deadline or {}).get("series")
    commitment.deadline_ordinal = resolved.ordinal
    return changed


async def reresolve_series(
    session: AsyncSession, series: Iterable[str], calendar: Calendar, now: datetime
) -> list[Commitment]:
    """Re-resolve every standing commitment whose deadline hangs on these series; returns those whose date moved."""
    wanted = sorted(set(series))
    if not wanted:
        return []
    commitments = (
        await session.scalars(
            select(Commitment).where(Commitment.deadline_series.in_(wanted), Commitment.withdrawn_at.is_(None))
        )
    ).all()
    moved: list[Commitment] = []
    for commitment in commitments:
        if apply_resolution(commitment, resolve_for(commitment, calendar, now)):
            commitment.updated_at = now
            moved.append(commitment)
    return moved


_ROLL = (
    update(Commitment.__table__)  # type: ignore[arg-type]
    .where(Commitment.__table__.c.id == bindparam("b_id"))
    .values(due_date=bindparam("b_due"), updated_at=bindparam("b_now"))
)


async def roll_due_dates(session: AsyncSession, rolled: Mapping[str, date | None], now: datetime) -> None:
    """Recurring commitments whose occurrence passed: each shows its next date (one commitment, many
    assignments: its date moves once)."""
    if rolled:
        await session.execute(_ROLL, [{"b_id": ident, "b_due": day, "b_now": now} for ident, day in rolled.items()])
