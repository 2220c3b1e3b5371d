"""Ministries over time: a country's organisation on any date, rebuilt from today's by undoing the
reorganisations that came after it, and the successor of a ministry that was renamed, merged or abolished.

The registry lists each country's ministries as they are now, and its reorganisations in date order. Every
change can be applied (forward, as the government did) and undone (backward, to read the past); the registry
is only valid when undoing each reorganisation and applying it again gives back the organisation it produced,
so a revision that names a ministry that was not there, or moves an area its ministry did not hold, is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from resolute.shared.actors.models import (
    ActorRegistry,
    Country,
    Ministry,
    MinistryAbolished,
    MinistryChange,
    MinistryCreated,
    MinistryRenamed,
    PortfolioMoved,
    Reorganisation,
)


class ReorganisationError(ValueError):
    """A reorganisation that does not fit the organisation it is applied to (or undone from)."""


def _index(state: Sequence[Ministry], ministry_id: str, action: str) -> int:
    for i, ministry in enumerate(state):
        if ministry.id == ministry_id:
            return i
    raise ReorganisationError(f"{action}: no ministry {ministry_id!r} at that point")


def _absent(state: Sequence[Ministry], ministry_id: str, action: str) -> None:
    if any(m.id == ministry_id for m in state):
        raise ReorganisationError(f"{action}: a ministry {ministry_id!r} already exists at that point")


def _without_areas(ministry: Ministry, areas: Sequence[str], action: str) -> Ministry:
    missing = [a for a in areas if a not in ministry.areas]
    if missing:
        raise ReorganisationError(f"{action}: {ministry.id} does not hold {missing}")
    return ministry.model_copy(update={"areas": tuple(a for a in ministry.areas if a not in areas)})


def _with_areas(ministry: Ministry, areas: Sequence[str]) -> Ministry:
    return ministry.model_copy(update={"areas": ministry.areas + tuple(a for a in areas if a not in ministry.areas)})


def apply_change(state: list[Ministry], change: MinistryChange) -> list[Ministry]:
    """The organisation after one change, as the government made it."""
    result = list(state)
    if isinstance(change, MinistryCreated):
        _absent(result, change.ministry.id, "create")
        result.append(change.ministry)
    elif isinstance(change, MinistryRenamed):
        i = _index(result, change.was.id, "rename")
        if change.ministry != change.was.id:
            _absent(result, change.ministry, "rename")
        result[i] = result[i].model_copy(
            update={"id": change.ministry, "name": change.name, "local_name": change.local_name}
        )
    elif isinstance(change, PortfolioMoved):
        source = _index(result, change.from_ministry, "move")
        target = _index(result, change.to_ministry, "move")
        result[source] = _without_areas(result[source], change.areas, "move")
        result[target] = _with_areas(result[target], change.areas)
    else:
        i = _index(result, change.ministry.id, "abolish")
        abolished = result.pop(i)
        if change.successor is not None:
            j = _index(result, change.successor, "abolish (successor)")
            result[j] = _with_areas(result[j], abolished.areas)
    return result


def undo_change(state: list[Ministry], change: MinistryChange) -> list[Ministry]:
    """The organisation before one change, rebuilt from the one after it."""
    result = list(state)
    if isinstance(change, MinistryCreated):
        i = _index(result, change.ministry.id, "undo create")
        if set(result[i].areas) != set(change.ministry.areas):
            raise ReorganisationError(
                f"undo create: {change.ministry.id} holds {list(result[i].areas)}, "
                f"but was created with {list(change.ministry.areas)}"
            )
        result.pop(i)
    elif isinstance(change, MinistryRenamed):
        i = _index(result, change.ministry, "undo rename")
        if change.ministry != change.was.id:
            _absent(result, change.was.id, "undo rename")
        was = change.was
        result[i] = result[i].model_copy(update={"id": was.id, "name": was.name, "local_name": was.local_name})
    elif isinstance(change, PortfolioMoved):
        source = _index(result, change.from_ministry, "undo move")
        target = _index(result, change.to_ministry, "undo move")
        result[target] = _without_areas(result[target], change.areas, "undo move")
        result[source] = _with_areas(result[source], change.areas)
    else:
        _absent(result, change.ministry.id, "undo abolish")
        if change.successor is not None:
            j = _index(result, change.successor, "undo abolish (successor)")
            result[j] = _without_areas(result[j], change.ministry.areas, "undo abolish (successor)")
        result.append(change.ministry)
    return result


def apply_reorganisation(state: Sequence[Ministry], reorganisation: Reorganisation) -> list[Ministry]:
    """The organisation after a whole reorganisation: its changes in order."""
    result = list(state)
    for change in reorganisation.changes:
        result = apply_change(result, change)
    return result


def undo_reorganisation(state: Sequence[Ministry], reorganisation: Reorganisation) -> list[Ministry]:
    """The organisation before a whole reorganisation: its changes undone, last first."""
    result = list(state)
    for change in reversed(reorganisation.changes):
        result = undo_change(result, change)
    return result


def _shape(state: Sequence[Ministry]) -> dict[str, frozenset[str]]:
    return {m.id: frozenset(m.areas) for m in state}


def check_reorganisations(country: Country) -> str | None:
    """Why the country's reorganisations do not fit its organisation, or None when each can be undone and
    applied again to give back the organisation it produced."""
    state = list(country.ministries)
    for reorganisation in reversed(country.reorganisations):
        where = f"reorganisation of {reorganisation.effective}"
        try:
            before = undo_reorganisation(state, reorganisation)
            again = apply_reorganisation(before, reorganisation)
        except ReorganisationError as exc:
            return f"{where}: {exc}"
        if _shape(again) != _shape(state):
            return f"{where}: applying it to the organisation before it does not give the organisation after it"
        ids = [m.id for m in before]
        if len(ids) != len(set(ids)):
            return f"{where}: the organisation before it has duplicate ministry ids"
        state = before
    return None


def ministries_on(country: Country, on: date) -> tuple[Ministry, ...]:
    """The country's ministries on `on`: reorganisations take effect on their `effective` day."""
    state = list(country.ministries)
    for reorganisation in reversed(country.reorganisations):
        if reorganisation.effective <= on:
            break
        state = undo_reorganisation(state, reorganisation)
    return tuple(state)


