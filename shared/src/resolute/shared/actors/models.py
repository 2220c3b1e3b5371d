"""Typed schema of the actor registry, so an edited registry is checked before anything uses it.

Besides today's countries, ministries, groups, bodies and series, the registry carries their history, each row
with the public source it was taken from: the dated occurrences of each series, when each country joined (or
left) each group, and the government reorganisations that created, renamed, merged or abolished ministries.
The pure functions that answer questions about that history live in `membership`, `reorganisation` and
`calendar`; the methods here are their entry points.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from datetime import date
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

_SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_ISO_DURATION = re.compile(r"^P(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?$")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Source(_Frozen):
    """The public page a historical fact was taken from: without one, the fact is not shipped."""

    url: str = Field(pattern=r"^https?://\S+$")
    title: str = Field(min_length=1)


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


class FormerName(_Frozen):
    """What a renamed ministry was called (and slugged) before the rename."""

    id: str = Field(pattern=_SLUG)
    name: str
    local_name: str | None = None


class MinistryCreated(_Frozen):
    """A new ministry, with the policy areas it was created with (areas moved to it later are `move`s)."""

    kind: Literal["create"]
    ministry: Ministry


class MinistryRenamed(_Frozen):
    """A ministry renamed (and perhaps re-slugged): `ministry` is its id after, `was` its name and id before.
    Its areas stay with it; the renamed ministry is its own successor."""

    kind: Literal["rename"]
    ministry: str = Field(pattern=_SLUG)
    name: str
    local_name: str | None = None
    was: FormerName


class PortfolioMoved(_Frozen):
    """Policy areas handed from one ministry to another (ids as they are at that point of the revision)."""

    kind: Literal["move"]
    areas: tuple[str, ...] = Field(min_length=1)
    from_ministry: str = Field(alias="from", pattern=_SLUG)
    to_ministry: str = Field(alias="to", pattern=_SLUG)

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, serialize_by_alias=True)


class MinistryAbolished(_Frozen):
    """A ministry abolished, as it stood just before: the areas it still held pass to its successor (a merge is
    one abolition per merged ministry, all with the same successor). No successor: its areas lapse."""

    kind: Literal["abolish"]
    ministry: Ministry
    successor: str | None = Field(default=None, pattern=_SLUG)


MinistryChange = Annotated[
    MinistryCreated | MinistryRenamed | PortfolioMoved | MinistryAbolished, Field(discriminator="kind")
]


class Reorganisation(_Frozen):
    """A government reorganisation of one country: the changes, in order, that took effect on `effective`.

    The country's `ministries` are its organisation after every reorganisation listed; earlier organisations
    are reconstructed by undoing the later reorganisations (see `resolute.shared.actors.reorganisation`)."""

    effective: date
    title: str = Field(min_length=1)
    changes: tuple[MinistryChange, ...] = Field(min_length=1)
    source: Source
    test_data: bool = False


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
    reorganisations: tuple[Reorganisation, ...] = ()

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
        dates = [r.effective for r in self.reorganisations]
        if dates != sorted(dates) or len(set(dates)) != len(dates):
            raise ValueError(f"{self.code}: reorganisations must be in date order, one per date")
        if self.reorganisations:
            from resolute.shared.actors.reorganisation import check_reorganisations

            problem = check_reorganisations(self)
            if problem is not None:
                raise ValueError(f"{self.code}: {problem}")
        return self


class Membership(_Frozen):
    """One country's membership of a group: from `joined` (the first day as a member) to `left` (the last day
    as a member; none while it lasts). `precision: year` marks a source that gives only the year."""

    country: str = Field(pattern=r"^[A-Z]{2}$")
    joined: date
    left: date | None = None
    precision: Literal["day", "year"] = "day"
    source: Source
    left_source: Source | None = None

    def on(self, day: date) -> bool:
        """Whether the country was a member on `day`."""
        return self.joined <= day and (self.left is None or day <= self.left)

    @model_validator(mode="after")
    def _check_dates(self) -> Membership:
        if self.left is not None and self.left < self.joined:
            raise ValueError(f"membership of {self.country}: left {self.left} before joining {self.joined}")
        if self.left is not None and self.left_source is None:
            raise ValueError(f"membership of {self.country}: a withdrawal needs its own source (left_source)")
        return self


class CountryGroup(_Frozen):
    """A named set of countries that a text may address as a whole ("the North Atlantic Alliance").

    `members` are today's members (every existing caller means that); `memberships` tell who belonged when,
    and when they are given, today's members are exactly those whose membership has not ended."""

    id: str = Field(pattern=_SLUG)
    name: str
    aliases: tuple[str, ...] = ()
    adjectives: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    memberships: tuple[Membership, ...] = ()
    formed: date | None = None
    source: Source | None = None

    def members_on(self, day: date) -> tuple[str, ...]:
        """The members on `day`, in registry order; without a history, today's members whatever the day."""
        if not self.memberships:
            return self.members
        seen: dict[str, None] = {}
        for membership in self.memberships:
            if membership.on(day):
                seen.setdefault(membership.country, None)
        return tuple(seen)

    @model_validator(mode="before")
    @classmethod
    def _members_from_history(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("members") and data.get("memberships"):
            rows = data["memberships"]
            data = {**data, "members": _open_members(rows)}
        return data

    @model_validator(mode="after")
    def _check_memberships(self) -> CountryGroup:
        if not self.members:
            raise ValueError(f"group {self.id}: no members")
        if self.memberships:
            current = {m.country for m in self.memberships if m.left is None}
            if current != set(self.members):
                raise ValueError(
                    f"group {self.id}: members {sorted(self.members)} are not the open memberships {sorted(current)}"
                )
            by_country: dict[str, list[Membership]] = {}
            for m in self.memberships:
                by_country.setdefault(m.country, []).append(m)
            for code, spans in by_country.items():
                spans.sort(key=lambda m: m.joined)
                for earlier, later in itertools.pairwise(spans):
                    if earlier.left is None or earlier.left >= later.joined:
                        raise ValueError(f"group {self.id}: memberships of {code} overlap")
        return self


def _open_members(rows: Iterable[Any]) -> list[str]:
    codes: dict[str, None] = {}
    for row in rows:
        country = row.country if isinstance(row, Membership) else row.get("country")
        left = row.left if isinstance(row, Membership) else row.get("left")
        if left is None and isinstance(country, str):
            codes.setdefault(country, None)
    return list(codes)


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


class OccurrenceRef(_Frozen):
    """Another series' occurrence that met together with this one (the 29th Baltic Council and the 42nd
    Session of the Baltic Assembly)."""

    series: str = Field(pattern=_SLUG)
    ordinal: int = Field(ge=1)


class SeriesOccurrence(_Frozen):
    """One sourced meeting of a series: held, or announced (a date a source gave in advance).

    Numbered series give the `ordinal`; unnumbered ones (NATO summits) are told apart by date and place and
    numbered by year where a number is needed. Extraordinary meetings are kept but not projected from."""

    ordinal: int | None = Field(default=None, ge=1)
    start: date
    end: date | None = None
    place: str | None = None
    status: Literal["held", "announced"] = "held"
    extraordinary: bool = False
    meets_with: tuple[OccurrenceRef, ...] = ()
    note: str | None = None
    source: Source

    @property
    def key(self) -> int:
        """Its number in the series: the ordinal, or the year for unnumbered series."""
        return self.ordinal if self.ordinal is not None else self.start.year

    @model_validator(mode="after")
    def _check_dates(self) -> SeriesOccurrence:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"occurrence on {self.start}: ends {self.end} before it starts")
        return self


