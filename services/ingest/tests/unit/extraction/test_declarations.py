"""Ministerial declarations: prose commitments owed by each signatory ministry."""
# Fixtures reproduce documents line for line (long lines, dashes): their layout is what is tested.
# ruff: noqa: E501

from __future__ import annotations

from resolute.ingest.extraction import extract_documents

REPORT = """On 12 March 2026, the Ministers of Foreign Affairs of Estonia, Latvia and Lithuania signed a Joint Declaration on the Baltic Consular Network (BCN). The objective is to share consular premises in third countries and assist citizens of the three states abroad.
During a meeting in Riga on 11-12 March 2026, the Estonian Minister of Foreign Affairs (Margus Tsahkna), the Latvian Minister of Foreign Affairs (Baiba Braže) and the Lithuanian Minister of Foreign Affairs (Kęstutis Budrys) discussed sanctions and support to Ukraine. The BCN will also provide joint crisis evacuation planning by the end of 2027.
Separately, the European Commission presented a consular protection directive. The objective of this directive is to harmonise assistance to EU citizens everywhere.
"""

DECLARATION = """JOINT DECLARATION OF INTENT
of the Ministers of Defence of the Republic of Estonia, the Republic of Latvia and the Republic of Lithuania on a Joint Air Defence Training Centre

The Ministers of Defence of the Republic of Estonia, the Republic of Latvia and the Republic of Lithuania (hereinafter "the Participants"),

Recognising the need for integrated air defence,

Have reached the following understanding:

1. The Participants intend to establish a joint air defence training centre by 1 September 2027.

2. The Participants will report annually on the progress of the centre.

3. The Participants agree to:
- share training ranges;
- align procurement of simulators.

Signed in Vilnius on 5 February 2026 in three originals.
"""


def test_report_of_a_declaration() -> None:
    (doc,) = extract_documents(REPORT, source="report.txt")
    assert doc.kind == "declaration"
    assert doc.title == "Joint Declaration on the Baltic Consular Network (BCN)"
    assert (doc.adopted, doc.place) == ("2026-03-12", "Riga")
    assert doc.issuing_body == "Ministers of Foreign Affairs of Estonia, Latvia and Lithuania"
    texts = [c.text for c in doc.commitments]
    assert texts[0] == "to share consular premises in third countries and assist citizens of the three states abroad"
    assert "provide joint crisis evacuation planning by the end of 2027" in texts
    # Another actor's directive in its own paragraph is not the signatories' commitment.
    assert not any("harmonise assistance" in t for t in texts)
    for c in doc.commitments:
        assert set(c.countries) == {"EE", "LV", "LT"}
        assert {(m.country, m.ministry) for m in c.ministries} == {
            ("EE", "foreign-affairs"),
            ("LV", "foreign-affairs"),
            ("LT", "foreign-affairs"),
        }
        assert c.policy_area == "foreign-affairs"
    people = {s.country: s.person for s in doc.signatories}
    assert people["LT"] == "Kęstutis Budrys"
    evacuation = next(c for c in doc.commitments if "evacuation" in c.text)
    assert evacuation.deadline is not None and evacuation.deadline.year == 2027


def test_the_declaration_itself() -> None:
    (doc,) = extract_documents(DECLARATION, source="doi.txt")
    assert doc.kind == "declaration_of_intent"
    assert (doc.adopted, doc.place) == ("2026-02-05", "Vilnius")
    texts = [c.text for c in doc.commitments]
    assert texts == [
        "to establish a joint air defence training centre by 1 September 2027",
        "report annually on the progress of the centre",
        "share training ranges",
        "align procurement of simulators",
    ]
    deadlines = [c.deadline.kind if c.deadline else None for c in doc.commitments]
    assert deadlines == ["date", "recurring", None, None]
    for c in doc.commitments:
        assert [(m.country, m.ministry) for m in c.ministries] == [
            ("EE", "defence"),
            ("LV", "defence"),
            ("LT", "defence"),
        ]
        start, end = c.span
        assert DECLARATION[start:end].startswith(c.text[:15])


def test_lithuanian_national_defence_is_the_defence_ministry() -> None:
    text = (
        "The Minister of National Defence of Lithuania and the Minister of Defence of Latvia signed a "
        "Memorandum of Understanding on joint procurement. The Memorandum aims to pool ammunition purchases."
    )
    (doc,) = extract_documents(text, source="mou.txt")
    assert doc.kind == "declaration_of_intent"
    assert [s.country for s in doc.signatories] == ["LT", "LV"]
    assert {(m.country, m.ministry) for m in doc.commitments[0].ministries} == {
        ("LT", "defence"),
        ("LV", "defence"),
    }


