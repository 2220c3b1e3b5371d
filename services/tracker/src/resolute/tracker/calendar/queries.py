"""Reading the institutional calendar: occurrences (known and projected) with the deadlines hanging on each,
the series with their next occurrence, one occurrence with its history."""

from __future__ import annotations

from dataclasses import dataclass
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
    ShippedOccurrenceOut,
)
from resolute.shared.pagination import decode_cursor, encode_cursor
from resolute.shared.web.problems import ProblemError
from resolute.tracker.calendar.models import CalendarOccurrence, CalendarOccurrenceChange
from resolute.tracker.calendar.projection import Calendar, Occurrence
from resolute.tracker.calendar.service import load_calendar
from resolute.tracker.commitments.models import Commitment


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


@dataclass(frozen=True)
class _Listed:
    """One occurrence as the calendar dates it, with the tracker's own row when it has one."""

    occurrence: Occurrence
    row: CalendarOccurrence | None

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.occurrence.start.isoformat(), self.occurrence.series, self.occurrence.ordinal)


def occurrence_out(
    occurrence: Occurrence, row: CalendarOccurrence | None, calendar: Calendar, names: dict[str, str], deadlines: int
) -> OccurrenceOut:
    """The occurrence as the API shows it: its date and how sure that is, the shipped row's source, and a
    document's disagreement with the shipped history."""
    shipped = calendar.shipped(occurrence.series, occurrence.ordinal)
    from_history = occurrence.state in ("held", "announced") and shipped is not None
    return OccurrenceOut(
        series=occurrence.series,
        series_name=names.get(occurrence.series),
        ordinal=occurrence.ordinal,
        start=occurrence.start,
        end=occurrence.end,
        place=occurrence.place,
        state=occurrence.state,  # type: ignore[arg-type]
        projected=occurrence.projected,
        uncertainty_days=occurrence.uncertainty_days,
        confidence=occurrence.confidence,
        basis=list(occurrence.basis),
        basis_series=occurrence.basis_series,
        source=shipped.source if from_history and shipped is not None else None,
        note=shipped.note if from_history and shipped is not None else None,
        shipped=(
            ShippedOccurrenceOut(
                start=shipped.start, end=shipped.end, place=shipped.place, status=shipped.status, source=shipped.source
            )
            if shipped is not None and not from_history
            else None
        ),
        conflict=calendar.conflict(occurrence.series, occurrence.ordinal) is not None,
        source_document_id=row.source_document_id if row is not None else None,
        confirmed_by=row.confirmed_by if row is not None else None,
        confirmed_at=row.confirmed_at if row is not None else None,
        deadlines=deadlines,
    )


def _series_names(registry: ActorRegistry) -> dict[str, str]:
    return {s.id: s.name for s in registry.series}


def _wanted(listed: _Listed, query: OccurrenceQuery, calendar: Calendar) -> bool:
    occurrence = listed.occurrence
    if query.state and occurrence.state != query.state:
        return False
    if query.from_ and occurrence.start < query.from_:
        return False
    if query.to and occurrence.start > query.to:
        return False
    if query.conflict is not None:
        return (calendar.conflict(occurrence.series, occurrence.ordinal) is not None) == query.conflict
    return True


def _after(cursor: str | None) -> tuple[str, str, int] | None:
    position = decode_cursor(cursor)
    if position is None:
        return None
    raw = position.get("k")
    if not isinstance(raw, list) or len(raw) != 3:
        raise ProblemError(400, "the cursor does not belong to this list", kind="bad-cursor")
    try:
        return (date.fromisoformat(str(raw[0])).isoformat(), str(raw[1]), int(raw[2]))
    except (TypeError, ValueError) as exc:
        raise ProblemError(400, "the cursor does not belong to this list", kind="bad-cursor") from exc


async def occurrence_page(session: AsyncSession, query: OccurrenceQuery, registry: ActorRegistry) -> OccurrencePage:
    """Every dated occurrence (shipped, learnt, confirmed) and every projected one deadlines hang on, earliest
    first. The shipped history is a few hundred rows: merged, filtered and paged here rather than in SQL."""
    calendar = await load_calendar(session, registry)
    statement = select(CalendarOccurrence)
    if query.series:
        statement = statement.where(CalendarOccurrence.series == query.series)
    rows = {(r.series, r.ordinal): r for r in (await session.scalars(statement)).all()}
    series_ids = [query.series] if query.series else list(calendar.series)
    keys = {(s, k) for s in series_ids for k in calendar.known_ordinals(s)} | set(rows)
    listed: list[_Listed] = []
    for series, ordinal in keys:
        occurrence = calendar.occurrence(series, ordinal)
        if occurrence is not None:
            listed.append(_Listed(occurrence, rows.get((series, ordinal))))
    after = _after(query.cursor)
    chosen = sorted(
        (item for item in listed if _wanted(item, query, calendar) and (after is None or item.key > after)),
        key=lambda item: item.key,
    )
    page = chosen[: query.limit]
    next_cursor = encode_cursor({"k": list(page[-1].key)}) if len(chosen) > query.limit else None
    names = _series_names(registry)
    counts = await deadline_counts(session, [(i.occurrence.series, i.occurrence.ordinal) for i in page])
    return OccurrencePage(
        items=[
            occurrence_out(
                i.occurrence, i.row, calendar, names, counts.get((i.occurrence.series, i.occurrence.ordinal), 0)
            )
            for i in page
        ],
        next_cursor=next_cursor,
    )


def _series_out(
    series: EventSeries, names: dict[str, str], calendar: Calendar, today: date, unscheduled: int
) -> SeriesOut:
    dated = calendar.dated(series.id)
    states = [o.state for o in dated]
    last = calendar.last_before(series.id, today)
    following = calendar.next_after(series.id, today)
    return SeriesOut(
        id=series.id,
        name=series.name,
        body=series.body,
        cadence=series.cadence,
        cadence_source=series.cadence_source,
        numbered=series.numbered,
        known=len(dated),
        shipped=sum(1 for o in series.occurrences if not o.extraordinary),
        learnt=states.count("learnt"),
        confirmed=states.count("confirmed"),
        conflicts=sum(1 for o in dated if calendar.conflict(series.id, o.ordinal) is not None),
        last=occurrence_out(last, None, calendar, names, 0) if last is not None else None,
        next=occurrence_out(following, None, calendar, names, 0) if following is not None else None,
        unscheduled_deadlines=unscheduled,
    )


async def series_list(session: AsyncSession, registry: ActorRegistry, today: date) -> SeriesList:
    """Every series of the registry, with what the calendar knows of it and its last and next occurrence."""
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
    calendar = await load_calendar(session, registry)
    row = await session.get(CalendarOccurrence, (series, ordinal))
    occurrence = calendar.occurrence(series, ordinal)
    if occurrence is None:
        raise ProblemError(404, f"nothing is known or can be projected of {series} {ordinal}", kind="not-found")
    counts = await deadline_counts(session, [(series, ordinal)])
    changes = (
        await session.scalars(
            select(CalendarOccurrenceChange)
            .where(CalendarOccurrenceChange.series == series, CalendarOccurrenceChange.ordinal == ordinal)
            .order_by(CalendarOccurrenceChange.id)
        )
    ).all()
    out = occurrence_out(occurrence, row, calendar, _series_names(registry), counts.get((series, ordinal), 0))
    return OccurrenceDetail(**out.model_dump(), history=[OccurrenceChangeOut.model_validate(c) for c in changes])
