"""Deadline kinds, precedence, and the traps: years inside names, past references, dates before adoption."""
# Fixtures reproduce documents line for line (long lines, dashes): their layout is what is tested.
# ruff: noqa: RUF001

from __future__ import annotations

from datetime import date

import pytest

from resolute.ingest.extraction.deadlines import DeadlineContext, find_deadline, find_event_deadline
from resolute.ingest.extraction.models import Deadline
from resolute.shared.actors import ActorRegistry, default_registry


@pytest.fixture
def ctx(registry: ActorRegistry) -> DeadlineContext:
    return DeadlineContext(
        registry,
        reference=date(2025, 11, 14),
        current={"baltic-assembly-session": 44},
        own_session_series="baltic-assembly-session",
    )


def _dl(text: str, ctx: DeadlineContext) -> Deadline | None:
    return find_deadline(text, ctx)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("to present a joint plan by 1 June 2026", date(2026, 6, 1)),
        ("to report no later than 31 December 2026 on progress", date(2026, 12, 31)),
        ("to adopt the roadmap before March 15, 2026", date(2026, 3, 15)),
        ("to submit the study by 30.06.2026", date(2026, 6, 30)),
    ],
)
def test_date_deadlines(text: str, day: date, ctx: DeadlineContext) -> None:
    deadline = _dl(text, ctx)
    assert deadline is not None and deadline.kind == "date" and deadline.date == day.isoformat()


def test_month_deadline_is_first_day_of_month(registry: ActorRegistry) -> None:
    ctx = DeadlineContext(registry, reference=date(2025, 5, 26))
    deadline = _dl("to welcome the Conference, due to be co-hosted by Italy in Rome in July 2025", ctx)
    assert deadline is not None
    assert (deadline.kind, deadline.date, deadline.verbatim) == ("month", "2025-07-01", "in July 2025")


@pytest.mark.parametrize(
    ("text", "due", "verbatim"),
    [
        ("to finish the study in the first half of 2026", "2026-06-30", "in the first half of 2026"),
        ("to report in the second quarter of 2026", "2026-06-30", "in the second quarter of 2026"),
        ("to hold the conference in the first quarter of 2028", "2028-03-31", "in the first quarter of 2028"),
        (
            "to close the gap by the end of the second half of 2027",
            "2027-12-31",
            "by the end of the second half of 2027",
        ),
        ("to publish it in Q3 2027", "2027-09-30", "Q3 2027"),
    ],
)
def test_quarters_and_halves_are_due_on_their_last_day(
    text: str, due: str, verbatim: str, ctx: DeadlineContext
) -> None:
    deadline = find_deadline(text, ctx)
    assert deadline is not None
    assert (deadline.kind, deadline.date, deadline.verbatim) == ("date", due, verbatim)


@pytest.mark.parametrize(
    ("text", "reference", "due"),
    [
        ("to conclude an agreement within two years", "2016-11-04", "2018-11-04"),
        ("to present a plan within six months of the adoption of this resolution", "2019-02-28", "2019-08-28"),
        ("to report within 90 days", "2024-10-18", "2025-01-16"),
        ("to agree within one month of the signing of this Memorandum", "2024-01-31", "2024-02-29"),
    ],
)
def test_relative_deadlines_count_from_the_document_date(text: str, reference: str, due: str) -> None:
    ctx = DeadlineContext(default_registry(), reference=date.fromisoformat(reference))
    deadline = find_deadline(text, ctx)
    assert deadline is not None and (deadline.kind, deadline.date) == ("date", due)
    assert find_deadline(text, DeadlineContext(default_registry())) is None  # no document date, no count


