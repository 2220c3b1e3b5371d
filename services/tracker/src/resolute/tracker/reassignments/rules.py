"""Who carries on an assignment after a government reorganisation: the pure rule proposals are made from.

An assignment names the ministry that answered for its commitment when it was adopted (see
`resolute.tracker.assignments.planning`). A reorganisation after that date may end that ministry (renamed,
merged into another, abolished) or move the commitment's portfolio to another ministry; its successor is
then proposed, and an admin decides. The line is followed through every later reorganisation, by ministry id,
so a ministry renamed and later merged is proposed straight to the merged one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from resolute.shared.actors import ActorRegistry, Country, Reorganisation, lead_ministry
from resolute.shared.actors.models import MinistryAbolished, MinistryRenamed, PortfolioMoved

Reason = Literal["renamed", "merged", "abolished", "portfolio_moved"]


@dataclass(frozen=True)
class Succession:
    """The ministry proposed to carry on an assignment, and the reorganisation that calls for it."""

    ministry: str
    reason: Reason
    reorganisation: Reorganisation


def _later(country: Country, since: date | None) -> list[Reorganisation]:
    """Reorganisations that took effect after `since` (those before it were in force when it was assigned)."""
    return [r for r in country.reorganisations if since is None or r.effective > since]


def _line(
    reorganisations: list[Reorganisation], ministry: str
) -> tuple[str | None, Reason | None, Reorganisation | None]:
    """Follow renames and abolitions: the ministry at the end of the line (None: abolished without successor),
    why the line first changed, and the reorganisation that changed it first."""
    current: str | None = ministry
    reason: Reason | None = None
    first: Reorganisation | None = None
    for reorganisation in reorganisations:
        for change in reorganisation.changes:
            if isinstance(change, MinistryRenamed) and change.was.id == current and change.ministry != current:
                current = change.ministry
                reason, first = reason or "renamed", first or reorganisation
            elif isinstance(change, MinistryAbolished) and change.ministry.id == current:
                current = change.successor
                reason = reason or ("merged" if change.successor is not None else "abolished")
                first = first or reorganisation
            if current is None:
                return None, reason, first
    return current, reason, first


def _portfolio_move(reorganisations: list[Reorganisation], ministry: str, area: str) -> Reorganisation | None:
    """The first later reorganisation that moved `area` away from `ministry` (its id followed through renames)."""
    current = ministry
    for reorganisation in reorganisations:
        for change in reorganisation.changes:
            if isinstance(change, MinistryRenamed) and change.was.id == current:
                current = change.ministry
            elif isinstance(change, PortfolioMoved) and change.from_ministry == current and area in change.areas:
                return reorganisation
    return None


def succession(
    registry: ActorRegistry, code: str, ministry: str, policy_area: str | None, since: date | None
) -> Succession | None:
    """The successor to propose for an assignment of `code`'s `ministry` made for a commitment adopted on
    `since` (on `policy_area`), or None when the ministry still carries it on.

    - renamed, merged or abolished with a successor: that successor (the end of the line);
    - abolished without one: today's lead on the commitment's area, if any;
    - still there, but the area it held on `since` has moved since: today's lead on the area.
    """
    country = registry.country(code)
    if country is None:
        return None
    later = _later(country, since)
    if not later:
        return None
    end, reason, first = _line(later, ministry)
    if first is not None and reason is not None:
        if end is None:
            lead = lead_ministry(country, policy_area, registry) if policy_area else None
            return Succession(lead.id, "abolished", first) if lead is not None and lead.id != ministry else None
        if country.ministry(end) is not None:
            return Succession(end, reason, first)
        return None
    standing = country.ministry(ministry)
    if not policy_area or standing is None:
        return None
    then = registry.country_on(code, since)
    held = then.ministry(ministry) if then is not None else None
    if held is None or policy_area not in held.areas or policy_area in standing.areas:
        return None
    moved = _portfolio_move(later, ministry, policy_area)
    lead = lead_ministry(country, policy_area, registry)
    if moved is None or lead is None or lead.id == ministry:
        return None
    return Succession(lead.id, "portfolio_moved", moved)
