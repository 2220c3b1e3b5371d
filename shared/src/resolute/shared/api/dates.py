"""Dates the public API takes in: written as ISO 8601 text and within the years a resolution, a meeting or a
report can concern. Pydantic alone would read `0` as 1970-01-01 and take 0001-01-01 or 9999-12-31, which
later overflow date arithmetic in the services (a 500) or match nothing; both are a 422 here instead."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator

#: the range every date in (a query's bound, a meeting's day, an `as_of`) must lie in
EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)


def _written_as_text(value: Any) -> Any:
    if isinstance(value, int | float):  # bool is an int too
        raise ValueError("a date is written YYYY-MM-DD, not as a number")
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        raise ValueError(f"{value!r} is not a date: write it YYYY-MM-DD")
    return value


def in_range(day: date) -> None:
    """Refuse a day outside EARLIEST..LATEST, saying which range holds."""
    if not EARLIEST <= day <= LATEST:
        raise ValueError(f"{day.isoformat()} is outside the dates this API takes ({EARLIEST} to {LATEST})")


def _sane_date(value: date) -> date:
    in_range(value.date() if isinstance(value, datetime) else value)
    return value


#: a calendar day given to the API (query bound or body field)
ApiDate = Annotated[date, BeforeValidator(_written_as_text), AfterValidator(_sane_date)]
