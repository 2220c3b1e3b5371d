"""Baltic Assembly-style resolutions: other years, bullets, addressees and layouts than the corpus."""
# Fixtures reproduce documents line for line (long lines, dashes): their layout is what is tested.
# ruff: noqa: RUF001

from __future__ import annotations

import pytest

from resolute.ingest.extraction import ExtractedDocument, extract_documents
from resolute.ingest.extraction.text import clean

RESOLUTION_2021 = """RESOLUTION
of the 40th Session of the Baltic Assembly

The Baltic Assembly,

having convened for its 40th Session on 25–26 November 2021 in Vilnius, the Republic of Lithuania,

stressing the need to strengthen regional cooperation,

calls on the governments of the Baltic States:

in the field of security and defence:

• to increase defence spending to at least 2.5% of GDP by 2024;
• to organise regular joint exercises of the armed forces;

regarding energy:

– to report on the progress of the regional gas market at the 41st Session of the Baltic Assembly;
– to implement the 2019 Energy Agreement and the EU Energy Strategy 2030;

calls on the Baltic Council of Ministers:

- to present a joint plan on the Rail Baltica project by 1 June 2022;
- to inform the Baltic Assembly annually about the implementation of this Resolution;

decides:

- to return to the issue of energy security at the next Session of the Baltic Assembly.

Vilnius, 26 November 2021
"""


@pytest.fixture(scope="module")
def doc() -> ExtractedDocument:
    (document,) = extract_documents(RESOLUTION_2021, source="ba-40.txt")
    return document


def test_metadata(doc: ExtractedDocument) -> None:
    assert doc.kind == "resolution"
    assert doc.title == "Resolution of the 40th Session of the Baltic Assembly"
    assert doc.issuing_body == "Baltic Assembly"
    assert (doc.session, doc.adopted, doc.place) == (40, "2021-11-26", "Vilnius")
    assert [(f.series, f.ordinal, f.start, f.end) for f in doc.calendar_facts] == [
        ("baltic-assembly-session", 40, "2021-11-25", "2021-11-26")
    ]
    assert doc.warnings == []


def test_every_bullet_style_is_an_item(doc: ExtractedDocument) -> None:
    assert [c.text for c in doc.commitments] == [
        "to increase defence spending to at least 2.5% of GDP by 2024",
        "to organise regular joint exercises of the armed forces",
        "to report on the progress of the regional gas market at the 41st Session of the Baltic Assembly",
        "to implement the 2019 Energy Agreement and the EU Energy Strategy 2030",
        "to present a joint plan on the Rail Baltica project by 1 June 2022",
        "to inform the Baltic Assembly annually about the implementation of this Resolution",
        "to return to the issue of energy security at the next Session of the Baltic Assembly",
    ]
    assert [c.section for c in doc.commitments[:4]] == [
        "in the field of security and defence",
        "in the field of security and defence",
        "regarding energy",
        "regarding energy",
    ]
    assert doc.commitments[4].section is None


def test_each_clause_addresses_its_own_actors(doc: ExtractedDocument) -> None:
    governments, bcm, assembly = doc.commitments[:4], doc.commitments[4:6], doc.commitments[6:]
    assert all(c.countries == ["EE", "LV", "LT"] and c.bodies == [] for c in governments)
    assert all(c.countries == [] and c.bodies == ["Baltic Council of Ministers"] for c in bcm)
    assert all(c.countries == [] and c.bodies == ["Baltic Assembly"] for c in assembly)
    assert doc.addressees == ["governments of EE, LV, LT", "Baltic Council of Ministers", "Baltic Assembly"]


def test_deadlines(doc: ExtractedDocument) -> None:
    kinds = [(c.deadline.kind if c.deadline else None) for c in doc.commitments]
    assert kinds == ["year", None, "event", None, "date", "recurring", "event"]
    assert doc.commitments[2].deadline is not None
    assert (doc.commitments[2].deadline.series, doc.commitments[2].deadline.ordinal) == (
        "baltic-assembly-session",
        41,
    )
    assert doc.commitments[6].deadline is not None and doc.commitments[6].deadline.ordinal == "next"


def test_ministries_follow_policy_area_per_country(doc: ExtractedDocument) -> None:
    defence = doc.commitments[0]
    assert defence.policy_area == "defence"
    assert [(m.country, m.ministry) for m in defence.ministries] == [
        ("EE", "defence"),
        ("LV", "defence"),
        ("LT", "defence"),
    ]
    energy = doc.commitments[2]
    assert energy.policy_area == "energy"
    assert {m.country: m.ministry for m in energy.ministries} == {
        "EE": "climate",
        "LV": "climate-and-energy",
        "LT": "energy",
    }


