"""Reading the institutional calendar: occurrences (known and projected) with the deadlines hanging on each,
the series with their next occurrence, one occurrence with its history."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from resolute.shared.actors import ActorRegistry, EventSeries
from resolute.shared.api.calendar import (
    OccurrenceChangeOut,
    OccurrenceDetail,
    OccurrenceOut,
    OccurrencePage,
    OccurrenceQuery,
    SeriesList,
    SeriesOut,
)
from resolute.shared.pagination import Keyset
from resolute.shared.web.problems import ProblemError
from resolute.tracker.calendar.models import CalendarOccurrence, CalendarOccurrenceChange
from resolute.tracker.calendar.projection import Calendar, Occurrence
from resolute.tracker.calendar.service import load_calendar
from resolute.tracker.commitments.models import Commitment

_OCCURRENCES = Keyset(
    (CalendarOccurrence.start, False), (CalendarOccurrence.series, False), (CalendarOccurrence.ordinal, False)
)


async def deadline_counts(session: AsyncSession, keys: list[tuple[str, int]]) -> dict[tuple[str, int], int]:
    """How many standing commitments' deadlines hang on each (series, ordinal)."""
    if not keys:
        return {}
    rows = await session.execute(
        select(Commitment.deadline_series, Commitment.deadline_ordinal, func.count())
        .where(
            Commitment.deadline_series.in_({s for s, _ in keys}),
            Commitment.deadline_ordinal.in_({o for _, o in keys}),
            Commitment.withdrawn_at.is_(None),
        )
        .group_by(Commitment.deadline_series, Commitment.deadline_ordinal)
    )
    return {(str(s), int(o or 0)): int(n) for s, o, n in rows.all()}


def occurrence_out(row: CalendarOccurrence | Occurrence, names: dict[str, str], deadlines: int) -> OccurrenceOut:
    return OccurrenceOut(
        series=row.series,
        series_name=names.get(row.series),
        ordinal=row.ordinal,
        start=row.start,
        end=row.end,
        place=row.place,
        state=row.state,  # type: ignore[arg-type]
        projected=row.state == "projected",
        source_document_id=getattr(row, "source_document_id", None),
        confirmed_by=getattr(row, "confirmed_by", None),
        confirmed_at=getattr(row, "confirmed_at", None),
        deadlines=deadlines,
    )


def _series_names(registry: ActorRegistry) -> dict[str, str]:
    return {s.id: s.name for s in registry.series}


async def occurrence_page(session: AsyncSession, query: OccurrenceQuery, registry: ActorRegistry) -> OccurrencePage:
    statement = select(CalendarOccurrence)
    if query.series:
        statement = statement.where(CalendarOccurrence.series == query.series)
    if query.state:
        statement = statement.where(CalendarOccurrence.state == query.state)
    if query.from_:
        statement = statement.where(CalendarOccurrence.start >= query.from_)
    if query.to:
        statement = statement.where(CalendarOccurrence.start <= query.to)
    rows, next_cursor = _OCCURRENCES.page(
        (await session.scalars(_OCCURRENCES.apply(statement, query.cursor, query.limit))).all(), query.limit
    )
    names = _series_names(registry)
    counts = await deadline_counts(session, [(r.series, r.ordinal) for r in rows])
    return OccurrencePage(
        items=[occurrence_out(r, names, counts.get((r.series, r.ordinal), 0)) for r in rows], next_cursor=next_cursor
    )


def _series_out(
    series: EventSeries, names: dict[str, str], calendar: Calendar, today: date, unscheduled: int
) -> SeriesOut:
    following = calendar.next_after(series.id, today)
    return SeriesOut(
        id=series.id,
        name=series.name,
        body=series.body,
        cadence=series.cadence,
        numbered=series.numbered,
        known=sum(1 for s, _ in calendar.known if s == series.id),
        next=occurrence_out(following, names, 0) if following is not None else None,
        unscheduled_deadlines=unscheduled,
    )


async def series_list(session: AsyncSession, registry: ActorRegistry, today: date) -> SeriesList:
    """Every series of the registry, with what the calendar knows of it and its next occurrence after today."""
    calendar = await load_calendar(session, registry)
    waiting = (
        select(Commitment.deadline_series, func.count())
        .where(
            Commitment.deadline_series.is_not(None), Commitment.due_date.is_(None), Commitment.withdrawn_at.is_(None)
        )
        .group_by(Commitment.deadline_series)
    )
    unscheduled = {str(series): int(n) for series, n in (await session.execute(waiting)).all()}
    names = _series_names(registry)
    return SeriesList(items=[_series_out(s, names, calendar, today, unscheduled.get(s.id, 0)) for s in registry.series])


async def occurrence_detail(
    session: AsyncSession, series: str, ordinal: int, registry: ActorRegistry
) -> OccurrenceDetail:
    """One occurrence (known, or projected now) with every change to it, oldest first."""
    row: CalendarOccurrence | Occurrence | None = await session.get(CalendarOccurrence, (series, ordinal))
    if row is None:
        row = (await load_calendar(session, registry)).occurrence(series, ordinal)
    if row is None:
        raise ProblemError(404, f"nothing is known or can be projected of {series} {ordinal}", kind="not-found")
    counts = await deadline_counts(session, [(series, ordinal)])
    changes = (
        await session.scalars(
            select(CalendarOccurrenceChange)
            .where(CalendarOccurrenceChange.series == series, CalendarOccurrenceChange.ordinal == ordinal)
            .order_by(CalendarOccurrenceChange.id)
        )
    ).all()
    out = occurrence_out(row, _series_names(registry), counts.get((series, ordinal), 0))
    return OccurrenceDetail(**out.model_dump(), history=[OccurrenceChangeOut.model_validate(c) for c in changes])