def test_news_of_an_agreement_by_baltic_ministers() -> None:
    text = (
        "On 19 January 2024, the Baltic defence ministers signed an agreement in Riga to create the Baltic "
        "Defence Line, a network of fortifications along the eastern border. The ministers agreed to build "
        "bunkers by 2025. They also signed an appeal to the European Commission."
    )
    (doc,) = extract_documents(text, source="x")
    assert (doc.adopted, doc.place) == ("2024-01-19", "Riga")
    assert [s.country for s in doc.signatories] == ["EE", "LV", "LT"]
    assert [c.text for c in doc.commitments] == [
        "to create the Baltic Defence Line, a network of fortifications along the eastern border",
        "to build bunkers by 2025",
    ]
    assert all({m.ministry for m in c.ministries} == {"defence"} for c in doc.commitments)


def test_possessive_signatories_with_names() -> None:
    text = (
        "On 3 May 2026, Estonia's Minister of Defence Hanno Pevkur and Latvia\u2019s Minister of Defence "
        "Andris Sprūds signed a Joint Declaration on air defence. The objective is to build a joint air defence system."
    )
    (doc,) = extract_documents(text, source="x")
    assert [(s.country, s.ministry, s.person) for s in doc.signatories] == [
        ("EE", "defence", "Hanno Pevkur"),
        ("LV", "defence", "Andris Sprūds"),
    ]
    assert [c.text for c in doc.commitments] == ["to build a joint air defence system"]


BETWEEN_MINISTRIES = """DECLARATION OF INTENT
between
the Ministry of Climate of the Republic of Estonia,
the Ministry of Climate and Energy of the Republic of Latvia
and
the Ministry of Energy of the Republic of Lithuania
on Joint Offshore Wind Tenders

The Ministry of Climate of the Republic of Estonia, the Ministry of Climate and Energy of the Republic of Latvia and the Ministry of Energy of the Republic of Lithuania (hereinafter the Participants),

Have reached the following understanding:

1. The Participants intend to coordinate their offshore wind tenders from 2028.
2. Each Participant will name a coordinator within two months of signature.

Signed in Šiauliai on 3 March 2027 in three originals in the English language.
"""


def test_every_ministry_between_which_it_is_signed_issues_it_and_each_participant_undertakes() -> None:
    (doc,) = extract_documents(BETWEEN_MINISTRIES, source="x")
    assert doc.kind == "declaration_of_intent"
    assert doc.issuing_body is not None and doc.issuing_body.startswith(
        "Ministry of Climate of the Republic of Estonia, "
    )
    assert doc.issuing_body.endswith("and the Ministry of Energy of the Republic of Lithuania")
    assert (doc.adopted, doc.place) == ("2027-03-03", "Šiauliai")
    assert [c.text for c in doc.commitments] == [
        "to coordinate their offshore wind tenders from 2028",
        "name a coordinator within two months of signature",
    ]
    assert all(c.countries == ["EE", "LV", "LT"] for c in doc.commitments)


COMMUNIQUE = """Joint Communiqué of the Foreign Ministers of Estonia, Latvia and Lithuania

Vilnius, December 06, 2026

We, the Ministers of Foreign Affairs of the Republic of Estonia, the Republic of Latvia and the Republic of Lithuania:

Reaffirm our support for the sovereignty and territorial integrity of Ukraine;

Will open a joint consular office in Astana by the end of the first quarter of 2028;

Task our diplomatic academies to organise a common training course every six months;

Welcome the progress in the accession negotiations of Moldova.
"""


def test_a_collective_we_list_binds_by_will_and_by_tasking_any_body_of_theirs() -> None:
    (doc,) = extract_documents(COMMUNIQUE, source="x")
    assert (doc.adopted, doc.place) == ("2026-12-06", "Vilnius")
    assert [c.text for c in doc.commitments] == [
        "open a joint consular office in Astana by the end of the first quarter of 2028",
        "organise a common training course every six months",
    ]
    opened, training = doc.commitments
    assert opened.deadline is not None and opened.deadline.date == "2028-03-31"
    assert training.deadline is not None and training.deadline.every == "P6M"
    assert all(c.countries == ["EE", "LV", "LT"] for c in doc.commitments)
