"""Fan-out rules: one lead ministry per addressee country, one assignment per body, stable ids."""

from __future__ import annotations

from resolute.shared.events.catalogue import CommitmentExtractedV1, MinistryRefV1
from resolute.tracker.commitments.service import assignment_id, plan_assignments


def _event(**overrides: object) -> CommitmentExtractedV1:
    base: dict[str, object] = {
        "commitment_id": "c1",
        "document_id": "d1",
        "document_kind": "resolution",
        "position": 0,
        "text": "to act",
        "span": (0, 6),
        "countries": ["EE", "LV"],
        "bodies": ["Baltic Council of Ministers"],
        "ministries": [
            MinistryRefV1(country="EE", ministry="defence"),
            MinistryRefV1(country="EE", ministry="interior"),
        ],
    }
    return CommitmentExtractedV1.model_validate(base | overrides)


def test_one_lead_per_country_and_one_per_body() -> None:
    plan = plan_assignments(_event())
    assert plan == [
        ("EE", "defence", None, "lead"),
        ("LV", None, None, "lead"),
        (None, None, "Baltic Council of Ministers", "body"),
    ]


def test_assignment_ids_are_stable_and_distinct() -> None:
    assert assignment_id("c1", "EE", "defence", None) == assignment_id("c1", "EE", "defence", None)
    assert assignment_id("c1", "EE", "defence", None) != assignment_id("c1", "LV", "defence", None)
    assert assignment_id("c1", None, None, "X") != assignment_id("c2", None, None, "X")
