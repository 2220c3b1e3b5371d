"""Fan-out rules: one assignment per addressee country (lead and supporting ministries), one per body."""

from __future__ import annotations

from resolute.shared.actors import default_registry
from resolute.tracker.assignments.planning import PlannedAssignment, assignment_id, plan_assignments, resolve_body

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
