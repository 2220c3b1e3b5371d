"""Typed schema of the actor registry, so an edited registry is checked before anything uses it."""

from __future__ import annotations

import re
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

_SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_ISO_DURATION = re.compile(r"^P(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?$")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PolicyArea(_Frozen):
    """One term of the fixed policy-area vocabulary."""

    id: str = Field(pattern=_SLUG)
    name: str
    fallback: tuple[str, ...] = ()


class Ministry(_Frozen):
    """A ministry (or department) of one country, named by a portfolio slug unique in that country."""

    id: str = Field(pattern=_SLUG)
    name: str
    local_name: str | None = None
    part_of: str | None = None
    areas: tuple[str, ...] = ()


class Country(_Frozen):
    """A state that texts address, with the ministries that answer for its commitments."""

    code: str = Field(pattern=r"^[A-Z]{2}$")
    name: str
    official_name: str | None = None
    aliases: tuple[str, ...] = ()
    adjectives: tuple[str, ...] = ()
    capital: str | None = None
    capital_aliases: tuple[str, ...] = ()
    parliament: str | None = None
    default_lead: str | None = None
    ministries: tuple[Ministry, ...] = ()

    def ministry(self, ministry_id: str) -> Ministry | None:
        """The ministry with this portfolio slug, if the country has one."""
        return next((m for m in self.ministries if m.id == ministry_id), None)

    @model_validator(mode="after")
    def _check_ministries(self) -> Country:
        ids = [m.id for m in self.ministries]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"{self.code}: duplicate ministry ids {duplicates}")
        if self.default_lead is not None and self.default_lead not in ids:
            raise ValueError(f"{self.code}: default_lead {self.default_lead!r} is not one of its ministries")
        return self


class CountryGroup(_Frozen):
    """A named set of countries that a text may address as a whole ("the North Atlantic Alliance")."""

    id: str = Field(pattern=_SLUG)
    name: str
    aliases: tuple[str, ...] = ()
    adjectives: tuple[str, ...] = ()
    members: tuple[str, ...]


class Body(_Frozen):
    """An international, intergovernmental or parliamentary body.

    What extraction knows of a body as an issuer is data here, not code: whose governments "member
    governments" means in its texts (`member_group`), the policy area of a commitment whose words name
    none (`default_area`), and the calendar series its texts name without saying whose they are
    (`related_series`: "the Summit" in a NATO PA text is a NATO summit).
    """

    id: str = Field(pattern=_SLUG)
    name: str
    aliases: tuple[str, ...] = ()
    kind: Literal["intergovernmental", "parliamentary-assembly", "international-organisation", "parliament"]
    country: str | None = None
    session_series: str | None = None
    member_group: str | None = None
    default_area: str | None = None
    related_series: tuple[str, ...] = ()


class EventSeries(_Frozen):
    """A recurring institutional event (sessions, councils, summits) and the names texts use for it."""

    id: str = Field(pattern=_SLUG)
    name: str
    body: str | None = None
    cadence: str | None = None
    numbered: bool = True
    names: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _check_cadence(self) -> EventSeries:
        if self.cadence is not None and not _ISO_DURATION.match(self.cadence):
            raise ValueError(f"series {self.id}: cadence {self.cadence!r} is not an ISO 8601 duration")
        return self


class ActorRegistry(_Frozen):
    """Countries, ministries, bodies and calendar series: the data every service agrees on."""

    version: int = 1
    policy_areas: tuple[PolicyArea, ...]
    groups: tuple[CountryGroup, ...] = ()
    countries: tuple[Country, ...]
    bodies: tuple[Body, ...] = ()
    series: tuple[EventSeries, ...] = ()

    def country(self, code: str) -> Country | None:
        """The country with this ISO alpha-2 code."""
        return self._countries_by_code.get(code)

    def body(self, body_id: str) -> Body | None:
        """The body with this id."""
        return next((b for b in self.bodies if b.id == body_id), None)

    def group(self, group_id: str) -> CountryGroup | None:
        """The country group with this id."""
        return next((g for g in self.groups if g.id == group_id), None)

    def area(self, area_id: str) -> PolicyArea | None:
        """The policy area with this id."""
        return next((a for a in self.policy_areas if a.id == area_id), None)

    def series_by_id(self, series_id: str) -> EventSeries | None:
        """The calendar series with this id."""
        return next((s for s in self.series if s.id == series_id), None)

    @property
    def area_ids(self) -> tuple[str, ...]:
        """The policy-area vocabulary, in registry order."""
        return tuple(a.id for a in self.policy_areas)

    @cached_property
    def _countries_by_code(self) -> dict[str, Country]:
        return {c.code: c for c in self.countries}

    @model_validator(mode="after")
    def _check_references(self) -> ActorRegistry:
        areas = {a.id for a in self.policy_areas}
        problems: list[str] = []
        for a in self.policy_areas:
            problems += [f"area {a.id}: unknown fallback {f!r}" for f in a.fallback if f not in areas]
        codes = [c.code for c in self.countries]
        problems += [f"duplicate country {c}" for c in sorted({c for c in codes if codes.count(c) > 1})]
        for c in self.countries:
            for m in c.ministries:
                problems += [f"{c.code}/{m.id}: unknown policy area {x!r}" for x in m.areas if x not in areas]
        for g in self.groups:
            problems += [f"group {g.id}: unknown country {m!r}" for m in g.members if m not in codes]
        series = {s.id for s in self.series}
        bodies = {b.id for b in self.bodies}
        groups = {g.id for g in self.groups}
        for b in self.bodies:
            if b.session_series is not None and b.session_series not in series:
                problems.append(f"body {b.id}: unknown series {b.session_series!r}")
            problems += [f"body {b.id}: unknown series {x!r}" for x in b.related_series if x not in series]
            if b.member_group is not None and b.member_group not in groups:
                problems.append(f"body {b.id}: unknown group {b.member_group!r}")
            if b.default_area is not None and b.default_area not in areas:
                problems.append(f"body {b.id}: unknown policy area {b.default_area!r}")
            if b.country is not None and b.country not in codes:
                problems.append(f"body {b.id}: unknown country {b.country!r}")
        for s in self.series:
            if s.body is not None and s.body not in bodies:
                problems.append(f"series {s.id}: unknown body {s.body!r}")
        if problems:
            raise ValueError("invalid actor registry: " + "; ".join(problems))
        return self
