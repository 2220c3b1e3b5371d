"""Scorecard bodies: counts per country or ministry."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


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
    country: str
    name: str | None


class MinistryScore(Score):
    country: str
    ministry: str
    name: str | None


class BodyScore(Score):
    body: str
    name: str | None


class CountryScorecard(BaseModel):
    as_of: date
    items: list[CountryScore]
    bodies: list[BodyScore]


class MinistryScorecard(BaseModel):
    as_of: date
    items: list[MinistryScore]
