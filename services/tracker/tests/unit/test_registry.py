"""The registry in the tracker: admins' edits are validated, and a changed seed merges without undoing them."""

from __future__ import annotations

import copy

import pytest

from resolute.shared.actors import default_registry
from resolute.tracker.actors.edits import RegistryEditError, put_ministry, remove_ministry, validated
from resolute.tracker.actors.seeding import merge_seed
from resolute.tracker.actors.service import registry_document

SEED = registry_document(default_registry())


def _country(document: dict[str, object], code: str) -> dict[str, object]:
    return next(c for c in document["countries"] if c["code"] == code)  # type: ignore[attr-defined,index,no-any-return]


def test_the_shipped_registry_has_the_baltic_ministries_and_every_ally() -> None:
    registry = validated(SEED)
    allies = next(g for g in registry.groups if g.id == "nato-allies").members
    assert len(allies) == 32 and all(registry.country(code) for code in allies)
    for code in ("EE", "LV", "LT"):
        country = registry.country(code)
        assert country is not None and len(country.ministries) >= 12
    lithuania = registry.country("LT")
    assert lithuania is not None and lithuania.ministry("defence") is not None
    assert lithuania.ministry("defence").name == "Ministry of National Defence"  # type: ignore[union-attr]
    assert {"baltic-council-of-ministers", "nato", "nato-pa", "riigikogu", "saeima", "seimas"} <= {
        b.id for b in registry.bodies
    }


def test_edits_are_validated_whole() -> None:
    edited, change = put_ministry(SEED, "EE", "space", {"name": "Ministry of Space", "areas": ["research"]})
    assert change == "ministry EE/space added"
    assert validated(edited).country("EE").ministry("space") is not None  # type: ignore[union-attr]
    unknown_area, _ = put_ministry(SEED, "EE", "space", {"name": "Ministry of Space", "areas": ["astrology"]})
    with pytest.raises(RegistryEditError) as caught:
        validated(unknown_area)
    assert caught.value.status == 422 and "astrology" in caught.value.message
    with pytest.raises(RegistryEditError) as caught:
        remove_ministry(SEED, "EE", "government-office")
    assert caught.value.status == 409
    with pytest.raises(RegistryEditError) as caught:
        put_ministry(SEED, "XX", "defence", {"name": "x"})
    assert caught.value.status == 404


def test_a_changed_seed_merges_without_undoing_admins_edits() -> None:
    admin, _ = put_ministry(SEED, "EE", "defence", {"name": "Ministry of Defence (renamed by an admin)"})
    new_seed = copy.deepcopy(SEED)
    _country(new_seed, "EE")["capital"] = "Tallinn (new seed)"
    for ministry in _country(new_seed, "EE")["ministries"]:  # type: ignore[attr-defined]
        if ministry["id"] in ("defence", "culture"):
            ministry["name"] += " (new seed)"
    new_seed["bodies"].append({"id": "new-body", "name": "New Body", "aliases": [], "kind": "intergovernmental",
                               "country": None, "session_series": None})  # fmt: skip
    merged = merge_seed(SEED, new_seed, admin)
    estonia = _country(merged, "EE")
    names = {m["id"]: m["name"] for m in estonia["ministries"]}  # type: ignore[attr-defined]
    assert names["defence"] == "Ministry of Defence (renamed by an admin)"  # the admin's edit stays
    assert names["culture"].endswith("(new seed)")  # untouched entities follow the seed
    assert estonia["capital"] == "Tallinn (new seed)"
    assert any(b["id"] == "new-body" for b in merged["bodies"])
    validated(merged)
    assert merge_seed(SEED, SEED, admin) == admin