@pytest.mark.parametrize(
    ("text", "every", "year"),
    [
        ("to coordinate positions every year starting in 2020", "P1Y", 2020),
        ("to organise an annual Baltic Energy Forum, starting from 2015", "P1Y", 2015),
        ("to meet every two years", "P2Y", None),
        ("to review the plan every 18 months", "P18M", None),
        ("to report three times a year", "P4M", None),
        ("to support the armed forces every year until 2030", "P1Y", None),
        ("to convene twice a year", "P6M", None),
    ],
)
def test_recurring_with_any_period_and_start(text: str, every: str, year: int | None, ctx: DeadlineContext) -> None:
    deadline = find_deadline(text, ctx)
    assert deadline is not None and (deadline.kind, deadline.every, deadline.year) == ("recurring", every, year)


@pytest.mark.parametrize(
    ("text", "year", "verbatim"),
    [
        (
            "to allocate funding for events marking the 40th anniversary of the Baltic Way in 2029",
            2029,
            "in 2029",
        ),
        ("to invest 5% of GDP on core defence requirements by 2035", 2035, "by 2035"),
        ("to update the baseline requirements for resilience planned for 2026", 2026, "planned for 2026"),
        ("to complete the synchronisation by the end of 2027", 2027, "by the end of 2027"),
        ("to ensure Rail Baltica is completed in 2030, as agreed in 2017", 2030, "in 2030"),
        ("to deliver the plan by mid-2026", 2026, "by mid-2026"),
        ("to open the centre in spring 2027", 2027, "in spring 2027"),
    ],
)
def test_year_deadlines(text: str, year: int, verbatim: str, ctx: DeadlineContext) -> None:
    deadline = _dl(text, ctx)
    assert deadline is not None
    assert (deadline.kind, deadline.year, deadline.verbatim) == ("year", year, verbatim)


@pytest.mark.parametrize(
    "text",
    [
        "to revise and update the 2017 Agreement on the Development of the Rail Baltica Railway Connection",
        "to ensure regular cooperation in the implementation of the EU Biodiversity Strategy for 2030",
        "in line with the EU White Paper on European Defence – Readiness 2030",
        "to coordinate and harmonise Natura 2000 management plans in border areas",
        "to welcome the Fourth Ukraine Recovery Conference (URC 2025)",
        "to acknowledge the results of the conferences held in Lugano (2022), London (2023), and Berlin (2024)",
        "to reaffirm all elements of the July 2024 Washington Summit declaration",
        "in line with the 2024 Washington Summit Declaration",
        "to join the Treaty on Qualifications signed in September 2021 between the Baltic and Benelux countries",
        "to decide on the Appeal to the Baltic Assembly signed on 29 June 2023",
        "to build on the progress achieved since 2014",
        "to implement the 2021-2027 programme in 2021-2027 fully",
        "through the 1936 Montreux Convention",
        "to honour the 2013 Brussels Agreement and the 2023 Agreement on the Path to Normalisation",
        "to spend 2% of GDP on defence",
        "to start a proportional build-up of healthcare service reserves for the upcoming decades",
    ],
)
def test_names_and_past_references_are_not_deadlines(text: str, ctx: DeadlineContext) -> None:
    assert _dl(text, ctx) is None


def test_dates_before_adoption_are_not_deadlines(registry: ActorRegistry) -> None:
    ctx = DeadlineContext(registry, reference=date(2024, 10, 18))
    assert _dl("to finish the study in 2023", ctx) is None
    assert _dl("to finish the study by 1 March 2024", ctx) is None
    deadline = _dl("to finish the study in 2024", ctx)
    assert deadline is not None and deadline.year == 2024


def test_without_a_reference_date_years_are_kept(registry: ActorRegistry) -> None:
    deadline = _dl("to finish the study in 2023", DeadlineContext(registry))
    assert deadline is not None and deadline.year == 2023


def test_numbered_event(ctx: DeadlineContext) -> None:
    deadline = _dl("to create a plan and present the proposals at the 32nd Baltic Council", ctx)
    assert deadline is not None
    assert (deadline.kind, deadline.series, deadline.ordinal) == ("event", "baltic-council", 32)
    assert deadline.verbatim == "at the 32nd Baltic Council"


