"""Unknown layouts: a document with whatever general rules find, and a warning; never a failure."""
# Fixtures reproduce documents line for line (long lines, dashes): their layout is what is tested.
# ruff: noqa: E501

from __future__ import annotations

import pytest
from resolute.ingest.extraction import extract_documents

MEMO = """Memorandum on cross-border rescue cooperation

The rescue services of Estonia and Latvia agree to exchange information on incidents in the border area.

The parties shall conduct a joint exercise in 2027.

The document was discussed at length.
"""


def test_general_rules_find_commitments_and_warn() -> None:
    (doc,) = extract_documents(MEMO, source="memo.txt")
    assert doc.title == "Memorandum on cross-border rescue cooperation"
    assert [c.text for c in doc.commitments] == [
        "The rescue services of Estonia and Latvia agree to exchange information on incidents in the border area",
        "The parties shall conduct a joint exercise in 2027",
    ]
    assert doc.commitments[0].countries == ["EE", "LV"]
    assert doc.commitments[1].deadline is not None and doc.commitments[1].deadline.year == 2027
    assert any("layout not recognised" in w for w in doc.warnings)


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
