"""HTTP routes for the institutional calendar: occurrences (known and projected), series, admin confirmation."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from resolute.shared.pagination import DEFAULT_LIMIT, Keyset
from resolute.shared.web.dependencies import SessionDep
from resolute.shared.web.identity import caller_from
from resolute.shared.web.problems import PROBLEM_RESPONSES, ProblemError
from resolute.tracker.access import require_role
from resolute.tracker.calendar.models import CalendarOccurrence, CalendarOccurrenceChange
from resolute.tracker.calendar.projection import Occurrence
from resolute.tracker.calendar.schemas import (
    OccurrenceChangeOut,
    OccurrenceDetail,
    OccurrenceIn,
    OccurrenceOut,
    OccurrencePage,
    SeriesList,
    SeriesOut,
)
from resolute.tracker.calendar.service import OccurrenceInput, confirm_occurrence, load_calendar
from resolute.tracker.commitments.models import Commitment
from resolute.tracker.parameters import ContextDep, LimitQuery, SlugQuery

router = APIRouter(tags=["calendar"], responses=PROBLEM_RESPONSES)

SeriesPath = Annotated[str, Path(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=60)]
OrdinalPath = Annotated[int, Path(ge=1, le=9999, description="the occurrence's number; a year for unnumbered series")]
_OCCURRENCES = Keyset(
    (CalendarOccurrence.start, False), (CalendarOccurrence.series, False), (CalendarOccurrence.ordinal, False)
)


async def _deadline_counts(session: AsyncSession, keys: list[tuple[str, int]]) -> dict[tuple[str, int], int]:
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


def _out(row: CalendarOccurrence | Occurrence, names: dict[str, str], deadlines: int) -> OccurrenceOut:
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


@router.get(
    "/calendar/occurrences", response_model=OccurrencePage, summary="Institutional events, confirmed and projected"
)
async def list_occurrences(
    session: SessionDep,
    ctx: ContextDep,
    series: SlugQuery = None,
    state: Annotated[str | None, Query(pattern=r"^(learnt|confirmed|projected)$")] = None,
    from_: Annotated[date | None, Query(alias="from")] = None,
    to: date | None = None,
    cursor: str | None = None,
    limit: LimitQuery = DEFAULT_LIMIT,
) -> OccurrencePage:
    query = select(CalendarOccurrence)
    if series:
        query = query.where(CalendarOccurrence.series == series)
    if state:
        query = query.where(CalendarOccurrence.state == state)
    if from_:
        query = query.where(CalendarOccurrence.start >= from_)
    if to:
        query = query.where(CalendarOccurrence.start <= to)
    rows, next_cursor = _OCCURRENCES.page(
        (await session.scalars(_OCCURRENCES.apply(query, cursor, limit))).all(), limit
    )
    registry = (await ctx.directory.current(session)).registry
    names = {s.id: s.name for s in registry.series}
    counts = await _deadline_counts(session, [(r.series, r.ordinal) for r in rows])
    return OccurrencePage(
        items=[_out(r, names, counts.get((r.series, r.ordinal), 0)) for r in rows], next_cursor=next_cursor
    )


@router.get("/calendar/series", response_model=SeriesList, summary="Calendar series and their next occurrence")
async def list_series(session: SessionDep, ctx: ContextDep) -> SeriesList:
    registry = (await ctx.directory.current(session)).registry
    calendar = await load_calendar(session, registry)
    today = ctx.clock.now().date()
    names = {s.id: s.name for s in registry.series}
    unscheduled = dict(
        (
            await session.execute(
                select(Commitment.deadline_series, func.count())
                .where(
                    Commitment.deadline_series.is_not(None),
                    Commitment.due_date.is_(None),
                    Commitment.withdrawn_at.is_(None),
                )
                .group_by(Commitment.deadline_series)
            )
        ).all()
    )
    items = []
    for series in registry.series:
        following = calendar.next_after(series.id, today)
        items.append(
            SeriesOut(
                id=series.id,
                name=series.name,
                body=series.body,
                cadence=series.cadence,
                numbered=series.numbered,
                known=sum(1 for s, _ in calendar.known if s == series.id),
                next=_out(following, names, 0) if following is not None else None,
                unscheduled_deadlines=int(unscheduled.get(series.id, 0)),
            )
        )
    return SeriesList(items=items)


async def _detail(session: AsyncSession, ctx: ContextDep, series: str, ordinal: int) -> OccurrenceDetail:
    registry = (await ctx.directory.current(session)).registry
    names = {s.id: s.name for s in registry.series}
    row: CalendarOccurrence | Occurrence | None = await session.get(CalendarOccurrence, (series, ordinal))
    if row is None:
        row = (await load_calendar(session, registry)).occurrence(series, ordinal)
    if row is None:
        raise ProblemError(404, f"nothing is known or can be projected of {series} {ordinal}", kind="not-found")
    counts = await _deadline_counts(session, [(series, ordinal)])
    changes = (
        await session.scalars(
            select(CalendarOccurrenceChange)
            .where(CalendarOccurrenceChange.series == series, CalendarOccurrenceChange.ordinal == ordinal)
            .order_by(CalendarOccurrenceChange.id)
        )
    ).all()
    out = _out(row, names, counts.get((series, ordinal), 0))
    return OccurrenceDetail(**out.model_dump(), history=[OccurrenceChangeOut.model_validate(c) for c in changes])


@router.get(
    "/calendar/occurrences/{series}/{ordinal}",
    response_model=OccurrenceDetail,
    summary="One occurrence (known or projected) with its history",
)
async def get_occurrence(
    series: SeriesPath, ordinal: OrdinalPath, session: SessionDep, ctx: ContextDep
) -> OccurrenceDetail:
    return await _detail(session, ctx, series, ordinal)


@router.put(
    "/calendar/occurrences/{series}/{ordinal}",
    response_model=OccurrenceDetail,
    summary="Admin: confirm when and where an occurrence meets; deadlines hanging on it are re-scheduled",
)
async def put_occurrence(
    series: SeriesPath,
    ordinal: OrdinalPath,
    body: OccurrenceIn,
    request: Request,
    session: SessionDep,
    ctx: ContextDep,
) -> OccurrenceDetail:
    caller = caller_from(request)
    require_role(caller)
    async with session.begin():
        registry = (await ctx.directory.current(session)).registry
        known = registry.series_by_id(series)
        if known is None:
            raise ProblemError(
                422,
                f"no calendar series {series!r}; known: {', '.join(s.id for s in registry.series)}",
                kind="validation",
                title="Invalid request",
            )
        if not known.numbered and body.start.year != ordinal:
            raise ProblemError(
                422,
                f"{series} is numbered by year: occurrence {ordinal} must start in {ordinal}",
                kind="validation",
                title="Invalid request",
            )
        given = OccurrenceInput(body.start, body.end, body.place)
        await confirm_occurrence(session, ctx, series, ordinal, given, actor=caller.principal, now=ctx.clock.now())
    return await _detail(session, ctx, series, ordinal)