class EventSeries(_Frozen):
    """A recurring institutional event (sessions, councils, summits) and the names texts use for it, with the
    occurrences a public source dates and the source of its cadence."""

    id: str = Field(pattern=_SLUG)
    name: str
    body: str | None = None
    cadence: str | None = None
    numbered: bool = True
    names: tuple[str, ...] = ()
    cadence_source: Source | None = None
    occurrences: tuple[SeriesOccurrence, ...] = ()

    def occurrence(self, key: int) -> SeriesOccurrence | None:
        """The regular occurrence with this ordinal (or, for unnumbered series, of this year)."""
        return next((o for o in self.occurrences if not o.extraordinary and o.key == key), None)

    @model_validator(mode="after")
    def _check_cadence(self) -> EventSeries:
        if self.cadence is not None and not _ISO_DURATION.match(self.cadence):
            raise ValueError(f"series {self.id}: cadence {self.cadence!r} is not an ISO 8601 duration")
        regular = sorted((o for o in self.occurrences if not o.extraordinary), key=lambda o: o.start)
        starts = [o.start for o in self.occurrences]
        if len(set(starts)) != len(starts):
            raise ValueError(f"series {self.id}: two occurrences start on the same day")
        if self.numbered:
            missing = [o.start for o in regular if o.ordinal is None]
            if missing:
                raise ValueError(f"series {self.id}: numbered, but the occurrence on {missing[0]} has no ordinal")
        else:
            numbered = [o.start for o in self.occurrences if o.ordinal is not None]
            if numbered:
                raise ValueError(f"series {self.id}: not numbered, but the occurrence on {numbered[0]} has an ordinal")
        keys = [o.key for o in regular]
        if len(set(keys)) != len(keys):
            duplicate = next(k for k in keys if keys.count(k) > 1)
            raise ValueError(f"series {self.id}: two regular occurrences numbered {duplicate}")
        if keys != sorted(keys):
            raise ValueError(f"series {self.id}: ordinals do not increase with the dates ({keys})")
        return self


