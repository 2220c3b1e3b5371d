"""Merging a changed shipped registry into the one admins have edited, entity by entity (a three-way merge).

Where an admin changed an entity (a country's details, one ministry, a body, a series), the admin's version
stays; everything else follows the new seed, including additions and removals.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

Document = dict[str, Any]
_KEYED_LISTS = {"policy_areas": "id", "groups": "id", "bodies": "id", "series": "id"}


def seed_hash(document: Document) -> str:
    return hashlib.sha256(json.dumps(document, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _merge_entities(base: list[Document], new: list[Document], current: list[Document], key: str) -> list[Document]:
    base_by = {e[key]: e for e in base}
    new_by = {e[key]: e for e in new}
    current_by = {e[key]: e for e in current}
    merged: list[Document] = []
    order = [e[key] for e in new] + [k for k in current_by if k not in new_by]
    for ident in order:
        in_base, in_new, in_current = base_by.get(ident), new_by.get(ident), current_by.get(ident)
        if in_current != in_base:  # the admin touched it (edited, added or removed): theirs wins
            if in_current is not None:
                merged.append(in_current)
        elif in_new is not None:
            merged.append(in_new)
    return merged


def _merge_countries(base: list[Document], new: list[Document], current: list[Document]) -> list[Document]:
    def details(country: Document) -> Document:
        return {k: v for k, v in country.items() if k != "ministries"}

    base_by = {c["code"]: c for c in base}
    current_by = {c["code"]: c for c in current}
    merged_details = _merge_entities(
        [details(c) for c in base], [details(c) for c in new], [details(c) for c in current], "code"
    )
    new_by = {c["code"]: c for c in new}
    result: list[Document] = []
    for country in merged_details:
        code = country["code"]
        ministries = _merge_entities(
            list(base_by.get(code, {}).get("ministries", [])),
            list(new_by.get(code, {}).get("ministries", [])),
            list(current_by.get(code, {}).get("ministries", [])),
            "id",
        )
        result.append({**country, "ministries": ministries})
    return result


def merge_seed(base: Document, new: Document, current: Document) -> Document:
    """`current` (base + admins' edits) brought up to the `new` seed, keeping what admins changed."""
    merged: Document = dict(current)
    merged["version"] = new.get("version", current.get("version", 1))
    for name, key in _KEYED_LISTS.items():
        merged[name] = _merge_entities(
            list(base.get(name, [])), list(new.get(name, [])), list(current.get(name, [])), key
        )
    merged["countries"] = _merge_countries(
        list(base.get("countries", [])), list(new.get("countries", [])), list(current.get("countries", []))
    )
    return merged
