"""Fan-out rules: one assignment per addressee country (lead and supporting ministries), one per body."""

from __future__ import annotations

from datetime import date

from resolute.shared.actors import default_registry
from resolute.shared.testing.registry import registry_with_test_reorganisation
from resolute.tracker.assignments.planning import (
    PlannedAssignment,
    assignment_id,
    dated_ministry,
    plan_assignments,
    resolve_body,
)

REGISTRY = default_registry()


def test_the_named_ministry_leads_and_further_ones_support() -> None:
    plan = plan_assignments(
        ["EE", "LV"],
        ["Baltic Council of Ministers"],
        [("EE", "defence"), ("EE", "interior")],
        "defence",
        REGISTRY,
    )
    assert plan == [
        PlannedAssignment("EE", "defence", None, "lead", ("interior",)),
        PlannedAssignment("LV", "defence", None, "lead", ()),
        PlannedAssignment(None, None, "baltic-council-of-ministers", "body"),
    ]


def test_without_named_ministries_the_registry_picks_the_lead_per_country() -> None:
    plan = plan_assignments(["EE", "LV", "LT"], [], [], "energy", REGISTRY)
    assert [(p.country, p.ministry) for p in plan] == [("EE", "climate"), ("LV", "climate-and-energy"),
                                                        ("LT", "energy")]  # fmt: skip
    governance = plan_assignments(["EE"], [], [], None, REGISTRY)
    assert governance[0].ministry == "government-office"  # the country's default lead


def test_a_ministry_a_country_does_not_have_falls_back_to_the_registry() -> None:
    # Iceland has no ministry of defence: its foreign ministry holds defence
    plan = plan_assignments(["IS"], [], [("IS", "defence")], "defence", REGISTRY)
    assert plan[0].ministry == "foreign-affairs"


def test_other_ministries_covering_the_area_support_the_lead() -> None:
    # Lithuania's Ministry of the Interior covers regional development; nobody else does
    plan = plan_assignments(["LT"], [], [("LT", "government-office")], "regional-development", REGISTRY)
    assert plan[0] == PlannedAssignment("LT", "government-office", None, "lead", ("interior",))


def test_duplicates_collapse_and_unknown_bodies_keep_their_name() -> None:
    plan = plan_assignments(["EE", "EE"], ["BCM", "Baltic Council of Ministers", "Some Forum"], [], "defence", REGISTRY)
    assert [(p.country, p.body) for p in plan] == [("EE", None), (None, "baltic-council-of-ministers"),
                                                   (None, "Some Forum")]  # fmt: skip
    assert resolve_body("NATO PA", REGISTRY) == "nato-pa"


def test_assignment_ids_are_stable_per_country_or_body() -> None:
    assert assignment_id("c1", "EE", None) == assignment_id("c1", "EE", None)
    assert assignment_id("c1", "EE", None) != assignment_id("c1", "LV", None)
    assert assignment_id("c1", None, "x") != assignment_id("c2", None, "x")
    assert assignment_id("c1", None, "EE") != assignment_id("c1", "EE", None)


def test_a_commitment_goes_to_the_ministry_of_its_adoption_date() -> None:
    # Estonia's energy was the Ministry of Economic Affairs' until the Ministry of Climate took it (1 July 2023);
    # extraction proposes today's ministry, the tracker dates it
    before = plan_assignments(["EE", "LV"], [], [("EE", "climate"), ("LV", "climate-and-energy")], "energy",
                              REGISTRY, on=date(2022, 5, 1))  # fmt: skip
    assert [(p.country, p.ministry) for p in before] == [("EE", "economy"), ("LV", "climate-and-energy")]
    after = plan_assignments(["EE"], [], [("EE", "climate")], "energy", REGISTRY, on=date(2024, 5, 1))
    assert after[0].ministry == "climate"
    assert plan_assignments(["EE"], [], [], "energy", REGISTRY, on=date(2022, 5, 1))[0].ministry == "economy"
    # a signatory that existed then stays the lead, whatever leads on the area
    signed = plan_assignments(["EE"], [], [("EE", "defence")], "transport", REGISTRY, on=date(2022, 5, 1))
    assert signed[0].ministry == "defence"


def test_the_test_merger_assigns_by_the_adoption_date() -> None:
    merged = registry_with_test_reorganisation()  # defence and interior merged on 1 June 2026 (test data)
    earlier = plan_assignments(["EE"], [], [("EE", "defence-and-internal-security")], "defence", merged,
                               on=date(2025, 11, 14))  # fmt: skip
    assert earlier[0].ministry == "defence"
    later = plan_assignments(["EE"], [], [("EE", "defence")], "defence", merged, on=date(2026, 7, 1))
    assert later[0].ministry == "defence-and-internal-security"


def test_a_named_ministry_created_since_stands_for_the_one_it_carries_on_from() -> None:
    # "Ministry of Justice and Digital Affairs" (since 13 Aug 2024) named for a justice commitment of 2023
    assert dated_ministry(REGISTRY, "EE", "justice-and-digital", "justice", date(2023, 12, 1)) == "justice"
    assert dated_ministry(REGISTRY, "EE", "no-such-ministry", "justice", date(2023, 12, 1)) is None
    assert dated_ministry(REGISTRY, "XX", "defence", "defence", date(2023, 12, 1)) is None
