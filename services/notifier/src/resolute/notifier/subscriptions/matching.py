"""Does an event concern a subscription? Pure rules, shared by immediate delivery and digests."""

from __future__ import annotations

from typing import Any


def _event_ministries(data: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    country = data.get("country")
    ministry = data.get("ministry")
    if ministry:
        found.add(ministry)
        if country:
            found.add(f"{country}:{ministry}")
    for ref in data.get("ministries") or []:
        if isinstance(ref, dict) and ref.get("ministry"):
            found.add(ref["ministry"])
            if ref.get("country"):
                found.add(f"{ref['country']}:{ref['ministry']}")
    return found


def _event_countries(data: dict[str, Any]) -> set[str]:
    found = set(data.get("countries") or [])
    if data.get("country"):
        found.add(data["country"])
    return found


def subscription_matches(
    event_types: list[str], filters: dict[str, Any], webhook_type: str, data: dict[str, Any]
) -> bool:
    """True when the event type is wanted and every filter dimension the event carries matches."""
    if event_types and webhook_type not in event_types:
        return False
    countries = set(filters.get("countries") or [])
    if countries:
        present = _event_countries(data)
        if present and not present & countries:
            return False
    ministries = set(filters.get("ministries") or [])
    if ministries:
        present = _event_ministries(data)
        if present and not present & ministries:
            return False
    policy_areas = set(filters.get("policy_areas") or [])
    if policy_areas and data.get("policy_area") and data["policy_area"] not in policy_areas:
        return False
    documents = set(filters.get("documents") or [])
    return not (documents and data.get("document_id") and data["document_id"] not in documents)
