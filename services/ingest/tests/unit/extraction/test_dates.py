"""Date forms documents use, with offsets of what was read."""

from __future__ import annotations

from datetime import date

import pytest

from resolute.ingest.extraction.dates import find_dates, month_end


@pytest.mark.parametrize(
    ("text", "first", "last", "precision", "matched"),
    [
        (
            "on 13-14 November 2025 in Riga",
            date(2025, 11, 13),
            date(2025, 11, 14),
            "day",
            "13-14 November 2025",
        ),
        (
            "held on 23\u201324 November 2023",
            date(2023, 11, 23),
            date(2023, 11, 24),
            "day",
            "23\u201324 November 2023",
        ),
        (
            "on Monday 13 October 2025.",
            date(2025, 10, 13),
            date(2025, 10, 13),
            "day",
            "Monday 13 October 2025",
        ),
        ("of January 29, 2013", date(2013, 1, 29), date(2013, 1, 29), "day", "January 29, 2013"),
        ("from 23-26 May 2025", date(2025, 5, 23), date(2025, 5, 26), "day", "23-26 May 2025"),
        (
            "on 17 and 18 October 2024",
            date(2024, 10, 17),
            date(2024, 10, 18),
            "day",
            "17 and 18 October 2024",
        ),
        ("30 November \u2013 1 December 2025", date(2025, 11, 30), date(2025, 12, 1), "day", None),
        ("on 30.01.2026,", date(2026, 1, 30), date(2026, 1, 30), "day", "30.01.2026"),
        ("dated 2026-02-03", date(2026, 2, 3), date(2026, 2, 3), "day", "2026-02-03"),
        ("in July 2025", date(2025, 7, 1), date(2025, 7, 1), "month", "July 2025"),
        ("the 5th of May 2026", date(2026, 5, 5), date(2026, 5, 5), "day", "the 5th of May 2026"),
    ],
)
def test_forms(text: str, first: date, last: date, precision: str, matched: str | None) -> None:
    (mention,) = find_dates(text)
    assert (mention.first, mention.last, mention.precision) == (first, last, precision)
    if matched is not None:
        assert text[mention.start : mention.end] == matched


def test_not_dates() -> None:
    assert find_dates("the project may 2025 units") == []
    assert find_dates("March 25 as the International Day") == []
    assert find_dates("31 February 2025") == []
    assert find_dates("in 2027") == []


def test_month_end() -> None:
    assert month_end(date(2024, 2, 1)) == date(2024, 2, 29)
    assert month_end(date(2025, 12, 5)) == date(2025, 12, 31)


def test_yearless_dates_need_a_default_year() -> None:
    assert find_dates("on 17-18 October in Riga") == []
    (mention,) = find_dates("on 17-18 October in Riga", default_year=2024)
    assert (mention.first, mention.last) == (date(2024, 10, 17), date(2024, 10, 18))
    (mention,) = find_dates("on 5 May 2026", default_year=2024)
    assert mention.first == date(2026, 5, 5)
