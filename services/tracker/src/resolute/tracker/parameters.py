"""Query parameters the tracker's lists share: `as_of`, country codes, page size."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Annotated

from fastapi import Depends, Query, Request

from resolute.shared.pagination import MAX_LIMIT
from resolute.shared.web.problems import ProblemError
from resolute.tracker.context import TrackerContext

CountryQuery = Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2")]
LimitQuery = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
SlugQuery = Annotated[str | None, Query(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=60)]


def parse_as_of(value: str | None) -> datetime | None:
    """A date reads the record as it stood at the end of that day (UTC); a date-time, at that instant."""
    if value is None or value == "":
        return None
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), time.max, tzinfo=UTC)
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ProblemError(
            422, f"as_of: {value!r} is not an ISO date or date-time", kind="validation", title="Invalid request"
        ) from exc
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def as_of_param(
    as_of: Annotated[
        str | None,
        Query(
            description="read the records as they stood then: a date (end of that day, UTC) or an ISO date-time",
            examples=["2026-06-30", "2026-06-30T12:00:00Z"],
        ),
    ] = None,
) -> datetime | None:
    return parse_as_of(as_of)


AsOfQuery = Annotated[datetime | None, Depends(as_of_param)]


def tracker_context(request: Request) -> TrackerContext:
    return request.app.state.tracker  # type: ignore[no-any-return]


ContextDep = Annotated[TrackerContext, Depends(tracker_context)]


def today_for(ctx: TrackerContext, as_of: datetime | None) -> date:
    """'Today' for derived flags (overdue, due soon): the as_of date when reading the past."""
    return (as_of or ctx.clock.now()).date()
