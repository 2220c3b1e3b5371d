"""The actor registry: the shipped data is valid, complete where the contract needs it, and the
lead-ministry rule follows each country's own organisation."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from resolute.shared.actors import (
    ActorRegistry,
    default_registry,
    lead_ministry,
    load_registry,
    parse_registry,
    responsible_ministries,
)

NATO_ALLIES = {
    "AL", "BE", "BG", "CA", "HR", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IS", "IT", "LV",
    "LT", "LU", "ME", "NL", "MK", "NO", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "TR", "GB", "US",
}  # fmt: skip


@pytest.fixture(scope="module")
def registry() -> ActorRegistry:
    return default_registry()


def test_shipped_registry_loads_and_is_cached(registry: ActorRegistry) -> None:
    assert default_registry() is registry
    assert load_registry() is registry
    assert registry.version == 1


def test_all_32_allies_with_defence_and_foreign_affairs(registry: ActorRegistry) -> None:
    group = registry.group("nato-allies")
    assert group is not None
    assert set(group.members) == NATO_ALLIES and len(group.members) == 32
    for code in NATO_ALLIES:
        country = registry.country(code)
        assert country is not None, code
        assert lead_ministry(country, "defence", registry) is not None, code
        assert country.ministry("foreign-affairs") is not None, code


def test_every_ministry_of_defence_is_slugged_defence(registry: ActorRegistry) -> None:
    for country in registry.countries:
        for ministry in country.ministries:
            name = ministry.name.lower()
            if ("defence" in name and "foreign" not in name) or "defense" in name or "armed forces" in name:
                assert ministry.id == "defence", (country.code, ministry.name)
    lithuania = registry.country("LT")
    assert lithuania is not None and lithuania.ministry("defence") is not None
    assert lithuania.ministry("defence").name == "Ministry of National Defence"  # type: ignore[union-attr]


def test_baltic_portfolios_differ_by_country(registry: ActorRegistry) -> None:
    def lead(area: str) -> dict[str, str]:
        return {m.country: m.name for m in responsible_ministries(area, ["EE", "LV", "LT"], registry)}

    assert lead("energy") == {
        "EE": "Ministry of Climate",
        "LV": "Ministry of Climate and Energy",
        "LT": "Ministry of Energy",
    }
    assert lead("transport")["EE"] == "Ministry of Climate"
    assert lead("transport")["LV"] == "Ministry of Transport"
    assert lead("digital")["EE"] == "Ministry of Justice and Digital Affairs"
    assert lead("digital")["LV"] == "Ministry of Smart Administration and Regional Development"
    assert lead("economy")["LT"] == "Ministry of the Economy and Innovation"
    assert lead("health")["EE"] == "Ministry of Social Affairs"
    assert lead("defence")["LT"] == "Ministry of National Defence"


def test_every_policy_area_has_a_lead_in_each_baltic_state(registry: ActorRegistry) -> None:
    for area in registry.area_ids:
        leads = responsible_ministries(area, ["EE", "LV", "LT"], registry)
        assert [m.country for m in leads] == ["EE", "LV", "LT"], area


def test_ministry_slugs_are_unique_within_a_country(registry: ActorRegistry) -> None:
    for country in registry.countries:
        ids = [m.id for m in country.ministries]
        assert len(ids) == len(set(ids)), country.code


def test_fallback_to_related_area_then_default_lead(registry: ActorRegistry) -> None:
    # Research has no ministry of its own in Latvia: the Ministry of Education and Science leads.
    assert [m.ministry for m in responsible_ministries("research", ["LV"], registry)] == ["education"]
    # France's registry entry has no economy ministry: the default lead answers.
    assert [m.ministry for m in responsible_ministries("economy", ["FR"], registry)] == ["foreign-affairs"]
    # Iceland has no ministry of defence; defence sits with foreign affairs.
    assert [m.ministry for m in responsible_ministries("defence", ["IS"], registry)] == ["foreign-affairs"]


def test_unknown_countries_are_skipped_and_duplicates_folded(registry: ActorRegistry) -> None:
    result = responsible_ministries("defence", ["EE", "XX", "EE", "LV"], registry)
    assert [(m.country, m.ministry) for m in result] == [("EE", "defence"), ("LV", "defence")]


def test_bodies_and_series(registry: ActorRegistry) -> None:
    bcm = registry.body("baltic-council-of-ministers")
    assert bcm is not None and bcm.name == "Baltic Council of Ministers"
    assembly = registry.body("baltic-assembly")
    assert assembly is not None and assembly.session_series == "baltic-assembly-session"
    ids = {s.id for s in registry.series}
    assert {"baltic-assembly-session", "baltic-council", "nato-summit", "nato-pa-session"} <= ids
    summit = registry.series_by_id("nato-summit")
    assert summit is not None and summit.numbered is False and summit.cadence == "P1Y"


MINIMAL = """
policy_areas: [{id: defence, name: Defence}]
countries:
  - code: EE
    name: Estonia
    ministries: [{id: defence, name: Ministry of Defence, areas: [defence]}]
"""


def test_parse_minimal_registry() -> None:
    registry = parse_registry(MINIMAL)
    assert registry.country("EE") is not None
    assert [m.ministry for m in responsible_ministries("defence", ["EE"], registry)] == ["defence"]


@pytest.mark.parametrize(
    ("yaml_text", "problem"),
    [
        (MINIMAL.replace("areas: [defence]", "areas: [astrology]"), "unknown policy area"),
        (MINIMAL + "groups: [{id: g, name: G, members: [ZZ]}]\n", "unknown country"),
        (
            MINIMAL.replace(
                "ministries: [{id: defence, name: Ministry of Defence, areas: [defence]}]",
                "ministries: [{id: defence, name: A}, {id: defence, name: B}]",
            ),
            "duplicate ministry ids",
        ),
        (MINIMAL.replace("name: Estonia", "name: Estonia\n    default_lead: finance"), "default_lead"),
    ],
)
def test_invalid_registries_are_refused(yaml_text: str, problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        parse_registry(yaml_text)


def test_registry_must_be_a_mapping() -> None:
    with pytest.raises(ValueError, match="mapping"):
        parse_registry("- just\n- a list\n")
