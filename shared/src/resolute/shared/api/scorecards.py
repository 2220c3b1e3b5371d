"""Scorecards as the public API shows them (served by tracker): how far each country, body and ministry got."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from resolute.shared.api.commitments import AsOf, CountryCode, Id, Slug
from resolute.shared.api.lists import Filters


class Score(BaseModel):
    """How far one country (or ministry, or body) got: assignments by status, overdue ones, ones due soon."""

    assignments: int
    by_status: dict[str, int]
    overdue: int
    due_within_30_days: int = Field(description="open assignments due from today to 30 days ahead")
    verified: int
    disputed: int
    pending_verification: int
    completion_rate: float = Field(description="completed / (assignments - superseded), 0 when none")


class CountryScore(Score):
    """One country's score."""

    country: str
    name: str | None


class MinistryScore(Score):
    """One ministry's score."""

    country: str
    ministry: str
    name: str | None


class BodyScore(Score):
    """One body's score (assignments made to an assembly or organisation, not a country)."""

    body: str
    name: str | None


class CountryScorecard(BaseModel):
    """Every country and body, as of a day."""

    as_of: date
    items: list[CountryScore]
    bodies: list[BodyScore]


class MinistryScorecard(BaseModel):
    """Every ministry, as of a day."""

    as_of: date
    items: list[MinistryScore]


class CountryScorecardQuery(Filters):
    """`GET /v1/scorecards/countries`: count only one document's or one policy area's assignments, now or `as_of`."""

    document_id: Id | None = None
    policy_area: Slug | None = None
    as_of: AsOf = None


class MinistryScorecardQuery(CountryScorecardQuery):
    """`GET /v1/scorecards/ministries`: as for countries, and only one country's ministries."""

    country: CountryCode | None = None