def organisation_on(country: Country, on: date) -> Country:
    """The country with the ministries it had on `on` (unchanged if no reorganisation came after)."""
    if not country.reorganisations or country.reorganisations[-1].effective <= on:
        return country
    return country.model_copy(update={"ministries": ministries_on(country, on)})


def successor(country: Country, ministry_id: str, on: date | None = None) -> Ministry | None:
    """The ministry that carries on `ministry_id`'s work on `on` (after every reorganisation without a date):
    renames and abolitions with a successor are followed in date order; None when the line ends in an
    abolition without successor, or the ministry did not exist then."""
    current: str | None = ministry_id
    for reorganisation in country.reorganisations:
        if on is not None and reorganisation.effective > on:
            break
        for change in reorganisation.changes:
            if isinstance(change, MinistryRenamed) and change.was.id == current:
                current = change.ministry
            elif isinstance(change, MinistryAbolished) and change.ministry.id == current:
                current = change.successor
        if current is None:
            return None
    ministries = country.ministries if on is None else ministries_on(country, on)
    return next((m for m in ministries if m.id == current), None)


def with_reorganisation(registry: ActorRegistry, code: str, reorganisation: Reorganisation) -> ActorRegistry:
    """The registry after a new reorganisation of one country (later than its others): the country's ministries
    become the reorganised ones, its default lead follows a successor, and the whole registry is validated."""
    country = registry.country(code)
    if country is None:
        raise ReorganisationError(f"no country {code} in the registry")
    if country.reorganisations and country.reorganisations[-1].effective >= reorganisation.effective:
        raise ReorganisationError(f"{code}: a reorganisation must come after the last one")
    ministries = apply_reorganisation(country.ministries, reorganisation)
    updated = country.model_copy(update={"ministries": tuple(ministries)})
    lead = country.default_lead
    if lead is not None and all(m.id != lead for m in ministries):
        follow = successor(updated.model_copy(update={"reorganisations": (reorganisation,)}), lead)
        lead = follow.id if follow is not None else None
    document = registry.model_dump(mode="json")
    document["countries"] = [
        {
            **c,
            "ministries": [m.model_dump(mode="json") for m in ministries],
            "default_lead": lead,
            "reorganisations": [*c.get("reorganisations", []), reorganisation.model_dump(mode="json")],
        }
        if c["code"] == code
        else c
        for c in document["countries"]
    ]
    return ActorRegistry.model_validate(document)
