"""The actor registry as the public API shows it (served by tracker), and the admins' edits to it."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from resolute.shared.actors import Body, Country, CountryGroup, EventSeries, PolicyArea
from resolute.shared.api.commitments import AsOf, CountryCode
from resolute.shared.api.lists import Filters


class RegistryOut(BaseModel):
    """Countries with their ministries (portfolio slugs, official English names, policy areas), country
    groups, bodies, calendar series and the policy-area vocabulary, at one revision."""

    revision: int
    changed_at: datetime | None
    policy_areas: list[PolicyArea]
    groups: list[CountryGroup]
    countries: list[Country]
    bodies: list[Body]
    series: list[EventSeries]


class RevisionOut(BaseModel):
    """One revision of the registry: the seed, or an admin's edit."""

    revision: int
    source: Literal["seed", "admin"] | str
    change: str
    actor: str | None
    created_at: datetime


class RevisionList(BaseModel):
    """Every revision, newest first."""

    items: list[RevisionOut]


class RegistryEdit(BaseModel):
    """Base of an admin's edit: a field the registry does not know is refused."""

    model_config = ConfigDict(extra="forbid")


class CountryIn(RegistryEdit):
    """A country's details; its ministries are edited one by one."""

    name: str = Field(min_length=1, max_length=200)
    official_name: str | None = Field(default=None, max_length=300)
    aliases: list[str] = Field(default_factory=list)
    adjectives: list[str] = Field(default_factory=list)
    capital: str | None = None
    parliament: str | None = None
    default_lead: str | None = None


class MinistryIn(RegistryEdit):
    """A ministry: its official English name and the policy areas it covers (the first one covering an area
    leads on it)."""

    name: str = Field(min_length=1, max_length=300)
    local_name: str | None = Field(default=None, max_length=300)
    part_of: str | None = Field(default=None, max_length=300)
    areas: list[str] = Field(default_factory=list)


class BodyIn(RegistryEdit):
    """An intergovernmental or parliamentary body that commitments can be assigned to."""

    name: str = Field(min_length=1, max_length=300)
    aliases: list[str] = Field(default_factory=list)
    kind: Literal["intergovernmental", "parliamentary-assembly", "international-organisation", "parliament"]
    country: str | None = None
    session_series: str | None = None


class SeriesIn(RegistryEdit):
    """A calendar series: the recurring meetings deadlines can hang on."""

    name: str = Field(min_length=1, max_length=300)
    body: str | None = None
    cadence: str | None = Field(default=None, description="ISO 8601 duration, e.g. P1Y")
    numbered: bool = True
    names: list[str] = Field(default_factory=list)


class ActorsQuery(Filters):
    """`GET /v1/actors`: the registry now or `as_of`, all countries or only some."""

    as_of: AsOf = None
    country: list[CountryCode] | None = Field(default=None, description="only these countries (repeat the parameter)")
