"""HTTP routes for the institutional calendar: occurrences (known and projected), series, admin confirmation.
Each handler is bound to its entry of the public route table."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from resolute.shared.api.calendar import OccurrenceDetail, OccurrenceIn, OccurrencePage, OccurrenceQuery, SeriesList
from resolute.shared.api.paths import OrdinalPath, SeriesPath
from resolute.shared.api.routes import route
from resolute.shared.web.dependencies import SessionDep
from resolute.shared.web.identity import caller_from
from resolute.shared.web.problems import PROBLEM_RESPONSES
from resolute.shared.web.routing import serve
from resolute.tracker import commands
from resolute.tracker.calendar import queries
from resolute.tracker.calendar.service import OccurrenceInput
from resolute.tracker.parameters import ContextDep

router = APIRouter(tags=["calendar"], responses=PROBLEM_RESPONSES)


@serve(router, route("list_occurrences"))
async def list_occurrences(
    query: Annotated[OccurrenceQuery, Query()], session: SessionDep, ctx: ContextDep
) -> OccurrencePage:
    registry = (await ctx.directory.current(session)).registry
    return await queries.occurrence_page(session, query, registry)


@serve(router, route("list_series"))
async def list_series(session: SessionDep, ctx: ContextDep) -> SeriesList:
    registry = (await ctx.directory.current(session)).registry
    return await queries.series_list(session, registry, ctx.clock.now().date())


@serve(router, route("get_occurrence"))
async def get_occurrence(
    series: SeriesPath, ordinal: OrdinalPath, session: SessionDep, ctx: ContextDep
) -> OccurrenceDetail:
    registry = (await ctx.directory.current(session)).registry
    return await queries.occurrence_detail(session, series, ordinal, registry)


@serve(router, route("confirm_occurrence"))
async def confirm_occurrence(
    series: SeriesPath, ordinal: OrdinalPath, body: OccurrenceIn, request: Request, session: SessionDep, ctx: ContextDep
) -> OccurrenceDetail:
    given = OccurrenceInput(body.start, body.end, body.place)
    async with session.begin():
        await commands.confirm_occurrence(session, ctx, series, ordinal, given, caller_from(request), ctx.clock.now())
    registry = (await ctx.directory.current(session)).registry
    return await queries.occurrence_detail(session, series, ordinal, registry)
