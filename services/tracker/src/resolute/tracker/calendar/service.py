"""Learning occurrences from documents, admins' confirmations and projections: the calendar's own tables.

What hangs on the calendar (commitments' dates, their assignments' schedules) is moved by the caller from
what these return (`resolute.tracker.rescheduling.follow_calendar`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from resolute.shared.actors import ActorRegistry, SeriesOccurrence
from resolute.shared.events.catalogue import CalendarOccurrenceChangedV1
from resolute.shared.extracted import CalendarFact
from resolute.shared.logging import get_logger
from resolute.tracker.calendar.models import CalendarOccurrence, CalendarOccurrenceChange, JointMeetingRecord
from resolute.tracker.calendar.projection import RECORDED_STATES, Calendar, JointMeeting, Occurrence, joint_meetings
from resolute.tracker.commitments.models import Commitment
from resolute.tracker.context import TrackerContext
from resolute.tracker.database import stable_id

log = get_logger(__name__)


async def load_calendar(session: AsyncSession, registry: ActorRegistry) -> Calendar:
    """Everything projection needs: the registry's series with their shipped history, and the tracker's learnt
    and confirmed occurrences and joint meetings, read in two small queries."""
    rows = (
        await session.scalars(select(CalendarOccurrence).where(CalendarOccurrence.state.in_(RECORDED_STATES)))
    ).all()
    joint = (await session.scalars(select(JointMeetingRecord))).all()
    return Calendar.build(
        registry.series,
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
    """The append-only history row of a change, and its event (both carry the occurrence as it now stands)."""
    occurrence = {name: getattr(row, name) for name in ("series", "ordinal", "state", "start", "end", "place")}
    change = CalendarOccurrenceChange(
        **occurrence, source_document_id=row.source_document_id, previous_start=previous_start, actor=actor,
        note=note, at=now,
    )  # fmt: skip
    session.add(change)
    await session.flush()
    await ctx.outbox.add(
        session,
        CalendarOccurrenceChangedV1(**occurrence, previous_start=previous_start),
        key=f"{row.series}/{row.ordinal}",
        event_id=stable_id("calendar", row.series, row.ordinal, change.id),
        time=now,
    )


def fact_occurrence(fact: CalendarFact, registry: ActorRegistry) -> Occurrence | None:
    """The occurrence a document dates, if it names one with a start date (unnumbered series, such as
    summits, are numbered by year)."""
    if fact.start is None:
        return None
    start = date.fromisoformat(fact.start)
    ordinal = fact.ordinal
    series = registry.series_by_id(fact.series)
    if ordinal is None and series is not None and not series.numbered:
        ordinal = start.year
    if ordinal is None:
        return None
    end = date.fromisoformat(fact.end) if fact.end else None
    return Occurrence(fact.series, ordinal, start, end, fact.place)


def _disagreement(occurrence: Occurrence, shipped: SeriesOccurrence | None) -> str | None:
    """What the history note says when a document dates an occurrence otherwise than the shipped history."""
    if shipped is None or (shipped.start, shipped.end or shipped.start) == (
        occurrence.start,
        occurrence.end or occurrence.start,
    ):
        return None
    dates = f"{shipped.start}" + (f" to {shipped.end}" if shipped.end and shipped.end != shipped.start else "")
    return f"differs from the shipped history ({dates}, {shipped.source.url}): an admin should confirm one date"


async def _learn_occurrence(
    session: AsyncSession,
    ctx: TrackerContext,
    occurrence: Occurrence,
    document_id: str,
    shipped: SeriesOccurrence | None,
    now: datetime,
) -> bool:
    """Keep a learnt date unless an admin confirmed the occurrence (their word wins); True if it changed.

    A date that contradicts the shipped history is kept too (the document is newer than the shipping), and the
    contradiction is written into the change's note and shown by the API as a conflict."""
    row = await session.get(CalendarOccurrence, (occurrence.series, occurrence.ordinal))
    if row is not None and row.state == "confirmed":
        return False
    if row is not None and row.state == "learnt" and (row.start, row.end) == (occurrence.start, occurrence.end):
        return False
    previous = row.start if row is not None else (shipped.start if shipped is not None else None)
    if row is None:
        row = CalendarOccurrence(series=occurrence.series, ordinal=occurrence.ordinal)
        session.add(row)
    row.start, row.end, row.state = occurrence.start, occurrence.end, "learnt"
    row.place = occurrence.place or row.place
    row.source_document_id = document_id
    row.updated_at = now
    note = f"learnt from document {document_id}"
    disagreement = _disagreement(occurrence, shipped)
    if disagreement is not None:
        note += f"; {disagreement}"
        log.warning(
            "calendar_conflict", series=occurrence.series, ordinal=occurrence.ordinal, document_id=document_id,
            learnt=str(occurrence.start), shipped=str(shipped.start) if shipped else None,
        )  # fmt: skip
    await _record_change(session, ctx, row, previous_start=previous, actor=None, note=note, now=now)
    return True


async def _learn_joint_meeting(session: AsyncSession, meeting: JointMeeting, document_id: str, now: datetime) -> bool:
    """Remember that two series met together (either way round, once); True if it was new."""
    pair = [
        and_(
            JointMeetingRecord.series == a, JointMeetingRecord.ordinal == a_ordinal,
            JointMeetingRecord.other_series == b, JointMeetingRecord.other_ordinal == b_ordinal,
        )
        for a, a_ordinal, b, b_ordinal in (
            (meeting.series, meeting.ordinal, meeting.other_series, meeting.other_ordinal),
            (meeting.other_series, meeting.other_ordinal, meeting.series, meeting.ordinal),
        )
    ]  # fmt: skip
    if await session.scalar(select(JointMeetingRecord.id).where(or_(*pair))) is not None:
        return False
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
    return True


