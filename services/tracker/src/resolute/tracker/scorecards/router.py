"""HTTP routes for scorecards: per country (and body), per ministry; filters and `as_of`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from resolute.shared.api.routes import route
from resolute.shared.api.scorecards import (
    CountryScorecard,
    CountryScorecardQuery,
    MinistryScorecard,
    MinistryScorecardQuery,
)
from resolute.shared.web.dependencies import SessionDep
from resolute.shared.web.problems import PROBLEM_RESPONSES
from resolute.shared.web.routing import serve
from resolute.tracker.parameters import ContextDep, reading
from resolute.tracker.scorecards import queries

router = APIRouter(tags=["scorecards"], responses=PROBLEM_RESPONSES)


@serve(router, route("country_scorecard"))
async def country_scorecard(
    query: Annotated[CountryScorecardQuery, Query()], session: SessionDep, ctx: ContextDep
) -> CountryScorecard:
    return await queries.country_scorecard(session, query, await reading(session, ctx, query.as_of))


@serve(router, route("ministry_scorecard"))
async def ministry_scorecard(
    query: Annotated[MinistryScorecardQuery, Query()], session: SessionDep, ctx: ContextDep
) -> MinistryScorecard:
    return await queries.ministry_scorecard(session, query, await reading(session, ctx, query.as_of))
