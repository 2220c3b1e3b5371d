"""NATO PA bundles: splitting, titles, lettered items with OCR noise, page breaks, operative clauses."""
# Fixtures reproduce documents line for line (long lines, dashes): their layout is what is tested.
# ruff: noqa: E501

from __future__ import annotations

import pytest

from resolute.ingest.extraction import ExtractedDocument, extract_documents
from resolute.ingest.extraction.clauses import expected_label, normalise_label
from resolute.ingest.extraction.text import clean

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _items(n: int, start: int = 0) -> str:
    lines = []
    for i in range(start, start + n):
        label = expected_label(i)
        lines.append(f"- {label}. to take measure number {i + 1} for collective defence;")
    return "\n".join(lines)


BUNDLE = f"""NATO PARLIAMENTARY ASSEMBLY

# **POLICY RECOMMENDATIONS**

| TITLE ONE<br>DECLARATION 520 | 1 |
|---|---|

# TITLE ONE ON DETERRENCE DECLARATION 520\\*

The Assembly,

1. **Stressing** the importance of deterrence;
2. **URGES** Heads of State and Government of the North Atlantic Alliance at their Summit meeting in Ankara:

{_items(30)}

---

\\* Adopted by the Plenary Assembly at its Spring Session in Porto, Portugal on Monday 25 May 2026

---

## SECOND TITLE ON THE
## WESTERN BALKANS

### RESOLUTION 521\\*

The Assembly,

1. **Recalling** the Dayton Peace Accords;
2. **URGES** member governments and parliaments of the North Atlantic Alliance:

- a. to support reconciliation in the region;
- b. to reinforce KFOR and coordinate closely with

---

\\* Presented by the Political Committee and adopted by the Plenary Assembly at the 72<sup>nd</sup> Annual Session of the NATO Parliamentary Assembly held in Oslo, Norway, on Monday 12 October 2026.

the European Union in the region;
- c. to hold annual consultations with regional leaders;
- d. to keep engaged;
- e. to fund projects;
- f. to share intelligence;
- g. to deter threats;
- h. to assist partners;
- i. to train forces;
- j. to monitor borders;
- k. to support media;
- I. to reform institutions;

3. **CALLS ON** the Government of Ukraine to continue reforms of its defence sector before the next NATO Summit;

RESOLUTION 522\\*

ON UNCREWED SYSTEMS

The Assembly,

1. **URGES** member governments and parliaments of the North Atlantic Alliance and, where appropriate, NATO institutions:

a. to invest in counter-drone capabilities by 2028;
b. to report to the Assembly at its next Annual Session.
"""


@pytest.fixture(scope="module")
def docs() -> list[ExtractedDocument]:
    return extract_documents(BUNDLE, source="bundle.md")


def test_bundle_is_split_in_order_with_titles(docs: list[ExtractedDocument]) -> None:
    assert [(d.number, d.kind) for d in docs] == [
        (520, "declaration"),
        (521, "resolution"),
        (522, "resolution"),
    ]
    assert [d.title for d in docs] == [
        "TITLE ONE ON DETERRENCE",
        "SECOND TITLE ON THE WESTERN BALKANS",
        "ON UNCREWED SYSTEMS",
    ]
    assert all(d.issuing_body == "NATO Parliamentary Assembly" for d in docs)


def test_footnote_metadata(docs: list[ExtractedDocument]) -> None:
    first, second = docs[0], docs[1]
    assert (first.adopted, first.place, first.committee, first.session) == (
        "2026-05-25",
        "Porto",
        None,
        None,
    )
    assert (second.adopted, second.place, second.committee, second.session) == (
        "2026-10-12",
        "Oslo",
        "Political Committee",
        72,
    )
    assert [(f.series, f.ordinal) for f in second.calendar_facts] == [("nato-pa-session", 72)]
    assert any("no adoption or signature date found" in reason for reason in docs[2].review)


def test_labels_run_past_z(docs: list[ExtractedDocument]) -> None:
    labels = [c.label for c in docs[0].commitments]
    assert labels == [*list(LETTERS), "aa", "bb", "cc", "dd"]


def test_clause_event_applies_to_every_item(docs: list[ExtractedDocument]) -> None:
    for c in docs[0].commitments:
        assert c.deadline is not None
        assert (c.deadline.kind, c.deadline.series, c.deadline.ordinal) == ("event", "nato-summit", "next")
        assert c.deadline.verbatim == "at their Summit meeting in Ankara"
        assert len(c.countries) == 32


def test_page_break_continuation_and_ocr_label(docs: list[ExtractedDocument]) -> None:
    items = docs[1].commitments[:12]
    assert items[1].text == "to reinforce KFOR and coordinate closely with the European Union in the region"
    assert items[11].label == "l" and items[11].text == "to reform institutions"
    assert any("read as 'l'" in w for w in docs[1].warnings)
    assert items[2].deadline is not None and items[2].deadline.every == "P1Y"
    start, end = items[1].span
    assert "Presented by" in BUNDLE[start:end]  # the span covers the item as it stands, break included


