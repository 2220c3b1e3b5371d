"""Ministries over time: Estonia's 2023 and 2024 reorganisations as shipped, the ministry holding a portfolio
on a date, successors of renamed and abolished ministries, and the clearly-marked test-data merger."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from resolute.shared.actors import (
    ActorRegistry,
    ReorganisationError,
    default_registry,
    ministry_for,
    parse_registry,
    responsible_ministries,
    with_reorganisation,
)
from resolute.shared.testing.registry import registry_with_test_reorganisation, test_reorganisation


@pytest.fixture(scope="module")
def registry() -> ActorRegistry:
    return default_registry()


def _lead(registry: ActorRegistry, code: str, area: str, on: date | None = None) -> str | None:
    ministry = ministry_for(registry, code, area, on)
    return ministry.id if ministry is not None else None


def test_estonian_energy_moved_to_the_ministry_of_climate_on_1_july_2023(registry: ActorRegistry) -> None:
    assert _lead(registry, "EE", "energy", date(2023, 6, 30)) == "economy"
    assert _lead(registry, "EE", "energy", date(2023, 7, 1)) == "climate"
    assert _lead(registry, "EE", "transport", date(2020, 1, 1)) == "economy"
    assert _lead(registry, "EE", "environment", date(2020, 1, 1)) == "environment"
    assert _lead(registry, "EE", "regional-development", date(2020, 1, 1)) == "finance"
    assert _lead(registry, "EE", "agriculture", date(2020, 1, 1)) == "rural-affairs"
    before = registry.country_on("EE", date(2023, 6, 30))
    assert before is not None and before.ministry("environment") is not None
    assert before.ministry("environment").name == "Ministry of the Environment"  # type: ignore[union-attr]
    assert before.ministry("climate") is None


def test_digital_affairs_moved_to_justice_in_2024(registry: ActorRegistry) -> None:
    assert _lead(registry, "EE", "digital", date(2024, 8, 12)) == "economy"
    assert _lead(registry, "EE", "digital", date(2024, 8, 13)) == "justice-and-digital"
    assert _lead(registry, "EE", "justice", date(2024, 1, 1)) == "justice"


def test_without_a_date_todays_organisation_answers(registry: ActorRegistry) -> None:
    assert registry.country_on("EE") is registry.country("EE")
    leads = {m.country: m.ministry for m in responsible_ministries("energy", ["EE", "LV", "LT"], registry)}
    assert leads == {"EE": "climate", "LV": "climate-and-energy", "LT": "energy"}
    dated = {m.country: m.name for m in responsible_ministries("energy", ["EE"], registry, on=date(2022, 5, 1))}
    assert dated == {"EE": "Ministry of Economic Affairs and Communications"}
    assert registry.country_on("LV", date(2000, 1, 1)) is registry.country("LV")  # no reorganisation shipped


def test_successors_follow_renames(registry: ActorRegistry) -> None:
    climate = registry.successor("EE", "environment")
    assert climate is not None and climate.id == "climate"
    assert registry.successor("EE", "justice", date(2024, 1, 1)).id == "justice"  # type: ignore[union-attr]
    assert registry.successor("EE", "justice").id == "justice-and-digital"  # type: ignore[union-attr]
    assert registry.successor("EE", "defence").id == "defence"  # type: ignore[union-attr]
    assert registry.successor("EE", "astrology") is None
    assert registry.successor("XX", "defence") is None


def test_the_test_data_merger_abolishes_into_a_successor() -> None:
    code, reorganisation = test_reorganisation()
    assert code == "EE" and reorganisation.test_data and "TEST DATA" in reorganisation.title
    merged = registry_with_test_reorganisation()
    assert merged.country("EE").ministry("defence") is None  # type: ignore[union-attr]
    successor = merged.successor("EE", "defence")
    assert successor is not None and successor.id == "defence-and-internal-security"
    assert set(successor.areas) == {"defence", "interior", "security"}
    day_before = reorganisation.effective.toordinal() - 1
    assert _lead(merged, "EE", "defence", date.fromordinal(day_before)) == "defence"
    assert _lead(merged, "EE", "defence", reorganisation.effective) == "defence-and-internal-security"
    assert merged.successor("EE", "defence", date.fromordinal(day_before)).id == "defence"  # type: ignore[union-attr]
    assert default_registry().country("EE").ministry("defence") is not None  # type: ignore[union-attr]
    again = ActorRegistry.model_validate(merged.model_dump(mode="json"))
    assert again.successor("EE", "interior").id == "defence-and-internal-security"  # type: ignore[union-attr]


def test_a_reorganisation_must_come_after_the_last(registry: ActorRegistry) -> None:
    _, reorganisation = test_reorganisation(effective=date(2024, 1, 1))
    with pytest.raises(ReorganisationError, match="after the last"):
        with_reorganisation(registry, "EE", reorganisation)


MINIMAL = """
policy_areas: [{id: defence, name: Defence}, {id: energy, name: Energy}, {id: economy, name: Economy}]
countries:
  - code: EE
    name: Estonia
    ministries:
      - {id: economy, name: Ministry of Economy, areas: [economy]}
      - {id: climate, name: Ministry of Climate, areas: [energy]}
"""
SOURCE = "source: {url: 'https://example.org/r', title: R}"


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ("[{kind: move, areas: [energy], from: economy, to: nowhere}]", "no ministry 'nowhere'"),
        ("[{kind: move, areas: [defence], from: economy, to: climate}]", "does not hold"),
        ("[{kind: create, ministry: {id: climate, name: Ministry of Climate, areas: []}}]", "was created with"),
        (
            "[{kind: rename, ministry: climate, name: Ministry of Climate, was: {id: economy, name: Old}}]",
            "already exists",
        ),
        ("[{kind: abolish, ministry: {id: climate, name: Gone, areas: []}}]", "already exists"),
        ("[{kind: move, areas: [astrology], from: economy, to: climate}]", "astrology"),
    ],
)
def test_reorganisations_that_do_not_fit_are_refused(changes: str, problem: str) -> None:
    history = (
        f"countries: {{EE: {{reorganisations: [{{effective: 2023-07-01, title: T, {SOURCE}, changes: {changes}}}]}}}}"
    )
    with pytest.raises(ValidationError, match=problem):
        parse_registry(MINIMAL, [history])


def test_a_fitting_reorganisation_is_read_both_ways() -> None:
    history = (
        f"countries: {{EE: {{reorganisations: [{{effective: 2023-07-01, title: T, {SOURCE}, changes: "
        "[{kind: create, ministry: {id: climate, name: Ministry of Climate, areas: []}},"
        " {kind: move, areas: [energy], from: economy, to: climate}]}]}}"
    )
    registry = parse_registry(MINIMAL, [history])
    assert _lead(registry, "EE", "energy", date(2023, 6, 30)) == "economy"
    assert _lead(registry, "EE", "energy") == "climate"
    assert registry.country_on("EE", date(2023, 6, 30)).ministry("climate") is None  # type: ignore[union-attr]