def test_spans_round_trip(doc: ExtractedDocument) -> None:
    for c in doc.commitments:
        start, end = c.span
        assert clean(RESOLUTION_2021[start:end]) == c.text


def test_crlf_and_numbered_items() -> None:
    text = (
        "RESOLUTION\r\nof the 39th Session of the Baltic Assembly\r\n\r\nThe Baltic Assembly,\r\n\r\n"
        "calls on the parliaments and governments of the Republic of Estonia, the Republic of Latvia and the "
        "Republic of Lithuania:\r\n\r\n1) to adopt a common position;\r\n2) to exchange data regularly.\r\n"
    )
    (doc,) = extract_documents(text, source="x")
    assert [c.text for c in doc.commitments] == ["to adopt a common position", "to exchange data regularly"]
    assert [c.label for c in doc.commitments] == ["1", "2"]
    for c in doc.commitments:
        assert text[c.span[0] : c.span[1]] == c.text


def test_items_without_bullets_after_a_section_heading() -> None:
    text = (
        "The Baltic Assembly,\n\ncalls on the Baltic Council of Ministers:\n\nregarding culture:\n\n"
        "to support the Song and Dance Festival;\n\nto fund joint exhibitions.\n"
    )
    (doc,) = extract_documents(text, source="x")
    assert [c.text for c in doc.commitments] == [
        "to support the Song and Dance Festival",
        "to fund joint exhibitions",
    ]
    assert all(c.bodies == ["Baltic Council of Ministers"] for c in doc.commitments)


def test_addressee_outside_the_registry_is_named_and_assigned_to_nobody() -> None:
    text = "The Baltic Assembly,\n\ncalls on the Government of Narnia:\n\n- to open a consulate;\n"
    (doc,) = extract_documents(text, source="x")
    (commitment,) = doc.commitments
    assert commitment.text == "to open a consulate"
    assert (commitment.countries, commitment.bodies, commitment.ministries) == ([], [], [])
    assert commitment.addressed_to == ["Government of Narnia"]
    assert any("outside the registry" in reason for reason in commitment.review)
    assert doc.needs_review


def test_clause_without_any_addressee_warns_but_keeps_items() -> None:
    text = "The Baltic Assembly,\n\ncalls on all those concerned:\n\n- to open a consulate;\n"
    (doc,) = extract_documents(text, source="x")
    assert [c.text for c in doc.commitments] == ["to open a consulate"]
    assert doc.commitments[0].countries == [] and doc.commitments[0].confidence < 0.5
    assert any("no known addressee" in w for w in doc.warnings)


def test_unterminated_item_does_not_swallow_the_next_heading() -> None:
    text = (
        "The Baltic Assembly,\n\ncalls on the Baltic Council of Ministers:\n\nregarding energy:\n\n"
        "- to finish the grid\n\nregarding transport:\n\n- to build roads\n"
    )
    (doc,) = extract_documents(text, source="x")
    assert [(c.section, c.text) for c in doc.commitments] == [
        ("regarding energy", "to finish the grid"),
        ("regarding transport", "to build roads"),
    ]


def test_place_of_the_session_stops_before_its_date() -> None:
    text = (
        "RESOLUTION\nof the 22nd Session of the Baltic Assembly\n\nThe Baltic Assembly,\n\n"
        "having convened for its 22nd Session in Pärnu on 28-29 November 2003,\n\n"
        "calls on the Baltic Council of Ministers:\n\n- to act;\n"
    )
    (doc,) = extract_documents(text, source="x")
    assert (doc.session, doc.place, doc.adopted) == (22, "Pärnu", "2003-11-29")


def test_an_opener_that_says_where_and_when_the_session_met_dates_it_without_an_ordinal() -> None:
    text = (
        "RESOLUTION\nof the 49th Session of the Baltic Assembly\n\n"
        "The Baltic Assembly, having convened in Vilnius on 7-8 November 2030,\n\n"
        "1. Calls on the Baltic Council of Ministers to present an action plan on energy security.\n"
    )
    (doc,) = extract_documents(text, source="x")
    assert (doc.session, doc.adopted, doc.place) == (49, "2030-11-08", "Vilnius")
    own = [f for f in doc.calendar_facts if f.series == "baltic-assembly-session"]
    assert [(f.ordinal, f.start, f.end, f.place) for f in own] == [(49, "2030-11-07", "2030-11-08", "Vilnius")]
