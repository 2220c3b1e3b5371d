"""Calendar facts: numbered sessions and councils with dates and places, from any kind of document."""
# Fixtures reproduce documents line for line (long lines, dashes): their layout is what is tested.
# ruff: noqa: E501

from __future__ import annotations

from datetime import date

from resolute.ingest.extraction.calendar import calendar_facts, latest_ordinals, occurrence_dates
from resolute.ingest.extraction.models import CalendarFact
from resolute.shared.actors import ActorRegistry


def _facts(text: str, registry: ActorRegistry, **kwargs: object) -> set[tuple[object, ...]]:
    return {
        (f.series, f.ordinal, _day(f.start), _day(f.end), f.place)
        for f in calendar_facts(text, registry, **kwargs)  # type: ignore[arg-type]
    }


def _day(iso: str | None) -> date | None:
    return None if iso is None else date.fromisoformat(iso)


def test_one_sentence_two_events(registry: ActorRegistry) -> None:
    text = (
        "At the 42nd Session of the Baltic Assembly and the 29th Baltic Council held in Tallinn on "
        "23\u201324 November 2023, parliamentarians discussed the results of the Estonian Presidency."
    )
    assert _facts(text, registry) == {
        ("baltic-assembly-session", 42, date(2023, 11, 23), date(2023, 11, 24), "Tallinn"),
        ("baltic-council", 29, date(2023, 11, 23), date(2023, 11, 24), "Tallinn"),
    }


def test_its_session_belongs_to_the_issuing_body(registry: ActorRegistry) -> None:
    text = "The Baltic Assembly,\n\nhaving convened for its 44th Session on 13-14 November 2025 in Riga, the Republic of Latvia,"
    assert _facts(text, registry, own_session_series="baltic-assembly-session") == {
        ("baltic-assembly-session", 44, date(2025, 11, 13), date(2025, 11, 14), "Riga")
    }
    assert _facts(text, registry) == set()


def test_nato_pa_annual_session_from_a_footnote(registry: ActorRegistry) -> None:
    text = (
        "* Presented by the Political Committee and adopted by the Plenary Assembly at the 71<sup>st</sup> "
        "Annual Session of the NATO Parliamentary Assembly held in Ljubljana, Slovenia, on Monday 13 October 2025."
    )
    assert _facts(text, registry) == {("nato-pa-session", 71, date(2025, 10, 13), date(2025, 10, 13), "Ljubljana")}


def test_unnumbered_series_and_generic_names(registry: ActorRegistry) -> None:
    summit = "Leaders met at the NATO Summit in Vilnius on 11\u201312 July 2023."
    assert _facts(summit, registry) == {("nato-summit", None, date(2023, 7, 11), date(2023, 7, 12), "Vilnius")}
    spring = "adopted by the Plenary Assembly at its Spring Session in Dayton, Ohio, on Monday 26 May 2025"
    # "Spring Session" alone says nothing of whose session it is, unless the document is the NATO PA's.
    assert _facts(spring, registry) == set()
    assert _facts(spring, registry, context_series=frozenset({"nato-pa-spring-session"})) == {
        ("nato-pa-spring-session", None, date(2025, 5, 26), date(2025, 5, 26), "Dayton")
    }
    hosted = (
        "the Spring Session of the NATO Parliamentary Assembly hosted by the City of Dayton, Ohio, from 23-26 May 2025"
    )
    assert _facts(hosted, registry) == {
        ("nato-pa-spring-session", None, date(2025, 5, 23), date(2025, 5, 26), "Dayton")
    }


def test_no_fact_without_a_date_or_an_ordinal(registry: ActorRegistry) -> None:
    assert _facts("to present the proposals at the 32nd Baltic Council;", registry) == set()
    assert _facts("The next Session of the Baltic Assembly will take place on 5 May 2026.", registry) == set()


def test_dates_do_not_leak_across_list_items(registry: ActorRegistry) -> None:
    text = "- to present a plan by 1 June 2026;\n- to report at the 33rd Baltic Council;"
    assert _facts(text, registry) == set()


def test_latest_ordinals_and_occurrences() -> None:
    facts = [
        CalendarFact(series="baltic-council", ordinal=31, start=date(2025, 11, 13)),
        CalendarFact(series="baltic-council", ordinal=32, start=date(2026, 11, 20)),
        CalendarFact(series="baltic-assembly-session", ordinal=44, start=date(2025, 11, 13)),
    ]
    assert latest_ordinals(facts, date(2025, 11, 14)) == {"baltic-council": 31, "baltic-assembly-session": 44}
    assert latest_ordinals(facts, None)["baltic-council"] == 32
    assert occurrence_dates(facts)[("baltic-council", 32)] == date(2026, 11, 20)
