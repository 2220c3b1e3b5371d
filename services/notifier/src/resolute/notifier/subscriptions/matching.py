"""Does an event concern a subscription? Pure rules, shared by immediate delivery and digests.

A filter dimension applies to events whose type carries it: a country filter excludes an assignment of
another country, or one to a body with no country, but not a `document.processed` (which has no country).
An event naming whom something concerned before (`previous_countries`, `previous_ministries`: a corrected
commitment) concerns them too, so a ministry a correction took off a commitment is told.
"""

from __future__ import annotations

from typing import Any


def _event_countries(data: dict[str, Any]) -> set[str] | None:
    if "country" not in data and "countries" not in data:
        return None
    named = [*(data.get("countries") or []), *(data.get("previous_countries") or [])]
    found = {c for c in named if isinstance(c, str)}
    if data.get("country"):
        found.add(data["country"])
    return found


def _event_ministries(data: dict[str, Any]) -> set[str] | None:
    if "ministry" not in data and "ministries" not in data:
        return None
    found: set[str] = set()
    refs: list[Any] = [{"country": data.get("country"), "ministry": data.get("ministry")}]
    refs += [*(data.get("ministries") or []), *(data.get("previous_ministries") or [])]
    for ref in refs:
        if isinstance(ref, dict) and ref.get("ministry"):
            found.add(ref["ministry"])
            if ref.get("country"):
                found.add(f"{ref['country']}:{ref['ministry']}")
    return found


def subscription_matches(
    event_types: list[str], filters: dict[str, Any], webhook_type: str, data: dict[str, Any]
) -> bool:
    """True when the type is wanted and the event matches every filter dimension its type carries."""
    if event_types and webhook_type not in event_types:
        return False
    countries = set(filters.get("countries") or [])
    if countries:
        present = _event_countries(data)
        if present is not None and not present & countries:
            return False
    ministries = set(filters.get("ministries") or [])
    if ministries:
        present = _event_ministries(data)
        if present is not None and not present & ministries:
            return False
    policy_areas = set(filters.get("policy_areas") or [])
    if policy_areas and "policy_area" in data and data["policy_area"] not in policy_areas:
        return False
    documents = set(filters.get("documents") or [])
    return not (documents and "document_id" in data and data["document_id"] not in documents)
