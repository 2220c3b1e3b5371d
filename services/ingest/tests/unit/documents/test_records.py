"""What a stored upload consists of, built without a database: the document row, its commitment rows (a
commitment's fields carried by name) and its events, from a real corpus document."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from resolute.ingest.documents import records
from resolute.ingest.documents.models import Commitment, Document
from resolute.ingest.documents.records import ParsedUpload
from resolute.ingest.documents.versions import VersionPlan
from resolute.ingest.extraction import extract_documents
from resolute.ingest.formats import read_document
from resolute.shared.events.catalogue import CommitmentExtractedV1, CommitmentWithdrawnV1, DocumentProcessedV1
from resolute.shared.extracted import STATED_FIELDS, ExtractedCommitment

NOW = datetime(2026, 11, 20, 9, tzinfo=UTC)


def _upload(path: Path) -> ParsedUpload:
    content = path.read_bytes()
    text = read_document(content, filename=path.name)
    documents = extract_documents(text.text, source=path.name, title_hint=text.title)
    return ParsedUpload(content, "0" * 64, text, documents, path.name, None, None, None)


@pytest.fixture
def resolution(corpus_dir: Path) -> ParsedUpload:
    return _upload(corpus_dir / "ba-44th-session-resolution-2025.txt")


def test_every_field_of_a_commitment_is_a_column_of_its_row() -> None:
    columns = set(Commitment.__table__.columns.keys())
    assert {name for name in STATED_FIELDS if name != "span"} <= columns
    assert {"span_start", "span_end"} <= columns


def test_a_commitment_goes_into_its_row_and_comes_back_unchanged(resolution: ParsedUpload) -> None:
    plan = VersionPlan(kept={1: "kept-id"}, withdrawn=())
    rows = records.commitment_rows(resolution.documents, plan)
    items = resolution.documents[0].commitments
    assert len(rows) == len(items) > 80
    assert [r.position for r in rows] == list(range(len(items)))
    assert rows[1].commitment_id == "kept-id" and rows[0].commitment_id != rows[2].commitment_id
    for row, item in zip(rows, items, strict=True):
        assert records.stated(row) == item
    rows[0].document_id = "d1"  # set by the database once the document row is flushed
    answer = records.commitment_out(rows[0], span=(1, 2))
    assert (answer.id, answer.span, answer.text) == (rows[0].commitment_id, (1, 2), items[0].text)


def test_the_document_row_of_a_first_version_and_of_a_new_one(resolution: ParsedUpload) -> None:
    first = records.new_document(resolution, None, document_id="d1", now=NOW)
    assert (first.version, first.lineage_id, first.supersedes_id) == (1, "d1", None)
    assert first.kind == "resolution" and first.commitment_count == len(resolution.documents[0].commitments)
    assert first.parts[0]["session"] == 44 and first.parts[0]["commitment_count"] == first.commitment_count
    predecessor = Document(id="d0", version=3, lineage_id="d-first", identity_key="another", parts=[])
    second = records.new_document(resolution, predecessor, document_id="d2", now=NOW)
    assert (second.version, second.lineage_id, second.supersedes_id) == (4, "d-first", "d0")
    assert any("supersedes document d0" in warning for warning in second.warnings)


def test_the_events_carry_each_commitment_as_extracted_with_its_document(resolution: ParsedUpload) -> None:
    document = records.new_document(resolution, None, document_id="d1", now=NOW)
    rows = records.commitment_rows(resolution.documents, VersionPlan(kept={}, withdrawn=()))
    extracted = records.extracted_events(document, resolution.documents, rows)
    event, key, event_id = extracted[0]
    assert isinstance(event, CommitmentExtractedV1)
    assert (key, event_id) == (rows[0].commitment_id, f"extracted:{rows[0].id}")
    assert (
        ExtractedCommitment.model_validate(event.model_dump(include=set(STATED_FIELDS)))
        == (resolution.documents[0].commitments[0])
    )
    assert (event.document_id, event.document_kind, event.position) == ("d1", "resolution", 0)
    assert event.adopted is not None and event.adopted.isoformat() == resolution.documents[0].adopted
    processed, _, processed_id = records.processed_event(document, resolution.documents)
    assert isinstance(processed, DocumentProcessedV1) and processed_id == "processed:d1"
    assert processed.calendar_facts == resolution.documents[0].calendar_facts
    gone = Commitment(id="r0", commitment_id="c0", document_id="d0")
    (withdrawn, _, _) = records.withdrawn_events(document, [gone])[0]
    assert isinstance(withdrawn, CommitmentWithdrawnV1)
    assert (withdrawn.commitment_id, withdrawn.document_id, withdrawn.superseded_by) == ("c0", "d0", "d1")
