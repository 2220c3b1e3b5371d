"""The entry point: the contract's exact JSON shape (extended, never changed), spans that index the input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from resolute.ingest.extraction import extract_documents
from resolute.ingest.extraction.text import clean

CORPUS_DIR = Path(__file__).resolve().parents[5] / "corpus"
DOCUMENT_KEYS = {
    "source", "title", "kind", "issuing_body", "number", "session", "adopted", "place", "addressees",
    "commitments", "calendar_facts", "warnings", "confidence", "needs_review", "review", "sources",
}  # fmt: skip
COMMITMENT_KEYS = {
    "label",
    "section",
    "text",
    "span",
    "countries",
    "bodies",
    "ministries",
    "policy_area",
    "deadline",
    "addressed_to",
    "confidence",
    "review",
}
DEADLINE_KEYS = {"verbatim", "kind", "series", "ordinal", "date", "year", "every"}
FACT_KEYS = {"series", "ordinal", "start", "end", "place"}


def test_text_without_operative_language_waits_for_review() -> None:
    (doc,) = extract_documents("Some notes.\n\nThe weather was fine.", source="x")
    assert doc.commitments == []
    assert doc.needs_review
    assert any("no commitment found" in reason for reason in doc.review)


def test_recognised_resolution_is_sure_of_itself() -> None:
    text = (CORPUS_DIR / "ba-44th-session-resolution-2025.txt").read_text(encoding="utf-8")
    (doc,) = extract_documents(text, source="x")
    assert not doc.needs_review and doc.confidence == 1.0
    assert all(c.confidence == 1.0 and c.review == [] for c in doc.commitments)
    # Each fact says where it was read: the title from the title lines, the date from the session paragraph.
    assert set(doc.sources) >= {"title", "issuing_body", "session", "adopted", "place"}
    start, end = doc.sources["title"]
    assert "44th Session" in text[start:end]


DOCUMENTS = sorted(p for p in CORPUS_DIR.iterdir() if p.suffix in (".txt", ".md") and p.name != "README.md")


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_contract_shape_and_span_round_trip(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for doc in extract_documents(text, source=str(path)):
        data = doc.model_dump(mode="json")
        assert set(data) == DOCUMENT_KEYS
        assert data["source"] == str(path)
        for fact in data["calendar_facts"]:
            assert set(fact) == FACT_KEYS
        for c in data["commitments"]:
            assert set(c) == COMMITMENT_KEYS
            assert c["deadline"] is None or set(c["deadline"]) == DEADLINE_KEYS
            assert all(set(m) == {"country", "ministry"} for m in c["ministries"])
            start, end = c["span"]
            assert 0 <= start < end <= len(text)
            source = clean(text[start:end])
            # The span is the item as it stands: it starts and ends with the item's words.
            assert source.startswith(c["text"][:20])
            assert source.rstrip(";. ").endswith(c["text"][-12:])


def test_bundle_spans_index_the_whole_bundle() -> None:
    text = (CORPUS_DIR / "nato-pa-policy-recommendations-2025.md").read_text(encoding="utf-8")
    docs = extract_documents(text, source="bundle")
    spans = [c.span for d in docs for c in d.commitments]
    assert spans == sorted(spans)
    assert spans[-1][1] > len(text) * 0.9
    for d in docs:
        assert d.span is not None
        assert all(d.span[0] <= c.span[0] < d.span[1] for c in d.commitments)


def test_title_hint_used_when_nothing_better() -> None:
    (doc,) = extract_documents("plain words without structure", source="x", title_hint="From the page")
    assert doc.title == "plain words without structure" or doc.title == "From the page"
    (doc,) = extract_documents("...", source="x", title_hint="From the page")
    assert doc.title == "From the page"


def test_custom_registry_is_used(registry: object) -> None:
    from resolute.shared.actors import parse_registry

    custom = parse_registry(
        """
policy_areas: [{id: governance, name: Governance}, {id: defence, name: Defence}]
countries:
  - {code: EE, name: Estonia, official_name: Republic of Estonia, default_lead: office,
     ministries: [{id: office, name: Office, areas: [governance]}]}
"""
    )
    text = "The Baltic Assembly,\n\ncalls on the government of the Republic of Estonia:\n\n- to act;\n"
    (doc,) = extract_documents(text, source="x", registry=custom)
    assert doc.commitments[0].countries == ["EE"]
    assert [m.ministry for m in doc.commitments[0].ministries] == ["office"]


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_python_dumps_and_attributes_are_json_native(path: Path) -> None:
    """The ingest service stores attributes and `model_dump()` in JSON columns: no date objects allowed."""
    for doc in extract_documents(path.read_text(encoding="utf-8"), source=str(path)):
        assert json.loads(json.dumps(doc.model_dump())) == doc.model_dump(mode="json")
        json.dumps({"adopted": doc.adopted, "place": doc.place, "number": doc.number})
