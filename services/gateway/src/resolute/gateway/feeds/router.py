"""/v1/feeds/deadlines: iCalendar feeds of a country's or a ministry's deadlines, for calendar clients.

A calendar client cannot send headers, so these routes also take a feed token (`?token=`, reads feeds
only) or an API key (`?key=`) in the URL. The feed walks the tracker's deadlines to the end; a weak ETag
over its content lets clients poll cheaply (304 when nothing changed).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response

from resolute.gateway.api_keys.scopes import Principal
from resolute.gateway.auth.dependencies import FeedReaderDep
from resolute.gateway.feeds.calendar import FeedTitle, deadline_calendar, feed_version
from resolute.gateway.feeds.schemas import DeadlineFeedQuery
from resolute.gateway.public_routes import ITEM_PROBLEMS, upstream
from resolute.gateway.state import gateway_state
from resolute.gateway.upstreams.client import fetch_json
from resolute.shared.api.deadlines import DeadlineItem
from resolute.shared.clock import utcnow
from resolute.shared.pagination import MAX_LIMIT
from resolute.shared.web.problems import ProblemError

router = APIRouter(prefix="/v1/feeds/deadlines", tags=["feeds"])

CALENDAR_MEDIA_TYPE = "text/calendar"
DEFAULT_LOOKBACK = timedelta(days=366)
CountryPath = Annotated[str, Path(pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2", examples=["EE"])]
MinistryPath = Annotated[
    str, Path(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=60, description="portfolio slug", examples=["defence"])
]
FEED_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "An iCalendar (RFC 5545) document: one all-day VEVENT per assignment's deadline",
        "content": {CALENDAR_MEDIA_TYPE: {"schema": {"type": "string"}}},
    },
    304: {"description": "Not modified: the feed still has the ETag given in `If-None-Match`"},
    **ITEM_PROBLEMS,
}


async def _country(request: Request, principal: Principal, code: str) -> dict[str, Any]:
    """The country as the tracker's actor registry has it; 404 for one it does not know."""
    registry = await fetch_json(request, upstream(request, "tracker"), "/actors", principal, country=code)
    for country in registry["countries"]:
        if country["code"] == code:
            return country  # type: ignore[no-any-return]
    raise ProblemError(404, f"there is no country '{code}' in the actor registry", kind="not-found")


async def _deadlines(request: Request, principal: Principal, params: dict[str, Any]) -> list[DeadlineItem]:
    """Every page of the tracker's deadlines for these filters."""
    items: list[DeadlineItem] = []
    cursor: str | None = None
    while True:
        page = await fetch_json(
            request,
            upstream(request, "tracker"),
            "/deadlines",
            principal,
            **params,
            limit=MAX_LIMIT,
            **({"cursor": cursor} if cursor else {}),
        )
        items.extend(DeadlineItem.model_validate(item) for item in page["items"])
        cursor = page.get("next_cursor")
        if not cursor:
            return items


async def _feed(
    request: Request, principal: Principal, query: DeadlineFeedQuery, title: FeedTitle, owner: dict[str, str]
) -> Response:
    params = {**query.forwarded(), **owner}
    if query.from_ is None:
        # the default window: the past year too (a projected date that passed unconfirmed stays in sight),
        # and whatever is still overdue from before it
        today = gateway_state(request).clock.now().date()
        items = await _deadlines(request, principal, {**params, "overdue": "true"})
        items += await _deadlines(request, principal, {**params, "from": (today - DEFAULT_LOOKBACK).isoformat()})
    else:
        items = await _deadlines(request, principal, params)
    etag = f'W/"{feed_version(title, items)}"'
    headers = {"ETag": etag, "Cache-Control": "private, max-age=300"}
    if etag in {tag.strip() for tag in request.headers.get("if-none-match", "").split(",")}:
        return Response(status_code=304, headers=headers)
    calendar = deadline_calendar(items, title=title, link_base=str(request.base_url).rstrip("/"), stamp=utcnow())
    filename = title.uid.split("@", 1)[0]
    return Response(
        content=calendar.to_ical(),
        media_type=f"{CALENDAR_MEDIA_TYPE}; charset=utf-8",
        headers={**headers, "Content-Disposition": f'inline; filename="{filename}.ics"'},
    )


@router.get(
    "/countries/{country}.ics",
    response_class=Response,
    responses=FEED_RESPONSES,
    summary="A country's deadlines as a calendar feed (auth: header, `?token=` feed token or `?key=`)",
)
async def country_feed(
    country: CountryPath, query: Annotated[DeadlineFeedQuery, Query()], request: Request, principal: FeedReaderDep
) -> Response:
    code = country.upper()
    found = await _country(request, principal, code)
    title = FeedTitle(
        name=f"Resolute: deadlines of {found['name']}",
        description=f"Commitments' deadlines assigned to {found['name']} ({code}), from Resolute",
        uid=f"resolute-deadlines-{code}@resolute",
    )
    return await _feed(request, principal, query, title, {"country": code})


@router.get(
    "/ministries/{country}/{ministry}.ics",
    response_class=Response,
    responses=FEED_RESPONSES,
    summary="A ministry's deadlines as a calendar feed (auth: header, `?token=` feed token or `?key=`)",
)
async def ministry_feed(
    country: CountryPath,
    ministry: MinistryPath,
    query: Annotated[DeadlineFeedQuery, Query()],
    request: Request,
    principal: FeedReaderDep,
) -> Response:
    code = country.upper()
    found = await _country(request, principal, code)
    known = {m["id"]: m for m in found.get("ministries", [])}
    if ministry not in known:
        raise ProblemError(404, f"{found['name']} has no ministry '{ministry}' in the actor registry", kind="not-found")
    name = known[ministry].get("name") or ministry
    title = FeedTitle(
        name=f"Resolute: deadlines of {name} ({code})",
        description=f"Commitments' deadlines assigned to {name}, {found['name']}, from Resolute",
        uid=f"resolute-deadlines-{code}-{ministry}@resolute",
    )
    return await _feed(request, principal, query, title, {"country": code, "ministry": ministry})