class ActorRegistry(_Frozen):
    """Countries, ministries, bodies and calendar series, and their history: the data every service agrees on."""

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

    def members(self, group_id: str, on: date | None = None) -> tuple[str, ...]:
        """The group's member countries on `on` (today's without a date): a 2001 text addressed to "the member
        governments" of NATO means the 19 Allies of 2001. An unknown group is a KeyError."""
        group = self.group(group_id)
        if group is None:
            raise KeyError(f"no country group {group_id!r} in the registry")
        return group.members if on is None else group.members_on(on)

    def country_on(self, code: str, on: date | None = None) -> Country | None:
        """The country organised as it was on `on` (its ministries then); today's organisation without a date."""
        country = self.country(code)
        if country is None or on is None or not country.reorganisations:
            return country
        from resolute.shared.actors.reorganisation import organisation_on

        return organisation_on(country, on)

    def successor(self, code: str, ministry_id: str, on: date | None = None) -> Ministry | None:
        """The ministry that carries on `ministry_id`'s work on `on` (today without a date): itself while it
        exists, the renamed or merging ministry after a reorganisation, None if it was abolished without one."""
        country = self.country(code)
        if country is None:
            return None
        from resolute.shared.actors.reorganisation import successor

        return successor(country, ministry_id, on)

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
            for r in c.reorganisations:
                problems += [
                    f"{c.code} reorganisation of {r.effective}: unknown policy area {x!r}"
                    for x in _reorganisation_areas(r)
                    if x not in areas
                ]
        for g in self.groups:
            problems += [f"group {g.id}: unknown country {m!r}" for m in g.members if m not in codes]
            problems += [
                f"group {g.id}: unknown country {m.country!r}" for m in g.memberships if m.country not in codes
            ]
        series = {s.id: s for s in self.series}
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
            for o in s.occurrences:
                for ref in o.meets_with:
                    problems += _joint_meeting_problems(s, o, ref, series)
        if problems:
            raise ValueError("invalid actor registry: " + "; ".join(problems))
        return self


def _reorganisation_areas(reorganisation: Reorganisation) -> set[str]:
    found: set[str] = set()
    for change in reorganisation.changes:
        if isinstance(change, PortfolioMoved):
            found.update(change.areas)
        elif isinstance(change, MinistryCreated | MinistryAbolished):
            found.update(change.ministry.areas)
    return found


def _joint_meeting_problems(
    series: EventSeries, occurrence: SeriesOccurrence, ref: OccurrenceRef, all_series: dict[str, EventSeries]
) -> list[str]:
    """A joint meeting names a known series, and where that occurrence is dated too, their days overlap."""
    where = f"series {series.id} occurrence {occurrence.key}"
    other = all_series.get(ref.series)
    if other is None:
        return [f"{where}: meets with unknown series {ref.series!r}"]
    partner = other.occurrence(ref.ordinal)
    if partner is None:
        return []
    first, last = occurrence.start, occurrence.end or occurrence.start
    if first > (partner.end or partner.start) or last < partner.start:
        return [f"{where}: meets with {ref.series} {ref.ordinal}, but their dates do not overlap"]
    return []
