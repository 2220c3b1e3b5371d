"""What extraction finds, shaped exactly like the `resolute extract --json` contract."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class MinistryRef(BaseModel):
    country: str
    ministry: str


class Deadline(BaseModel):
    verbatim: str
    kind: Literal["date", "month", "year", "event", "recurring"]
    series: str | None = None
    ordinal: int | str | None = None
    date: str | None = None
    year: int | None = None
    every: str | None = None


class CalendarFact(BaseModel):
    series: str
    ordinal: int | None = None
    start: str | None = None
    end: str | None = None
    place: str | None = None


class ExtractedCommitment(BaseModel):
    label: str | None = None
    section: str | None = None
    text: str
    span: tuple[int, int]
    countries: list[str] = Field(default_factory=list)
    bodies: list[str] = Field(default_factory=list)
    ministries: list[MinistryRef] = Field(default_factory=list)
    policy_area: str | None = None
    deadline: Deadline | None = None


class ExtractedDocument(BaseModel):
    source: str
    title: str | None = None
    kind: str = "other"
    issuing_body: str | None = None
    number: int | str | None = None
    session: int | None = None
    adopted: str | None = None
    place: str | None = None
    addressees: list[str] = Field(default_factory=list)
    commitments: list[ExtractedCommitment] = Field(default_factory=list)
    calendar_facts: list[CalendarFact] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
