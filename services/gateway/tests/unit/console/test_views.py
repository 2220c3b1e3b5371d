"""What pages show, computed from API answers: marks at spans, the chart, the inbox order, dates as read."""

from __future__ import annotations

from datetime import date

import pytest

from resolute.gateway.console.views import (
    STATUSES,
    FormRefused,
    change_rows,
    correction_body,
    format_day,
    format_when,
    history_rows,
    inbox_order,
    marked_text,
    month_ends,
    owns,
    progress_chart,
    shown_value,
    status_class,
)


def _commitment(ident: str, start: int, end: int, confidence: float = 0.9) -> dict[str, object]:
    return {"id": ident, "span": [start, end], "confidence": confidence}


def test_the_text_is_cut_at_every_span_and_put_back_together_unchanged() -> None:
    text = "The Assembly calls on the governments to act; and asks the ministries to report by 2027."
    first = (text.index("to act"), text.index(";"))
    second = (text.index("to report"), len(text) - 1)
    segments = marked_text(text, [_commitment("b", *second, confidence=0.5), _commitment("a", *first)])
    assert "".join(s.text for s in segments) == text
    marked = [(s.commitment["id"], s.text, s.weak) for s in segments if s.commitment]
    assert marked == [("a", "to act", False), ("b", "to report by 2027", True)]
    assert all(text[s.start : s.start + len(s.text)] == s.text for s in segments)


def test_an_overlapping_or_empty_or_out_of_range_span_is_left_plain() -> None:
    text = "abcdefghij"
    segments = marked_text(
        text, [_commitment("a", 0, 6), _commitment("b", 4, 8), _commitment("c", 7, 7), _commitment("d", 8, 99)]
    )
    assert "".join(s.text for s in segments) == text
    assert [(s.commitment["id"], s.text) for s in segments if s.commitment] == [("a", "abcdef"), ("d", "ij")]
    assert marked_text(text, [{"id": "x", "span": None}]) == marked_text(text, [])


def test_month_ends_run_oldest_first_to_today() -> None:
    assert month_ends(date(2026, 3, 15), 4) == [
        date(2025, 12, 31),
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 15),
    ]


def test_the_chart_stacks_every_status_and_labels_its_legend() -> None:
    labels = {s: s.replace("_", " ").title() for s in STATUSES}
    svg = str(
        progress_chart(
            [(date(2026, 1, 31), {"completed": 2, "in_progress": 1}), (date(2026, 2, 28), {})], "Progress <&>", labels
        )
    )
    assert svg.startswith('<svg role="img"') and '<title id="chart-title">Progress &lt;&amp;&gt;</title>' in svg
    assert "Completed: 2" in svg and "In Progress: 1" in svg
    assert svg.count("<rect") == 2 + len(STATUSES)  # two bars, one legend swatch per status
    assert "Jan 2026" in svg and "Feb 2026" in svg


def test_the_inbox_puts_dated_assignments_first_soonest_first() -> None:
    assignments = [{"id": "late"}, {"id": "none"}, {"id": "soon"}]
    deadlines = [{"assignment_id": "late", "date": "2027-05-01"}, {"assignment_id": "soon", "date": "2026-12-20"}]
    assert [r["id"] for r in inbox_order(assignments, deadlines)] == ["soon", "late", "none"]


def test_a_ministry_owns_its_lead_and_supporting_assignments_only() -> None:
    lead = {"country": "EE", "ministry": "defence", "supporting_ministries": []}
    supporting = {"country": "EE", "ministry": "foreign-affairs", "supporting_ministries": ["defence"]}
    other_country = {"country": "LV", "ministry": "defence", "supporting_ministries": []}
    assert owns(("EE", "defence"), lead) and owns(("EE", "defence"), supporting)
    assert not owns(("EE", "defence"), other_country)
    assert not owns(("EE", "economy"), lead)
    assert owns(None, other_country)  # not a ministry: the API's scopes decide


def test_dates_are_shown_as_people_read_them() -> None:
    assert format_day("2026-12-03") == "3 Dec 2026"
    assert format_day("2026-12-03T23:30:00+00:00") == "3 Dec 2026"
    assert format_when("2026-12-03T14:05:09+02:00") == "3 Dec 2026 12:05 UTC"
    assert format_day(None) == "" and format_when("") == ""


