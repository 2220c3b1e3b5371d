"""Who answers for a commitment: pure fan-out rules over the actor registry."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from resolute.shared.actors import ActorRegistry, responsible_ministries
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


def plan_assignments(
    countries: Sequence[str],
    bodies: Sequence[str],
    ministries: Sequence[tuple[str, str]],
    policy_area: str | None,
    registry: ActorRegistry,
) -> list[PlannedAssignment]:
    """One assignment per addressee country and one per body.

    The lead is the first ministry extraction named for the country (if the registry knows it there), else the
    registry's lead for the policy area; further named ministries and any other ministry of that country
    covering the policy area support it.
    """
    named: dict[str, list[str]] = {}
    for country, ministry in ministries:
        known = registry.country(country)
        if known is None or known.ministry(ministry) is not None:
            named.setdefault(country, []).append(ministry)
    plan: list[PlannedAssignment] = []
    for code in _unique(countries):
        listed = _unique(named.get(code, []))
        if listed:
            lead: str | None = listed[0]
        else:
            found = responsible_ministries(policy_area, [code], registry)
            lead = found[0].ministry if found else None
        covering: list[str] = []
        known = registry.country(code)
        if known is not None and policy_area:
            covering = [m.id for m in known.ministries if policy_area in m.areas]
        supporting = tuple(m for m in _unique([*listed[1:], *covering]) if m != lead)
        plan.append(PlannedAssignment(code, lead, None, "lead", supporting))
    for body in _unique(resolve_body(b, registry) for b in bodies):
        plan.append(PlannedAssignment(None, None, body, "body"))
    return plan
