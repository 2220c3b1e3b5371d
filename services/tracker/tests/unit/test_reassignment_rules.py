"""Who carries on an assignment after a reorganisation: renamed, merged and abolished ministries, and portfolios
moved, on the shipped Estonian reorganisations and the test merger."""

from __future__ import annotations

from datetime import date

from resolute.shared.actors import Reorganisation, default_registry, with_reorganisation
from resolute.shared.testing.registry import registry_with_test_reorganisation
from resolute.tracker.reassignments.rules import succession

REGISTRY = default_registry()


def test_a_portfolio_moved_since_is_proposed_to_the_ministry_holding_it_now() -> None:
    found = succession(REGISTRY, "EE", "economy", "energy", date(2022, 5, 1))
    assert found is not None and (found.ministry, found.reason) == ("climate", "portfolio_moved")
    assert found.reorganisation.effective == date(2023, 7, 1)
    # the same ministry keeps what stayed with it
    assert succession(REGISTRY, "EE", "economy", "economy", date(2022, 5, 1)) is None
    # and nothing moves for what was assigned after the reorganisation
    assert succession(REGISTRY, "EE", "climate", "energy", date(2023, 7, 1)) is None


def test_a_renamed_ministry_is_its_own_successor_under_its_new_name() -> None:
    found = succession(REGISTRY, "EE", "environment", "climate", date(2022, 5, 1))
    assert found is not None and (found.ministry, found.reason) == ("climate", "renamed")
    justice = succession(REGISTRY, "EE", "justice", "justice", date(2023, 12, 1))
    assert justice is not None and (justice.ministry, justice.reorganisation.effective) == (
        "justice-and-digital", date(2024, 8, 13),
    )  # fmt: skip


def test_the_test_merger_proposes_the_merged_ministry() -> None:
    merged = registry_with_test_reorganisation()
    for ministry, area in (("defence", "defence"), ("interior", "interior")):
        found = succession(merged, "EE", ministry, area, date(2025, 11, 14))
        assert found is not None and (found.ministry, found.reason) == ("defence-and-internal-security", "merged")
        assert found.reorganisation.test_data
    assert succession(merged, "EE", "defence", "defence", date(2026, 6, 1)) is None  # assigned on the day itself
    assert succession(merged, "LV", "defence", "defence", date(2025, 11, 14)) is None  # another country


def test_a_line_is_followed_through_every_later_reorganisation() -> None:
    # the Ministry of Justice renamed in 2024, then (test data) merged into a new ministry
    merger = Reorganisation.model_validate(
        {
            "effective": "2027-01-01",
            "title": "TEST DATA: justice merged into the interior",
            "test_data": True,
            "source": {"url": "https://example.invalid/resolute/test-data", "title": "TEST DATA"},
            "changes": [
                {"kind": "abolish", "successor": "interior",
                 "ministry": {"id": "justice-and-digital", "name": "Ministry of Justice and Digital Affairs",
                              "local_name": "Justiits- ja Digiministeerium", "areas": ["justice", "digital"]}},
            ],
        }
    )  # fmt: skip
    later = with_reorganisation(REGISTRY, "EE", merger)
    found = succession(later, "EE", "justice", "justice", date(2023, 12, 1))
    assert found is not None and (found.ministry, found.reason) == ("interior", "renamed")
    assert found.reorganisation.effective == date(2024, 8, 13)  # the first change to its line


def test_abolished_without_successor_goes_to_todays_lead_on_the_area() -> None:
    abolition = Reorganisation.model_validate(
        {
            "effective": "2027-01-01",
            "title": "TEST DATA: the Ministry of Culture abolished",
            "test_data": True,
            "source": {"url": "https://example.invalid/resolute/test-data", "title": "TEST DATA"},
            "changes": [{"kind": "abolish", "ministry": REGISTRY.country("EE").ministry("culture").model_dump()}],  # type: ignore[union-attr]
        }
    )
    later = with_reorganisation(REGISTRY, "EE", abolition)
    found = succession(later, "EE", "culture", "culture", date(2025, 1, 1))
    lead = later.country("EE")
    assert lead is not None and lead.default_lead is not None
    assert found is not None and found.reason == "abolished" and found.ministry == lead.default_lead