async def learn_calendar_facts(
    session: AsyncSession,
    ctx: TrackerContext,
    document_id: str,
    facts: list[CalendarFact],
    registry: ActorRegistry,
    now: datetime,
) -> set[str]:
    """A document dated some occurrences: learn them and the series that met together. Returns the series
    whose calendar changed (what hangs on them must follow)."""
    learnt = [o for o in (fact_occurrence(fact, registry) for fact in facts) if o is not None]
    changed: set[str] = set()
    for occurrence in learnt:
        series = registry.series_by_id(occurrence.series)
        shipped = series.occurrence(occurrence.ordinal) if series is not None else None
        if await _learn_occurrence(session, ctx, occurrence, document_id, shipped, now):
            changed.add(occurrence.series)
    for meeting in joint_meetings(learnt):
        if await _learn_joint_meeting(session, meeting, document_id, now):
            changed |= {meeting.series, meeting.other_series}
    if changed:
        await session.flush()
    return changed


async def relearn_calendar_facts(
    session: AsyncSession,
    ctx: TrackerContext,
    document_id: str,
    facts: list[CalendarFact],
    registry: ActorRegistry,
    now: datetime,
) -> set[str]:
    """An editor corrected the events a document dates: learn the facts as they now stand, and an occurrence
    learnt from this document that it no longer dates goes back to being projected (the shipped history or
    another document may date it). Returns the series whose calendar changed."""
    changed = await learn_calendar_facts(session, ctx, document_id, facts, registry, now)
    kept = {(o.series, o.ordinal) for o in (fact_occurrence(f, registry) for f in facts) if o is not None}
    learnt_here = (
        await session.scalars(
            select(CalendarOccurrence).where(
                CalendarOccurrence.source_document_id == document_id, CalendarOccurrence.state == "learnt"
            )
        )
    ).all()
    for row in learnt_here:
        if (row.series, row.ordinal) in kept:
            continue
        previous = row.start
        row.state, row.source_document_id, row.updated_at = "projected", None, now
        note = f"no longer dated by document {document_id} (an editor's correction)"
        await _record_change(session, ctx, row, previous_start=previous, actor=None, note=note, now=now)
        changed.add(row.series)
    if changed:
        await session.flush()
    return changed


async def confirm_occurrence(
    session: AsyncSession,
    ctx: TrackerContext,
    series: str,
    ordinal: int,
    given: OccurrenceInput,
    *,
    actor: str | None,
    now: datetime,
    dated_before: date | None = None,
) -> CalendarOccurrence | None:
    """An admin's word on when and where an occurrence meets: it replaces any projection, learnt or shipped
    date (`dated_before`: the start the calendar gave it without a row of its own). Returns None when it was
    already confirmed so (nothing changed)."""
    row = await session.get(CalendarOccurrence, (series, ordinal), with_for_update=True)
    previous = row.start if row is not None else dated_before
    if row is None:
        row = CalendarOccurrence(series=series, ordinal=ordinal)
        session.add(row)
    elif (row.state, row.start, row.end, row.place) == ("confirmed", given.start, given.end, given.place):
        return None  # the same confirmation again changes nothing
    row.start, row.end, row.place, row.state = given.start, given.end, given.place, "confirmed"
    row.confirmed_by, row.confirmed_at, row.updated_at = actor, now, now
    await _record_change(session, ctx, row, previous_start=previous, actor=actor, note="confirmed", now=now)
    await session.flush()
    return row


async def refresh_projections(
    session: AsyncSession, ctx: TrackerContext, series: Iterable[str], calendar: Calendar, now: datetime
) -> None:
    """Keep a projected row for every occurrence deadlines hang on that nobody has dated yet (and drop the
    ones the shipped history now dates)."""
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
        await ensure_projection(session, ctx, calendar, key[0], key[1], now)


async def _drop_stale_projection(
    session: AsyncSession, row: CalendarOccurrence, known: Occurrence, now: datetime
) -> None:
    """A projected row the shipped history now dates (a newer registry): the history says so, the row goes.
    No event: the shipped history is not news, and the deadlines hanging on it announce their own moves."""
    session.add(
        CalendarOccurrenceChange(
            series=row.series, ordinal=row.ordinal, state=known.state, start=known.start, end=known.end,
            place=known.place, previous_start=row.start, actor=None, source_document_id=None,
            note="dated by the shipped history", at=now,
        )
    )  # fmt: skip
    await session.delete(row)


async def ensure_projection(
    session: AsyncSession, ctx: TrackerContext, calendar: Calendar, series: str, ordinal: int, now: datetime
) -> None:
    """Materialise (or move) the projected row of an occurrence nothing dates; an unprojectable one is left
    out. The row keeps the projection's history (and its events) for the deadlines hanging on it."""
    row = await session.get(CalendarOccurrence, (series, ordinal))
    known = calendar.known(series, ordinal)
    if known is not None:
        if row is not None and row.state == "projected":
            await _drop_stale_projection(session, row, known, now)
        return
    if row is not None and row.state != "projected":
        return
    projection = calendar.occurrence(series, ordinal)
    if projection is None:
        return
    if row is not None and (row.start, row.end, row.place) == (projection.start, projection.end, projection.place):
        return
    previous = row.start if row is not None else None
    if row is None:
        row = CalendarOccurrence(series=series, ordinal=ordinal, state="projected")
        session.add(row)
    row.start, row.end, row.place, row.updated_at = projection.start, projection.end, projection.place, now
    await _record_change(session, ctx, row, previous_start=previous, actor=None, note="projected", now=now)
