"""Learning occurrences from documents, admins' confirmations, projections, and re-scheduling what hangs on them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from resolute.shared.actors import ActorRegistry
from resolute.shared.events.catalogue import CalendarFactV1, CalendarOccurrenceChangedV1
from resolute.shared.logging import get_logger
from resolute.tracker.calendar.models import CalendarOccurrence, CalendarOccurrenceChange, JointMeetingRecord
from resolute.tracker.calendar.projection import Calendar, JointMeeting, Occurrence, SeriesInfo, joint_meetings
from resolute.tracker.commitments.models import Commitment
from resolute.tracker.context import TrackerContext
from resolute.tracker.database import stable_id
from resolute.tracker.deadlines.service import reresolve_series

log = get_logger(__name__)

KNOWN_STATES = ("learnt", "confirmed")


def series_infos(registry: ActorRegistry) -> list[SeriesInfo]:
    return [SeriesInfo(s.id, s.cadence, s.numbered) for s in registry.series]


async def load_calendar(session: AsyncSession, registry: ActorRegistry) -> Calendar:
    """Everything projection needs, read in two small queries."""
    rows = (await session.scalars(select(CalendarOccurrence).where(CalendarOccurrence.state.in_(KNOWN_STATES)))).all()
    joint = (await session.scalars(select(JointMeetingRecord))).all()
    return Calendar.build(
        series_infos(registry),
        [Occurrence(r.series, r.ordinal, r.start, r.end, r.place, r.state) for r in rows],
        [JointMeeting(j.series, j.ordinal, j.other_series, j.other_ordinal) for j in joint],
    )


def linked_series(calendar: Calendar, series: Iterable[str]) -> set[str]:
    """The series given and every series that meets with them, transitively: projections flow along links."""
    found = set(series)
    frontier = list(found)
    while frontier:
        current = frontier.pop()
        for other in calendar.offsets(current):
            if other not in found:
                found.add(other)
                frontier.append(other)
    return found


@dataclass(frozen=True)
class OccurrenceInput:
    start: date
    end: date | None
    place: str | None


async def _record_change(
    session: AsyncSession,
    ctx: TrackerContext,
    row: CalendarOccurrence,
    *,
    previous_start: date | None,
    actor: str | None,
    note: str | None,
    now: datetime,
) -> None:
    change = CalendarOccurrenceChange(
        series=row.series,
        ordinal=row.ordinal,
        state=row.state,
        start=row.start,
        end=row.end,
        place=row.place,
        previous_start=previous_start,
        actor=actor,
        source_document_id=row.source_document_id,
        note=note,
        at=now,
    )
    session.add(change)
    await session.flush()
    await ctx.outbox.add(
        session,
        CalendarOccurrenceChangedV1(
            series=row.series,
            ordinal=row.ordinal,
            start=row.start,
            end=row.end,
            place=row.place,
            state=row.state,  # type: ignore[arg-type]
            previous_start=previous_start,
        ),
        key=f"{row.series}/{row.ordinal}",
        event_id=stable_id("calendar", row.series, row.ordinal, change.id),
        time=now,
    )


def fact_ordinal(fact: CalendarFactV1, registry: ActorRegistry) -> int | None:
    """Unnumbered series (summits) are numbered by year."""
    if fact.ordinal is not None:
        return fact.ordinal
    series = registry.series_by_id(fact.series)
    if series is not None and not series.numbered and fact.start is not None:
        return fact.start.year
    return None


async def learn_calendar_facts(
    session: AsyncSession, ctx: TrackerContext, document_id: str, facts: list[CalendarFactV1], now: datetime
) -> None:
    """A document dated some occurrences: learn them (an admin's confirmation is never overridden) and the
    series that met together, then re-schedule what hangs on them."""
    registry = (await ctx.directory.current(session)).registry
    learnt: list[Occurrence] = []
    changed: set[str] = set()
    for fact in facts:
        ordinal = fact_ordinal(fact, registry)
        if ordinal is None or fact.start is None:
            continue
        occurrence = Occurrence(fact.series, ordinal, fact.start, fact.end, fact.place)
        learnt.append(occurrence)
        row = await session.get(CalendarOccurrence, (fact.series, ordinal))
        if row is not None and row.state == "confirmed":
            continue
        if row is not None and row.state == "learnt" and (row.start, row.end) == (fact.start, fact.end):
            continue
        previous = row.start if row is not None else None
        if row is None:
            row = CalendarOccurrence(series=fact.series, ordinal=ordinal)
            session.add(row)
        row.start, row.end, row.place, row.state = fact.start, fact.end, fact.place or row.place, "learnt"
        row.source_document_id = document_id
        row.updated_at = now
        await _record_change(
            session, ctx, row, previous_start=previous, actor=None, note=f"learnt from document {document_id}", now=now
        )
        changed.add(fact.series)
    for meeting in joint_meetings(learnt):
        exists = await session.scalar(
            select(JointMeetingRecord.id).where(
                or_(
                    and_(
                        JointMeetingRecord.series == meeting.series,
                        JointMeetingRecord.ordinal == meeting.ordinal,
                        JointMeetingRecord.other_series == meeting.other_series,
                        JointMeetingRecord.other_ordinal == meeting.other_ordinal,
                    ),
                    and_(
                        JointMeetingRecord.series == meeting.other_series,
                        JointMeetingRecord.ordinal == meeting.other_ordinal,
                        JointMeetingRecord.other_series == meeting.series,
                        JointMeetingRecord.other_ordinal == meeting.ordinal,
                    ),
                )
            )
        )
        if exists is None:
            session.add(
                JointMeetingRecord(
                    series=meeting.series,
                    ordinal=meeting.ordinal,
                    other_series=meeting.other_series,
                    other_ordinal=meeting.other_ordinal,
                    source_document_id=document_id,
                    created_at=now,
                )
            )
            changed |= {meeting.series, meeting.other_series}
    if changed:
        await session.flush()
        await calendar_changed(session, ctx, changed, registry, now)


async def confirm_occurrence(
    session: AsyncSession,
    ctx: TrackerContext,
    series: str,
    ordinal: int,
    given: OccurrenceInput,
    *,
    actor: str | None,
    now: datetime,
) -> CalendarOccurrence:
    """An admin's word on when and where an occurrence meets: it replaces any projection or learnt date."""
    registry = (await ctx.directory.current(session)).registry
    row = await session.get(CalendarOccurrence, (series, ordinal), with_for_update=True)
    previous = row.start if row is not None else None
    if row is None:
        row = CalendarOccurrence(series=series, ordinal=ordinal)
        session.add(row)
    elif (row.state, row.start, row.end, row.place) == ("confirmed", given.start, given.end, given.place):
        return row  # the same confirmation again changes nothing
    row.start, row.end, row.place, row.state = given.start, given.end, given.place, "confirmed"
    row.confirmed_by, row.confirmed_at, row.updated_at = actor, now, now
    await _record_change(session, ctx, row, previous_start=previous, actor=actor, note="confirmed", now=now)
    await session.flush()
    await calendar_changed(session, ctx, {series}, registry, now)
    return row


async def calendar_changed(
    session: AsyncSession, ctx: TrackerContext, series: set[str], registry: ActorRegistry, now: datetime
) -> None:
    """Re-resolve the deadlines on these series (and on series meeting with them) and refresh projections."""
    calendar = await load_calendar(session, registry)
    affected = linked_series(calendar, series)
    moved = await reresolve_series(session, affected, calendar, now)
    await refresh_projections(session, ctx, affected, calendar, now)
    if moved:
        log.info("deadlines_rescheduled", series=sorted(affected), commitments=len(moved))


async def refresh_projections(
    session: AsyncSession, ctx: TrackerContext, series: Iterable[str], calendar: Calendar, now: datetime
) -> None:
    """Keep a projected row for every occurrence deadlines hang on that nobody has dated yet."""
    wanted = sorted(set(series))
    if not wanted:
        return
    referenced = (
        await session.execute(
            select(Commitment.deadline_series, Commitment.deadline_ordinal)
            .where(
                Commitment.deadline_series.in_(wanted),
                Commitment.deadline_ordinal.is_not(None),
                Commitment.withdrawn_at.is_(None),
            )
            .distinct()
        )
    ).all()
    projected_rows = (
        await session.scalars(
            select(CalendarOccurrence).where(
                CalendarOccurrence.series.in_(wanted), CalendarOccurrence.state == "projected"
            )
        )
    ).all()
    keys = {(s, o) for s, o in referenced if s is not None and o is not None}
    keys |= {(r.series, r.ordinal) for r in projected_rows}
    for key in sorted(keys):
        if key in calendar.known:
            continue
        await ensure_projection(session, ctx, calendar, key[0], key[1], now)


async def ensure_projection(
    session: AsyncSession, ctx: TrackerContext, calendar: Calendar, series: str, ordinal: int, now: datetime
) -> None:
    """Materialise (or move) the projected row of an occurrence; an unprojectable one is left out."""
    if (series, ordinal) in calendar.known:
        return
    projection = calendar.occurrence(series, ordinal)
    row = await session.get(CalendarOccurrence, (series, ordinal))
    if row is not None and row.state != "projected":
        return
    if projection is None:
        return
    if row is not None and row.start == projection.start:
        return
    previous = row.start if row is not None else None
    if row is None:
        row = CalendarOccurrence(series=series, ordinal=ordinal, state="projected")
        session.add(row)
    row.start, row.end, row.place, row.updated_at = projection.start, None, None, now
    await _record_change(session, ctx, row, previous_start=previous, actor=None, note="projected", now=now)
