"""Press releases and news: calendar facts, title, publication date, and no commitments."""
# Fixtures reproduce documents line for line (long lines, dashes): their layout is what is tested.
# ruff: noqa: E501, RUF001

from __future__ import annotations

from resolute.ingest.extraction import extract_documents

RELEASE = """Accept all cookies

Menu

The 44th Session of the Baltic Assembly took place in Riga

Press release, 14 November 2025

The 44th Session of the Baltic Assembly and the 31st Baltic Council were held in Riga on 13–14 November 2025. The Assembly calls on governments to act, and the ministers agreed to meet again.

"We will continue to support Ukraine," said the President of the Baltic Assembly.

Press Office of the Saeima
"""

NEWS = """Baltic Council meets in Vilnius

The 31st Baltic Council took place in Vilnius on 13 November 2025.

"Our cooperation has never been more important," said the Speaker, who noted that the leaders will meet again next year.
"""


def test_release_yields_facts_but_no_commitments() -> None:
    (doc,) = extract_documents(RELEASE, source="pr.txt")
    assert doc.kind == "press_release"
    assert doc.commitments == []
    assert doc.title == "The 44th Session of the Baltic Assembly took place in Riga"
    assert doc.published == "2025-11-14"
    assert doc.issuing_body == "Saeima"
    assert {(f.series, f.ordinal, f.start, f.place) for f in doc.calendar_facts} == {
        ("baltic-assembly-session", 44, "2025-11-13", "Riga"),
        ("baltic-council", 31, "2025-11-13", "Riga"),
    }


def test_news_without_a_release_marker() -> None:
    (doc,) = extract_documents(NEWS, source="news.txt")
    assert doc.kind == "press_release"
    assert doc.title == "Baltic Council meets in Vilnius"
    assert doc.commitments == []
    assert [(f.series, f.ordinal, f.place) for f in doc.calendar_facts] == [("baltic-council", 31, "Vilnius")]


def test_news_quoting_operative_language_is_still_news() -> None:
    text = (
        "Baltic Assembly urges action on energy\n\n"
        '"We call on the governments to speed up synchronisation," said the President on 3 March 2026.\n\n'
        "The Assembly calls on the governments to agree to common rules, she noted. Photo: Saeima\n"
    )
    (doc,) = extract_documents(text, source="x")
    assert doc.kind == "press_release" and doc.commitments == []


def test_a_statement_with_quotes_is_not_news() -> None:
    text = (
        "Joint Statement of the Baltic Prime Ministers\n\n"
        '"Security comes first," said the Prime Minister.\n\nThe Prime Ministers agree to meet annually.\n'
    )
    (doc,) = extract_documents(text, source="x")
    assert doc.kind != "press_release"
    assert [c.text for c in doc.commitments] == ["to meet annually"]


def test_dates_without_a_year_take_the_release_year() -> None:
    text = (
        "The Baltic Assembly met in Vilnius\n\nPress release, 18 October 2024\n\n"
        "The 43rd Session of the Baltic Assembly took place in Vilnius on 17 and 18 October, together with "
        "the 30th Baltic Council on 18 October.\n"
    )
    (doc,) = extract_documents(text, source="x")
    assert {(f.series, f.ordinal, f.start, f.end) for f in doc.calendar_facts} == {
        ("baltic-assembly-session", 43, "2024-10-17", "2024-10-18"),
        ("baltic-council", 30, "2024-10-18", "2024-10-18"),
    }


ARTICLE = """NORTHERN LEDGER

World  ›  Europe

04.03.2027 09:15

Baltic legislators back a common grid reserve

TALLINN – Members of the three parliaments met in the Riigikogu on Wednesday for the spring meeting of the Baltic Assembly's committees, the chair said.

"We will not wait for the next crisis," said one of the speakers, who stressed that the governments must act.

Read also:
  Ferry line to Helsinki doubles its sailings

Comments (12)
"""

RELEASE_BY_ITS_INSTITUTION = """BALTIC ASSEMBLY

News

04.03.2027

Baltic legislators back a common grid reserve

Members of the three parliaments met in Tallinn on 3 March 2027, the President said. "We will act together," she stressed.
"""


def test_an_article_by_a_publisher_outside_the_registry_is_news_not_a_release() -> None:
    (doc,) = extract_documents(ARTICLE, source="article.txt")
    assert (doc.kind, doc.issuing_body, doc.commitments) == ("other", "Northern Ledger", [])
    # news owes nothing: no "no commitment" or "no adoption date" flag sends it to review
    assert not doc.needs_review, doc.review


def test_the_same_story_published_by_the_institution_is_its_press_release() -> None:
    (doc,) = extract_documents(RELEASE_BY_ITS_INSTITUTION, source="release.txt")
    assert (doc.kind, doc.issuing_body, doc.commitments) == ("press_release", "Baltic Assembly", [])
