"""HTTP routes for scorecards: per country (and body), per ministry; filters and `as_of`."""

from __future__ import annotations

from fastapi import APIRouter

from resolute.shared.web.dependencies import SessionDep
from resolute.shared.web.problems import PROBLEM_RESPONSES
from resolute.tracker.parameters import AsOfQuery, ContextDep, CountryQuery, SlugQuery, today_for
from resolute.tracker.scorecards.schemas import (
    BodyScore,
    CountryScore,
    CountryScorecard,
    MinistryScore,
    MinistryScorecard,
)
from resolute.tracker.scorecards.service import tally

router = APIRouter(tags=["scorecards"], responses=PROBLEM_RESPONSES)


@router.get(
    "/scorecards/countries", response_model=CountryScorecard, summary="Per country (and per body): how far they got"
)
async def country_scorecard(
    session: SessionDep,
    ctx: ContextDep,
    as_of: AsOfQuery,
    document_id: str | None = None,
    policy_area: SlugQuery = None,
) -> CountryScorecard:
    today = today_for(ctx, as_of)
    registry = (await ctx.directory.current(session)).registry
    countries = await tally(
        session, ("country",), as_of=as_of, today=today, document_id=document_id, policy_area=policy_area
    )
    bodies = await tally(
        session, ("body",), as_of=as_of, today=today, document_id=document_id, policy_area=policy_area, bodies=True
    )
    items = []
    for (code,), entry in sorted(countries.items()):
        known = registry.country(code)
        items.append(CountryScore(country=code, name=known.name if known else None, **entry.as_dict()))
    body_items = []
    for (body,), entry in sorted(bodies.items()):
        found = registry.body(body)
        body_items.append(BodyScore(body=body, name=found.name if found else None, **entry.as_dict()))
    return CountryScorecard(as_of=today, items=items, bodies=body_items)


@router.get("/scorecards/ministries", response_model=MinistryScorecard, summary="Per ministry: how far they got")
async def ministry_scorecard(
    session: SessionDep,
    ctx: ContextDep,
    as_of: AsOfQuery,
    country: CountryQuery = None,
    document_id: str | None = None,
    policy_area: SlugQuery = None,
) -> MinistryScorecard:
    today = today_for(ctx, as_of)
    registry = (await ctx.directory.current(session)).registry
    tallies = await tally(
        session,
        ("country", "ministry"),
        as_of=as_of,
        today=today,
        country=country,
        document_id=document_id,
        policy_area=policy_area,
    )
    items = []
    for (code, ministry), entry in sorted(tallies.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        known = registry.country(code)
        found = known.ministry(ministry) if known is not None and ministry else None
        items.append(
            MinistryScore(country=code, ministry=ministry or "", name=found.name if found else None, **entry.as_dict())
        )
    return MinistryScorecard(as_of=today, items=items)
