"""What pages show, computed from API answers: marks at spans, the chart, the inbox order, dates as read."""

from __future__ import annotations

from datetime import date

import pytest

from resolute.gateway.console.views import (
    STATUSES,
    FormRefused,
    calendar_rows,
    change_rows,
    correction_body,
    facts_body,
    format_day,
    format_when,
    history_rows,
    inbox_order,
    marked_text,
    merge_neighbours,
    month_ends,
    owns,
    progress_chart,
    shown_value,
    split_spans,
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


# --- split, merge and a document's facts ------------------------------------------------------------------------

_SOURCE = "- to build a joint reserve of ammunition\n  by 2033 and to agree on the air defence plan;"


def test_a_split_is_where_the_editor_put_its_marks_whatever_the_line_breaks() -> None:
    submitted = "- to build a joint reserve of ammunition by 2033 and\r\n---\r\nto agree on the air\ndefence plan;"
    spans = split_spans(_SOURCE, 100, submitted)
    assert [_SOURCE[s - 100 : e - 100] for s, e in spans] == [
        "- to build a joint reserve of ammunition\n  by 2033 and",
        "to agree on the air defence plan;",
    ]
    assert spans[0][0] == 100 and spans[1][1] == 100 + len(_SOURCE)


def test_a_split_with_changed_words_or_no_mark_is_refused_saying_why() -> None:
    with pytest.raises(FormRefused, match="line with only ---"):
        split_spans(_SOURCE, 0, _SOURCE)
    with pytest.raises(FormRefused, match="part 2 is not the commitment's words"):
        split_spans(
            _SOURCE, 0, "- to build a joint reserve of ammunition\n---\nby 2034 and to agree on the air defence plan;"
        )
    with pytest.raises(FormRefused, match="words after part 2 are missing"):
        split_spans(_SOURCE, 0, "- to build a joint reserve\n---\nof ammunition")


def test_the_neighbours_offered_for_a_merge_are_those_next_to_it_in_text_order() -> None:
    items = [{"id": f"c{n}"} for n in range(10)]
    assert [c["id"] for c in merge_neighbours(items, "c5", reach=2)] == ["c3", "c4", "c6", "c7"]
    assert [c["id"] for c in merge_neighbours(items, "c0", reach=2)] == ["c1", "c2"]
    assert merge_neighbours(items, "gone") == []


_PART = {
    "title": "Resolution of the 50th Session",
    "kind": "resolution",
    "issuing_body": "Baltic Assembly",
    "number": None,
    "session": 50,
    "adopted": "2031-11-20",
    "place": "Tallinn",
    "calendar_facts": [{"series": "baltic-assembly-session", "ordinal": 50, "start": "2031-11-20", "end": None,
                        "place": "Tallinn"}],
}  # fmt: skip


def _facts_form(**changed: str | None) -> dict[str, str | None]:
    form: dict[str, str | None] = {
        "title": _PART["title"], "kind": "resolution", "issuing_body": "Baltic Assembly", "number": None,
        "session": "50", "adopted": "2031-11-20", "place": "Tallinn",
        "cf0_series": "baltic-assembly-session", "cf0_ordinal": "50", "cf0_start": "2031-11-20", "cf0_end": None,
        "cf0_place": "Tallinn",
    }  # fmt: skip
    form.update(changed)
    return form


def test_a_facts_form_sent_back_as_shown_corrects_nothing() -> None:
    assert len(calendar_rows(_PART)) == 2  # its fact and an empty row to add one
    assert facts_body(_PART, _facts_form(), rows=2) == {}


def test_only_the_facts_changed_are_sent_and_an_emptied_one_clears_it() -> None:
    body = facts_body(_PART, _facts_form(place=None, session="51", adopted="2031-11-21"), rows=2)
    assert body == {"place": None, "session": 51, "adopted": "2031-11-21"}


def test_calendar_rows_are_sent_whole_when_one_is_added_changed_or_removed() -> None:
    added = facts_body(_PART, _facts_form(cf1_series="baltic-council", cf1_ordinal="37", cf1_start="2031-12-01"), 2)
    assert added == {"calendar_facts": [
        {"series": "baltic-assembly-session", "ordinal": 50, "start": "2031-11-20", "place": "Tallinn"},
        {"series": "baltic-council", "ordinal": 37, "start": "2031-12-01"},
    ]}  # fmt: skip
    assert facts_body(_PART, _facts_form(cf0_remove="1"), rows=2) == {"calendar_facts": []}
    moved = facts_body(_PART, _facts_form(cf0_start="2031-11-19"), rows=2)
    assert moved["calendar_facts"][0]["start"] == "2031-11-19"


def test_a_facts_form_that_cannot_be_a_correction_says_which_fact() -> None:
    with pytest.raises(FormRefused, match="session 'fifty' is not a number"):
        facts_body(_PART, _facts_form(session="fifty"), rows=2)
    with pytest.raises(FormRefused, match="title cannot be left empty"):
        facts_body(_PART, _facts_form(title=None), rows=2)
    with pytest.raises(FormRefused, match="kind 'memo' is not one of"):
        facts_body(_PART, _facts_form(kind="memo"), rows=2)
    with pytest.raises(FormRefused, match="calendar fact 2: give its meeting series and the day it starts"):
        facts_body(_PART, _facts_form(cf1_ordinal="37"), rows=2)