def test_inline_operative_clause_addresses_one_country(docs: list[ExtractedDocument]) -> None:
    last = docs[1].commitments[-1]
    assert last.label == "3"  # the operative paragraph's own number: its single item is the paragraph
    # A clause without a list is one item, read whole (verb and addressee included).
    assert (
        last.text
        == "CALLS ON the Government of Ukraine to continue reforms of its defence sector before the next NATO Summit"
    )
    assert last.countries == ["UA"]
    assert last.deadline is not None and last.deadline.series == "nato-summit"
    assert docs[1].addressees == [
        "member governments and parliaments of the North Atlantic Alliance",
        "the Government of Ukraine",
    ]


def test_unbulleted_items_and_hedged_bodies(docs: list[ExtractedDocument]) -> None:
    items = docs[2].commitments
    assert [(c.label, c.text) for c in items] == [
        ("a", "to invest in counter-drone capabilities by 2028"),
        ("b", "to report to the Assembly at its next Annual Session"),
    ]
    assert all(c.bodies == [] and len(c.countries) == 32 for c in items)
    assert items[1].deadline is not None and items[1].deadline.series == "nato-pa-session"


def test_table_of_contents_is_not_a_document(docs: list[ExtractedDocument]) -> None:
    assert len(docs) == 3


def test_spans_round_trip(docs: list[ExtractedDocument]) -> None:
    for doc in docs:
        for c in doc.commitments:
            start, end = c.span
            source = clean(BUNDLE[start:end])
            assert source.startswith(c.text[:20]) and source.endswith(c.text[-15:])


def test_expected_and_normalised_labels() -> None:
    assert [expected_label(i) for i in (0, 25, 26, 31, 52)] == ["a", "z", "aa", "ff", "aaa"]
    assert normalise_label("I", "l") == "l"
    assert normalise_label("1", "l") == "l"
    assert normalise_label("II", "ll") == "ll"
    assert normalise_label("c", "c") == "c"
    assert normalise_label("q", "c") == "q"


def test_single_resolution_without_number_heading() -> None:
    text = "# ON ARCTIC SECURITY\n\nThe Assembly,\n\n1. **URGES** Allied governments:\n\na. to act in the High North;\nb. to invest more;\n"
    (doc,) = extract_documents(text, source="x")
    assert doc.number is None and doc.title == "ON ARCTIC SECURITY"
    assert [c.label for c in doc.commitments] == ["a", "b"]
    assert len(doc.commitments[0].countries) == 32


def test_footnote_with_place_after_the_date() -> None:
    text = (
        "ON ARCTIC SECURITY\nRESOLUTION 530*\n\nThe Assembly,\n\n"
        "1. URGES member governments and parliaments of the North Atlantic Alliance:\n"
        "a. to act;\nb. to act more\n"
        "* Presented by the Defence and Security Committee and adopted by the Plenary Assembly on "
        "Monday 27 May 2024, Sofia, Bulgaria\n\f\nquickly;\n"
    )
    (doc,) = extract_documents(text, source="x")
    assert (doc.number, doc.adopted, doc.place) == (530, "2024-05-27", "Sofia")
    assert doc.committee == "Defence and Security Committee"
    assert [c.text for c in doc.commitments] == ["to act", "to act more quickly"]


def test_roman_sub_items_belong_to_their_lettered_item() -> None:
    text = (
        "RESOLUTION 540*\n\nThe Assembly,\n\n1. URGES member governments of the North Atlantic Alliance:\n\n"
        "a. to act;\nb. to adopt measures on:\n   i. air defence;\n   ii. cyber defence;\n   iii. logistics;\n"
        "c. to fund them;\nd. to review them in 2027.\n"
    )
    (doc,) = extract_documents(text, source="x")
    assert [(c.label, c.text) for c in doc.commitments] == [
        ("a", "to act"),
        ("b", "to adopt measures on: i. air defence; ii. cyber defence; iii. logistics"),
        ("c", "to fund them"),
        ("d", "to review them in 2027"),
    ]
    assert doc.commitments[1].span[1] == text.index("logistics") + len("logistics")


def test_a_title_under_a_lone_on_may_open_like_a_preamble() -> None:
    text = (
        "NATO PARLIAMENTARY ASSEMBLY\n\nRESOLUTION 512\non\nSTRENGTHENING RESILIENCE OF CRITICAL INFRASTRUCTURE*\n\n"
        "The Assembly,\n\n1. Concerned by attacks on undersea cables;\n\n"
        "2. URGES member governments of the North Atlantic Alliance:\na. to protect critical infrastructure;\n"
    )
    (doc,) = extract_documents(text, source="x")
    assert doc.number == 512
    assert doc.title is not None and doc.title.endswith("STRENGTHENING RESILIENCE OF CRITICAL INFRASTRUCTURE")
    assert [c.text for c in doc.commitments] == ["to protect critical infrastructure"]


def test_a_country_that_only_owns_the_addressee_is_not_addressed() -> None:
    text = (
        "DECLARATION 490\non\nHYBRID THREATS\n\nThe Assembly,\n\n"
        "15. URGES Ukraine's partners to keep supplying air defence systems;\n\n"
        "16. CALLS ON Latvia's government to extend the host-nation support programme.\n"
    )
    (doc,) = extract_documents(text, source="x")
    partners, latvia = doc.commitments
    assert partners.countries == [] and partners.addressed_to == ["Ukraine's partners"]
    assert latvia.countries == ["LV"]