def test_numbered_session_of_own_body(ctx: DeadlineContext) -> None:
    deadline = _dl("to report on the progress at the 45th Session", ctx)
    assert deadline is not None and (deadline.series, deadline.ordinal) == ("baltic-assembly-session", 45)
    deadline = _dl("to report at the 46th Session of the Baltic Assembly", ctx)
    assert deadline is not None and (deadline.series, deadline.ordinal) == ("baltic-assembly-session", 46)


def test_past_occurrence_is_not_a_deadline(ctx: DeadlineContext) -> None:
    assert _dl("to build on the decisions taken at the 43rd Session", ctx) is None
    assert _dl("to implement what was presented at the 44th Session of the Baltic Assembly", ctx) is None


def test_baltic_council_of_ministers_is_a_body_not_an_event(ctx: DeadlineContext) -> None:
    assert _dl("to improve the coordination mechanism within the Baltic Council of Ministers", ctx) is None


@pytest.mark.parametrize(
    ("text", "series"),
    [
        (
            "to agree on nuclear energy and return to the Baltic Assembly with a common vision",
            "baltic-assembly-session",
        ),
        ("to report back to the Baltic Assembly on the results", "baltic-assembly-session"),
        ("to return to the issue at the next Session of the Baltic Assembly", "baltic-assembly-session"),
        ("to present the plan at the next Baltic Council", "baltic-council"),
        ("to continue reforms before the next NATO Summit", "nato-summit"),
    ],
)
def test_next_occurrence_events(text: str, series: str, ctx: DeadlineContext) -> None:
    deadline = _dl(text, ctx)
    assert deadline is not None
    assert (deadline.kind, deadline.series, deadline.ordinal) == ("event", series, "next")


def test_summit_named_by_place(registry: ActorRegistry) -> None:
    ctx = DeadlineContext(registry, reference=date(2025, 5, 26), summit_series="nato-summit")
    clause = find_event_deadline(
        "Heads of State and Government of the North Atlantic Alliance at their Summit meeting in The Hague",
        ctx,
    )
    assert clause is not None and (clause.series, clause.ordinal) == ("nato-summit", "next")
    assert clause.verbatim == "at their Summit meeting in The Hague"
    item = _dl("to invite Ukraine to participate in the NATO Summit in The Hague", ctx)
    assert item is not None and item.series == "nato-summit"


@pytest.mark.parametrize(
    "text",
    [
        "to raise defence investments to 5% of GDP, as agreed to at The Hague Summit",
        "to allocate the 1.5% of GDP agreed on at The Hague Summit to resilience",
        "to ensure that the defence spending increase agreed at The Hague Summit helps growth",
        "to implement fully and promptly the decisions of the NATO Summit in The Hague on defence spending",
        "to eliminate trade barriers, as reaffirmed by the Summit Declaration issued in The Hague",
        "to continue in line with the Vilnius and Washington Summit decisions",
    ],
)
def test_past_summits_are_not_deadlines(text: str, registry: ActorRegistry) -> None:
    ctx = DeadlineContext(registry, reference=date(2025, 10, 13), summit_series="nato-summit")
    assert _dl(text, ctx) is None


def test_upcoming_named_negotiations(ctx: DeadlineContext) -> None:
    deadline = _dl(
        "to coordinate a joint position in the upcoming EU Multiannual Financial Framework negotiations", ctx
    )
    assert deadline is not None and deadline.kind == "event" and deadline.ordinal == "next"
    assert deadline.verbatim == "in the upcoming EU Multiannual Financial Framework negotiations"


@pytest.mark.parametrize(
    ("text", "every"),
    [
        ("to organise annual conferences dedicated to the Baltic Way", "P1Y"),
        ("to submit the annual plans needed to reach the target", "P1Y"),
        ("to inform the Assembly annually about implementation", "P1Y"),
        ("to harmonise the methodology of polls to regularly measure social resilience", None),
        ("to meet on a regular basis", None),
        ("to hold biennial reviews", "P2Y"),
        ("to publish quarterly reports", "P3M"),
        ("to convene twice a year", "P6M"),
    ],
)
def test_recurring(text: str, every: str | None, ctx: DeadlineContext) -> None:
    deadline = _dl(text, ctx)
    assert deadline is not None and deadline.kind == "recurring" and deadline.every == every