def test_a_status_class_never_comes_from_data() -> None:
    assert status_class("completed") == "status-completed"
    assert status_class('x" onmouseover="alert(1)') == "status-unknown"


def test_history_shows_a_note_or_evidence_only_where_it_changed() -> None:
    entries = [
        {"kind": "assigned", "note": None, "evidence_urls": []},
        {"kind": "claim", "note": "started", "evidence_urls": ["https://a.example/1"]},
        {"kind": "verification", "note": "started", "evidence_urls": ["https://a.example/1"]},
        {"kind": "claim", "note": "done", "evidence_urls": ["https://a.example/1", "https://a.example/2"]},
    ]
    rows = history_rows(entries)
    assert [(r["new_note"], r["new_evidence"]) for r in rows] == [
        (None, []),
        ("started", ["https://a.example/1"]),
        (None, []),
        ("done", ["https://a.example/1", "https://a.example/2"]),
    ]


# --- corrections ----------------------------------------------------------------------------------------------

_SHOWN = {
    "text": "to present the proposals at the 32nd Baltic Council",
    "countries": ["LV", "EE", "LT"],
    "ministries": [{"country": "EE", "ministry": "defence"}],
    "policy_area": "defence",
    "deadline": {"verbatim": "at the 32nd Baltic Council", "kind": "event", "series": "baltic-council", "ordinal": 32,
                 "date": None, "year": None, "every": None},
}  # fmt: skip
_UNCHANGED = {
    "text": _SHOWN["text"],
    "countries": "EE LV LT",
    "ministries": "EE defence",
    "policy_area": "defence",
    "deadline_kind": "event",
    "deadline_verbatim": "at the 32nd Baltic Council",
    "deadline_series": "baltic-council",
    "deadline_ordinal": "32",
}


def test_a_form_sent_back_as_shown_corrects_nothing() -> None:
    assert correction_body(_SHOWN, dict(_UNCHANGED)) == {}


def test_only_the_fields_the_editor_changed_are_sent() -> None:
    form = {**_UNCHANGED, "countries": "ee, lv lt pl", "deadline_kind": "date", "deadline_verbatim": "by 1 May 2027",
            "deadline_date": "2027-05-01", "deadline_series": None, "deadline_ordinal": None}  # fmt: skip
    assert correction_body(_SHOWN, form) == {
        "countries": ["EE", "LT", "LV", "PL"],
        "deadline": {"kind": "date", "verbatim": "by 1 May 2027", "date": "2027-05-01"},
    }


def test_clearing_the_deadline_and_the_ministries_sends_them_empty() -> None:
    form = {**_UNCHANGED, "deadline_kind": None, "ministries": ""}
    assert correction_body(_SHOWN, form) == {"deadline": None, "ministries": []}


def test_a_form_that_cannot_be_a_correction_says_which_field() -> None:
    with pytest.raises(FormRefused, match="ministry 'Estonia'"):
        correction_body(_SHOWN, {**_UNCHANGED, "ministries": "Estonia"})
    with pytest.raises(FormRefused, match="ordinal 'thirty'"):
        correction_body(_SHOWN, {**_UNCHANGED, "deadline_ordinal": "thirty"})
    with pytest.raises(FormRefused, match="needs its words"):
        correction_body(_SHOWN, {**_UNCHANGED, "deadline_verbatim": None})


def test_a_correction_is_shown_field_by_field_before_and_after() -> None:
    correction = {
        "kind": "revise",
        "commitments": [
            {"commitment_id": "c1", "effect": "revised", "changes": [
                {"field": "deadline", "before": _SHOWN["deadline"], "after": None},
                {"field": "ministries", "before": [], "after": [{"country": "EE", "ministry": "defence"}]},
            ]},
            {"commitment_id": "c2", "effect": "withdrawn", "changes": []},
        ],
        "facts": None,
    }  # fmt: skip
    rows = change_rows(correction)
    assert [(r["commitment_id"], r["field"]) for r in rows] == [("c1", "deadline"), ("c1", "ministries"), ("c2", None)]
    assert [shown_value(rows[0]["before"]), shown_value(rows[0]["after"])] == ["at the 32nd Baltic Council", "—"]
    assert shown_value(rows[1]["after"]) == "EE: defence"
    assert shown_value({"verbatim": "by 2027", "kind": "year", "year": 2027}) == "by 2027 (2027)"
