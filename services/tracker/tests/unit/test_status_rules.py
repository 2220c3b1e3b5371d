"""Who may report what: ministries claim on their own assignments; editors verify or dispute; admins correct."""

from __future__ import annotations

import pytest

from resolute.tracker.assignments.statuses import Standing, StatusChange, StatusRuleError, decide_status_change

EE_DEFENCE = Standing("EE", "defence", None, "not_reported", None)
CLAIMED = Standing("EE", "defence", None, "in_progress", "pending")
BODY = Standing(None, None, "baltic-council-of-ministers", "not_reported", None)


def refused(*args: object) -> int:
    with pytest.raises(StatusRuleError) as caught:
        decide_status_change(*args)  # type: ignore[arg-type]
    return caught.value.status


def test_a_ministry_claims_on_its_own_assignment() -> None:
    change = decide_status_change("ministry", ("EE", "defence"), EE_DEFENCE, "in_progress", None)
    assert change == StatusChange("claim", "in_progress", "pending", None)


def test_a_ministry_may_not_touch_another_ministrys_or_a_bodys_assignment() -> None:
    assert refused("ministry", ("EE", "interior"), EE_DEFENCE, "in_progress", None) == 403
    assert refused("ministry", ("LV", "defence"), EE_DEFENCE, "in_progress", None) == 403
    assert refused("ministry", ("EE", "defence"), BODY, "in_progress", None) == 403
    assert refused("ministry", ("EE", "defence"), CLAIMED, "in_progress", "verification") == 403
    assert refused("reader", None, EE_DEFENCE, "in_progress", None) == 403


def test_an_editor_verifies_a_matching_claim_and_disputes_a_different_one() -> None:
    assert decide_status_change("editor", None, CLAIMED, "in_progress", None) == StatusChange(
        "verification", "in_progress", "verified", "in_progress"
    )
    assert decide_status_change("editor", None, CLAIMED, "not_started", None) == StatusChange(
        "dispute", "in_progress", "disputed", "not_started"
    )
    assert refused("editor", None, EE_DEFENCE, "in_progress", "verification") == 409
    assert refused("editor", None, CLAIMED, "in_progress", "dispute") == 422
    assert refused("editor", None, CLAIMED, "completed", "verification") == 422


def test_an_editor_records_a_report_when_nothing_was_claimed_and_admins_may_set_any_status() -> None:
    assert decide_status_change("editor", None, BODY, "in_progress", None).kind == "claim"
    assert refused("editor", None, CLAIMED, "completed", "admin") == 403
    assert decide_status_change("admin", None, CLAIMED, "not_reported", "admin") == StatusChange(
        "admin", "not_reported", None, None
    )
    assert refused("ministry", ("EE", "defence"), EE_DEFENCE, "not_reported", None) == 422