@pytest.mark.parametrize(
    "text",
    [
        "to create a format for ensuring regular cooperation of the Baltic States",
        "to revitalise NATO's approach by reintroducing regular high-level meetings",
        "to help Ukraine implement its adapted Annual National Programme",
    ],
)
def test_adjective_regular_and_capitalised_annual_are_not_recurrences(text: str, ctx: DeadlineContext) -> None:
    assert _dl(text, ctx) is None


def test_precedence_explicit_then_event_then_inherited_then_recurring(ctx: DeadlineContext) -> None:
    inherited = Deadline(verbatim="at their Summit meeting in The Hague", kind="event", series="nato-summit")
    both = _dl("to hold annual conferences and report at the 33rd Baltic Council", ctx)
    assert both is not None and both.kind == "event"
    year = _dl("to hold annual conferences from now on and a final one in 2028", ctx)
    assert year is not None and year.kind == "year"
    assert find_deadline("to hold annual conferences", ctx, inherited=inherited) == inherited
    assert find_deadline("to act in 2027", ctx, inherited=inherited).kind == "year"  # type: ignore[union-attr]
    assert find_deadline("to act", ctx, inherited=inherited) == inherited


def test_event_date_filled_from_known_occurrence(registry: ActorRegistry) -> None:
    ctx = DeadlineContext(registry, occurrences={("baltic-council", 32): date(2026, 11, 20)})
    deadline = _dl("to present the proposals at the 32nd Baltic Council", ctx)
    assert deadline is not None and deadline.date == "2026-11-20" and deadline.year == 2026


def test_summit_named_by_year(registry: ActorRegistry) -> None:
    ctx = DeadlineContext(registry, reference=date(2025, 10, 13), summit_series="nato-summit")
    deadline = _dl("to present national plans at the 2026 Summit", ctx)
    assert deadline is not None and (deadline.kind, deadline.series, deadline.year) == (
        "event",
        "nato-summit",
        2026,
    )
    assert _dl("as agreed at the 2023 Summit", ctx) is None
    assert _dl("to build on the decisions taken at the 2025 Summit", ctx) is None


@pytest.mark.parametrize(
    ("text", "series", "verbatim"),
    [
        (
            "to review progress at the next meeting of the Baltic Council of Ministers",
            "baltic-council-of-ministers-meeting",
            "at the next meeting of the Baltic Council of Ministers",
        ),
        ("to report back at the next meeting of the energy ministers", "energy-ministers-meeting", None),
        ("to decide at the next meeting of Prime Ministers", "prime-ministers-meeting", None),
        ("to report at the next session of the Baltic Assembly", "baltic-assembly-session", None),
        # a format that is not named stays the issuer's own session
        ("to return to the question at the next session", "baltic-assembly-session", "at the next session"),
    ],
)
def test_next_meeting_of_a_named_format_is_that_formats(
    text: str, series: str, verbatim: str | None, ctx: DeadlineContext
) -> None:
    deadline = _dl(text, ctx)
    assert deadline is not None and (deadline.kind, deadline.series, deadline.ordinal) == ("event", series, "next")
    if verbatim is not None:
        assert deadline.verbatim == verbatim


def test_the_speakers_next_meeting_in_prose_is_the_same_formats(registry: ActorRegistry) -> None:
    prose = DeadlineContext(registry, reference=date(2025, 3, 7))
    deadline = find_deadline("We will review the action plan at our next meeting", prose)
    assert deadline is not None and (deadline.series, deadline.ordinal, deadline.verbatim) == (
        "meeting",
        "next",
        "at our next meeting",
    )
    # a lower-case phrase after "of" is not a format's name
    other = find_deadline("to present it at the next meeting of the working group on grids", prose)
    assert other is not None and (other.series, other.verbatim) == ("meeting", "at the next meeting")
