"""Texts in no known layout: whatever the stages find, flagged for review; never a failure."""
# Fixtures reproduce documents line for line (long lines, dashes): their layout is what is tested.

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from resolute.ingest.extraction import extract_documents

MEMO = """Memorandum on cross-border rescue cooperation

The rescue services of Estonia and Latvia agree to exchange information on incidents in the border area.

The parties shall conduct a joint exercise in 2027.

The document was discussed at length.
"""


def test_prose_of_named_services_is_read_and_flagged() -> None:
    (doc,) = extract_documents(MEMO, source="memo.txt")
    assert doc.title == "Memorandum on cross-border rescue cooperation"
    assert [c.text for c in doc.commitments] == [
        "to exchange information on incidents in the border area",
        "conduct a joint exercise in 2027",
    ]
    assert all(c.countries == ["EE", "LV"] for c in doc.commitments)
    assert doc.commitments[1].deadline is not None and doc.commitments[1].deadline.year == 2027
    assert doc.needs_review and all(c.confidence < 0.75 for c in doc.commitments)
    assert any("read from prose" in reason for reason in doc.review)


@pytest.mark.parametrize(
    "text",
    [
        "x",
        "\u00a0",
        "Title only",
        "1.\n2.\n-\n--\n",
        "calls on:\n- \n",
        "<<<>>>",
        "a" * 5000,
        "\f\f\f",
        "- to",
    ],
)
def test_odd_texts_never_fail(text: str) -> None:
    docs = extract_documents(text, source="odd.txt", title_hint="hint")
    assert len(docs) >= 1
    for doc in docs:
        doc.model_dump(mode="json")
        for c in doc.commitments:
            assert 0 <= c.span[0] <= c.span[1] <= len(text)


_FRAGMENTS = st.sampled_from(
    [
        "calls on the governments of the Republic of Estonia:",
        "- to act by 1 June 2026;",
        "regarding energy:",
        "a. to act;",
        "URGES member governments of the North Atlantic Alliance:",
        "RESOLUTION 501*",
        "---",
        "\\* Presented by the Political Committee and adopted on Monday 13 October 2025.",
        "\f",
        "The Assembly,",
        "The Baltic Assembly,",
        "signed a Declaration of Intent on the BMMA.",
        "the Ministers of Defence of Lithuania and Latvia",
        "Press release, 24 November 2023",
        "the 42nd Session of the Baltic Assembly held in Tallinn on 23-24 November 2023",
        "",
        "   ",
        "**bold** *em* <sup>st</sup>",
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.one_of(_FRAGMENTS, st.text(max_size=40)), max_size=25),
    st.sampled_from(["\n", "\n\n", "\r\n"]),
)
def test_any_mix_of_layout_pieces_extracts_without_error(pieces: list[str], joiner: str) -> None:
    text = joiner.join(pieces)
    for doc in extract_documents(text, source="fuzz"):
        doc.model_dump(mode="json")
        for c in doc.commitments:
            assert 0 <= c.span[0] <= c.span[1] <= len(text)
            assert c.text
