"""Which ministry answers for a commitment: the pure rule the tracker and extraction both apply."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from resolute.shared.actors.models import ActorRegistry, Country, Ministry


@dataclass(frozen=True, slots=True)
class LeadMinistry:
    """The lead ministry of one country for one commitment."""

    country: str
    ministry: str
    name: str


def lead_ministry(country: Country, policy_area: str, registry: ActorRegistry) -> Ministry | None:
    """The ministry leading on `policy_area` in `country`.

    The first ministry listing the area leads; otherwise the area's fallbacks are
    tried in order (research -> education, ...); otherwise the country's default lead.
    """
    seen: set[str] = set()
    queue = [policy_area]
    while queue:
        area = queue.pop(0)
        if area in seen:
            continue
        seen.add(area)
        for ministry in country.ministries:
            if area in ministry.areas:
                return ministry
        spec = registry.area(area)
        if spec is not None:
            queue.extend(spec.fallback)
    if country.default_lead is not None:
        return country.ministry(country.default_lead)
    return None


def ministry_for(registry: ActorRegistry, code: str, policy_area: str, on: date | None = None) -> Ministry | None:
    """The ministry that held `policy_area` in country `code` on `on` (today without a date): a commitment
    adopted before a reorganisation belongs to the ministry of that time."""
    country = registry.country_on(code, on)
    return lead_ministry(country, policy_area, registry) if country is not None else None


def responsible_ministries(
    policy_area: str | None, countries: Iterable[str], registry: ActorRegistry, on: date | None = None
) -> list[LeadMinistry]:
    """One lead ministry per addressee country (in the given order) for a commitment's policy area, as the
    governments were organised on `on` (the adoption date; today's organisation without one).

    Countries unknown to the registry, or with no ministry that can lead, are skipped.
    """
    result: list[LeadMinistry] = []
    seen: set[str] = set()
    for code in countries:
        if code in seen:
            continue
        seen.add(code)
        country = registry.country_on(code, on)
        if country is None:
            continue
        ministry = lead_ministry(country, policy_area, registry) if policy_area else None
        if ministry is None and country.default_lead is not None:
            ministry = country.ministry(country.default_lead)
        if ministry is not None:
            result.append(LeadMinistry(country=code, ministry=ministry.id, name=ministry.name))
    return result
