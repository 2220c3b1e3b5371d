"""Who answers for a commitment: pure fan-out rules over the actor registry, as governments were organised on
the commitment's adoption date."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from resolute.shared.actors import ActorRegistry, lead_ministry, responsible_ministries
from resolute.tracker.database import stable_id


@dataclass(frozen=True)
class PlannedAssignment:
    """One party answerable for a commitment: a country's lead ministry (with supporting ones) or a body."""

    country: str | None
    ministry: str | None
    body: str | None
    role: str
    supporting: tuple[str, ...] = ()


def assignment_id(commitment_id: str, country: str | None, body: str | None) -> str:
    """Stable per (commitment, country) or (commitment, body): re-deliveries and reassignments keep the id."""
    return stable_id(commitment_id, f"country:{country}" if country else f"body:{body}")


def _unique(values: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        seen.setdefault(value, None)
    return list(seen)


def resolve_body(name: str, registry: ActorRegistry) -> str:
    """A body as the registry knows it (by id, name or alias); a body it does not know keeps its name."""
    wanted = name.strip().lower()
    for body in registry.bodies:
        if wanted == body.id or wanted == body.name.lower() or wanted in (a.lower() for a in body.aliases):
            return body.id
    return name.strip()


def dated_ministry(
    registry: ActorRegistry, code: str, named: str, policy_area: str | None, on: date | None
) -> str | None:
    """A ministry extraction named for a country, as that government was organised on `on` (None: it did not
    exist then and has no predecessor, or the country is unknown).

    Extraction proposes ministries from today's organisation (offline, from the shipped registry); the tracker
    holds the registry in force, reorganisations admins recorded included, so it dates them here. A ministry
    named because it leads on the area today gives way to the one that led on it then; one that existed then
    stays (a signatory); one created since stands for the ministry it carries on from (renamed or merged)."""
    today = registry.country(code)
    if today is None:
        return None
    then = registry.country_on(code, on) if on is not None else today
    if then is None or then is today:
        return named if today.ministry(named) is not None else None
    if policy_area:
        lead_now = lead_ministry(today, policy_area, registry)
        lead_then = lead_ministry(then, policy_area, registry)
        if lead_now is not None and lead_now.id == named and lead_then is not None:
            return lead_then.id
    if then.ministry(named) is not None:
        return named
    for ministry in then.ministries:
        follower = registry.successor(code, ministry.id)
        if follower is not None and follower.id == named:
            return ministry.id
    return None


def plan_assignments(
    countries: Sequence[str],
    bodies: Sequence[str],
    ministries: Sequence[tuple[str, str]],
    policy_area: str | None,
    registry: ActorRegistry,
    on: date | None = None,
) -> list[PlannedAssignment]:
    """One assignment per addressee country and one per body, to the ministries of `on` (the adoption date).

    The lead is the first ministry extraction named for the country (if the country had it then, see
    `dated_ministry`), else the registry's lead for the policy area on that date; further named ministries and
    any other ministry of that country covering the policy area then support it.
    """
    named: dict[str, list[str]] = {}
    for country, ministry in ministries:
        if registry.country(country) is None:
            named.setdefault(country, []).append(ministry)
            continue
        dated = dated_ministry(registry, country, ministry, policy_area, on)
        if dated is not None:
            named.setdefault(country, []).append(dated)
    plan: list[PlannedAssignment] = []
    for code in _unique(countries):
        listed = _unique(named.get(code, []))
        if listed:
            lead: str | None = listed[0]
        else:
            found = responsible_ministries(policy_area, [code], registry, on=on)
            lead = found[0].ministry if found else None
        covering: list[str] = []
        known = registry.country_on(code, on)
        if known is not None and policy_area:
            covering = [m.id for m in known.ministries if policy_area in m.areas]
        supporting = tuple(m for m in _unique([*listed[1:], *covering]) if m != lead)
        plan.append(PlannedAssignment(code, lead, None, "lead", supporting))
    for body in _unique(resolve_body(b, registry) for b in bodies):
        plan.append(PlannedAssignment(None, None, body, "body"))
    return plan
