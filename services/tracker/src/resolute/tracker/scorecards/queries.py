"""Scorecards: assignments counted per country, ministry or body, now or as they stood at a past date."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from resolute.shared.api.scorecards import (
    BodyScore,
    CountryScore,
    CountryScorecard,
    CountryScorecardQuery,
    MinistryScore,
    MinistryScorecard,
    MinistryScorecardQuery,
)
from resolute.shared.events.catalogue import ASSIGNMENT_STATUSES
from resolute.tracker.assignments.views import assignment_state, is_open, is_overdue
from resolute.tracker.commitments.models import Commitment
from resolute.tracker.context import Reading


@dataclass
class Tally:
    assignments: int = 0
    by_status: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ASSIGNMENT_STATUSES, 0))
    overdue: int = 0
    due_soon: int = 0
    verified: int = 0
    disputed: int = 0
    pending: int = 0

    @property
    def completion_rate(self) -> float:
        standing = self.assignments - self.by_status.get("superseded", 0)
        return round(self.by_status.get("completed", 0) / standing, 4) if standing > 0 else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "assignments": self.assignments,
            "by_status": self.by_status,
            "overdue": self.overdue,
            "due_within_30_days": self.due_soon,
            "verified": self.verified,
            "disputed": self.disputed,
            "pending_verification": self.pending,
            "completion_rate": self.completion_rate,
        }


def _count(condition: ColumnElement[bool]) -> Any:
    return func.sum(case((condition, 1), else_=0))


async def tally(
    session: AsyncSession,
    group_by: Sequence[str],
    *,
    as_of: datetime | None,
    today: date,
    country: str | None = None,
    document_id: str | None = None,
    policy_area: str | None = None,
    bodies: bool = False,
) -> dict[tuple[Any, ...], Tally]:
    """One Tally per group (e.g. ("country",) or ("country", "ministry")), in one aggregate query."""
    state = assignment_state(as_of)
    keys = [state.c[name] for name in group_by]
    soon = and_(
        Commitment.due_date.is_not(None),
        Commitment.due_date >= today,
        Commitment.due_date <= today + timedelta(days=30),
        is_open(state),
    )
    query = (
        select(
            *keys,
            state.c.status,
            func.count(),
            _count(is_overdue(state, today)),
            _count(soon),
            _count(state.c.verification == "verified"),
            _count(state.c.verification == "disputed"),
            _count(state.c.verification == "pending"),
        )
        .join(Commitment, Commitment.id == state.c.commitment_id)
        .group_by(*keys, state.c.status)
    )
    query = query.where(state.c.body.is_not(None) if bodies else state.c.country.is_not(None))
    if country:
        query = query.where(state.c.country == country.upper())
    if document_id:
        query = query.where(Commitment.document_id == document_id)
    if policy_area:
        query = query.where(Commitment.policy_area == policy_area)
    result: dict[tuple[Any, ...], Tally] = {}
    for row in (await session.execute(query)).all():
        group = tuple(row[: len(keys)])
        status, count, overdue, soon_count, verified, disputed, pending = row[len(keys) :]
        entry = result.setdefault(group, Tally())
        entry.assignments += count
        entry.by_status[status] = entry.by_status.get(status, 0) + count
        entry.overdue += int(overdue or 0)
        entry.due_soon += int(soon_count or 0)
        entry.verified += int(verified or 0)
        entry.disputed += int(disputed or 0)
        entry.pending += int(pending or 0)
    return result


async def country_scorecard(session: AsyncSession, query: CountryScorecardQuery, at: Reading) -> CountryScorecard:
    """Every country (and every body) with assignments matching the query, by code."""
    registry, today, document_id, policy_area = at.registry, at.today, query.document_id, query.policy_area
    countries = await tally(
        session, ("country",), as_of=at.as_of, today=today, document_id=document_id, policy_area=policy_area
    )
    bodies = await tally(
        session, ("body",), as_of=at.as_of, today=today, document_id=document_id, policy_area=policy_area, bodies=True
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


async def ministry_scorecard(session: AsyncSession, query: MinistryScorecardQuery, at: Reading) -> MinistryScorecard:
    """Every ministry with assignments matching the query, by country and slug."""
    registry, today = at.registry, at.today
    tallies = await tally(
        session, ("country", "ministry"), as_of=at.as_of, today=today, country=query.country,
        document_id=query.document_id, policy_area=query.policy_area,
    )  # fmt: skip
    items = []
    for (code, ministry), entry in sorted(tallies.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        known = registry.country(code)
        found = known.ministry(ministry) if known is not None and ministry else None
        items.append(
            MinistryScore(country=code, ministry=ministry or "", name=found.name if found else None, **entry.as_dict())
        )
    return MinistryScorecard(as_of=today, items=items)
