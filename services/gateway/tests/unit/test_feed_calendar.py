"""Deadlines as iCalendar: what a calendar client relies on (stable UIDs, all-day dates, tentative projections)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from icalendar import Calendar

from resolute.gateway.feeds.calendar import FeedTitle, deadline_calendar, feed_version
from resolute.shared.api.deadlines import DeadlineItem

TITLE = FeedTitle(name="Resolute: deadlines of Estonia", description="Estonia's deadlines", uid="ee@resolute")
STAMP = datetime(2026, 11, 20, 9, tzinfo=UTC)


def _item(assignment_id: str, day: date, **changes: Any) -> DeadlineItem:
    values: dict[str, Any] = {
        "assignment_id": assignment_id,
        "commitment_id": "c-" + assignment_id,
        "document_id": "d",
        "document_title": "Resolution of the 44th Session",
        "country": "EE",
        "ministry": "government-office",
        "body": None,
        "policy_area": "governance",
        "text": "to improve the coordination mechanism and present the proposals at the 32nd Baltic Council",
        "date": day,
        "projected": False,
        "kind": "event",
        "verbatim": "at the 32nd Baltic Council",
        "series": "baltic-council",
        "ordinal": 32,
        "status": "not_reported",
        "overdue": False,
        "days_left": (day - STAMP.date()).days,
    }
    return DeadlineItem.model_validate(values | changes)


def _parsed(*items: DeadlineItem) -> Calendar:
    return Calendar.from_ical(deadline_calendar(items, title=TITLE, link_base="https://api", stamp=STAMP).to_ical())


def test_each_assignment_is_one_all_day_event_under_a_stable_uid() -> None:
    calendar = _parsed(_item("b", date(2026, 12, 1)), _item("a", date(2026, 11, 27)), _item("a", date(2026, 11, 27)))
    events = calendar.walk("VEVENT")
    assert [str(e["UID"]) for e in events] == ["deadline-a@resolute", "deadline-b@resolute"]  # once, soonest first
    first = events[0]
    assert (first.start, first.end) == (date(2026, 11, 27), date(2026, 11, 28))
    assert first["DTSTAMP"].dt == STAMP and str(first["STATUS"]) == "CONFIRMED"
    assert str(first["URL"]) == "https://api/v1/assignments/a"
    assert "at the 32nd Baltic Council" in str(first["DESCRIPTION"])
    assert str(calendar["X-WR-CALNAME"]) == TITLE.name and str(calendar["NAME"]) == TITLE.name
    assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    moved = _parsed(_item("a", date(2026, 12, 3))).walk("VEVENT")[0]
    assert str(moved["UID"]) == "deadline-a@resolute" and moved.start == date(2026, 12, 3)  # moved, not new


def test_projected_dates_are_tentative_and_finished_ones_cancelled() -> None:
    projected, done = _parsed(
        _item("p", date(2026, 11, 23), projected=True), _item("x", date(2026, 11, 30), status="completed")
    ).walk("VEVENT")
    assert str(projected["STATUS"]) == "TENTATIVE" and str(projected["SUMMARY"]).startswith("(projected) ")
    assert "projected" in [str(c) for c in projected.categories]
    assert str(done["STATUS"]) == "CANCELLED"


def test_a_long_text_is_cut_in_the_summary_and_whole_in_the_description() -> None:
    text = "to " + "strengthen regional resilience " * 10
    event = _parsed(_item("a", date(2026, 11, 27), text=text)).walk("VEVENT")[0]
    assert len(str(event["SUMMARY"])) < 120 and "…" in str(event["SUMMARY"])
    assert " ".join(text.split()) in str(event["DESCRIPTION"])


def test_an_empty_feed_is_still_a_calendar() -> None:
    calendar = _parsed()
    assert calendar.walk("VEVENT") == [] and str(calendar["PRODID"])


def test_the_version_follows_content_not_the_passing_of_days() -> None:
    item = _item("a", date(2026, 11, 27))
    same = feed_version(TITLE, [item.model_copy(update={"days_left": item.days_left - 1})])
    assert feed_version(TITLE, [item]) == same
    assert feed_version(TITLE, [item.model_copy(update={"status": "in_progress"})]) != same
    assert feed_version(TITLE, [item.model_copy(update={"date": date(2026, 11, 28)})]) != same
