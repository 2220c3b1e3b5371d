"""What a stored upload consists of: the document row, its commitment rows and its events, built without I/O.

`service.store_document` reads what it needs (the version being superseded), calls these and persists the
result in one transaction. A commitment's own fields travel by name from `ExtractedCommitment` to the row,
to `commitment.extracted.v1` and to the API's answer: a field added to the shared model needs only its
column (and migration) here.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from resolute.ingest.documents.models import Commitment, Document
from resolute.ingest.documents.versions import CorrectionCarry, EditedCommitment, VersionPlan
from resolute.ingest.extraction.models import ExtractedCommitment, ExtractedDocument
from resolute.ingest.formats import DocumentText
from resolute.ingest.review.gate import Gate
from resolute.shared.api.documents import ExtractedCommitmentOut
from resolute.shared.events.catalogue import (
    CommitmentCorrectedV1,
    CommitmentExtractedV1,
    CommitmentWithdrawnV1,
    CorrectionRef,
    DocumentCorrectedV1,
    DocumentProcessedV1,
    FieldChange,
)
from resolute.shared.extracted import CalendarFact

#: (event, Kafka key, event id): how the outbox takes them
Outgoing = tuple[BaseModel, str, str | None]


@dataclass
class ParsedUpload:
    """An upload turned into text and extracted, before anything is stored."""

    content: bytes
    content_hash: str
    text: DocumentText
    documents: list[ExtractedDocument]
    filename: str | None
    title: str | None
    kind: str | None
    source_url: str | None
    supersedes: str | None = None
    identity_key: str | None = None
    publish: str | None = None

    @property
    def top_title(self) -> str | None:
        """The title the uploader gave, else the one the format carried, else the first part's."""
        return self.title or self.text.title or (self.documents[0].title if self.documents else None)

    @property
    def top_kind(self) -> str:
        """The kind the uploader gave, else the one part's, else `bundle` (several) or `other` (none)."""
        if self.kind:
            return self.kind
        if len(self.documents) == 1:
            return self.documents[0].kind
        return "bundle" if self.documents else "other"


def stated_columns(item: ExtractedCommitment) -> dict[str, Any]:
    """A commitment's own fields as its row's columns (the span as start and end)."""
    values = item.model_dump(exclude={"span"})
    return {**values, "span_start": item.span[0], "span_end": item.span[1]}


def stated(row: Commitment) -> ExtractedCommitment:
    """A stored commitment's own fields, as they now stand (as extracted, or as an editor corrected them)."""
    return ExtractedCommitment.model_validate(row, from_attributes=True)


def commitment_out(row: Commitment, span: tuple[int, int] | None = None) -> ExtractedCommitmentOut:
    """The API's answer for a stored commitment (`span` in other offsets, if asked for)."""
    values = stated(row).model_dump()
    if span is not None:
        values["span"] = span
    return ExtractedCommitmentOut(
        id=row.commitment_id,
        document_id=row.document_id,
        position=row.position,
        part=row.part,
        origin=row.origin,  # type: ignore[arg-type]
        corrected_fields=list(row.corrected_fields or []),
        revision=row.revision,
        withdrawn=row.withdrawn_at is not None,
        withdrawn_reason=row.withdrawn_reason,
        **values,
    )


def new_document(
    upload: ParsedUpload, predecessor: Document | None, *, document_id: str, now: datetime, gate: Gate | None = None
) -> Document:
    """The document row of a new upload (a new version of `predecessor`, if given), without its commitments;
    `gate` says whether it waits for review (published at once, by default)."""
    gate = gate or Gate("published", held=False, publish_mode="at_once", confidence=1.0, review=())
    document = Document(
        id=document_id,
        status="processed",
        version=predecessor.version + 1 if predecessor else 1,
        lineage_id=predecessor.lineage_id if predecessor else document_id,
        supersedes_id=predecessor.id if predecessor else None,
        identity_key=upload.identity_key,
        title=upload.top_title,
        kind=upload.top_kind,
        source_url=upload.source_url,
        filename=upload.filename,
        format=upload.text.format,
        content_hash=upload.content_hash,
        content=upload.content,
        text=upload.text.text,
        warnings=[*upload.text.warnings, *(w for d in upload.documents for w in d.warnings)],
        parts=[part_summary(d) for d in upload.documents],
        commitment_count=sum(len(d.commitments) for d in upload.documents),
        created_at=now,
        processed_at=now,
        review_state=gate.review_state,
        held=gate.held,
        publish_mode=gate.publish_mode,
        confidence=gate.confidence,
        review=list(gate.review),
        corrections=0,
        published_at=None if gate.held else now,
    )
    if predecessor is not None and predecessor.identity_key != upload.identity_key:
        document.warnings.append(
            f"supersedes document {predecessor.id}, whose issuing body, kind, number, session or title differ"
        )
    return document


PART_FACTS = frozenset({"number", "title", "kind", "issuing_body", "session", "adopted", "place"})
_PART_READING = frozenset({"addressees", "calendar_facts", "confidence", "needs_review", "review", "sources"})


def part_summary(extracted: ExtractedDocument) -> dict[str, Any]:
    """What a document keeps of each part of its upload (`DocumentPart` in the API): its facts, how sure the
    reading was, its calendar facts (sent to the tracker when a held document is published) and its span."""
    values = extracted.model_dump(mode="json", include=set(PART_FACTS | _PART_READING))
    span = list(extracted.span) if extracted.span is not None else None
    return {**values, "span": span, "commitment_count": len(extracted.commitments)}


def commitment_rows(
    documents: Sequence[ExtractedDocument], plan: VersionPlan, *, new_id: Callable[[], str] = lambda: str(uuid.uuid4())
) -> list[Commitment]:
    """One row per commitment of the upload, in document order; carried-over ones keep their commitment id."""
    items = [(part, item) for part, document in enumerate(documents) for item in document.commitments]
    return [
        Commitment(
            id=new_id(),
            commitment_id=plan.kept.get(position) or new_id(),
            part=part,
            position=position,
            origin="extracted",
            extracted_text=item.text,
            corrected_fields=[],
            revision=0,
            **stated_columns(item),
        )
        for position, (part, item) in enumerate(items)
    ]


def extracted_events(
    document: Document, documents: Sequence[ExtractedDocument], rows: Sequence[Commitment]
) -> list[Outgoing]:
    """`commitment.extracted.v1` for every standing commitment row, as the row states it (what the extractor
    read, with any editor's correction carried from the previous version), with its part's facts."""
    outgoing: list[Outgoing] = []
    for row in rows:
        if row.withdrawn_at is not None:
            continue
        part = documents[row.part]
        event = CommitmentExtractedV1(
            commitment_id=row.commitment_id,
            document_id=document.id,
            document_title=part.title or document.title,
            document_kind=part.kind,
            document_number=str(part.number) if part.number is not None else None,
            issuing_body=part.issuing_body,
            adopted=part.adopted,
            position=row.position,
            **stated(row).model_dump(),
        )
        outgoing.append((event, row.commitment_id, f"extracted:{row.id}"))
    return outgoing


def edited_commitments(previous: Sequence[Commitment], text: str) -> list[EditedCommitment]:
    """The superseded version's commitments that editors touched, as `versions.carry_corrections` takes them."""
    return [
        EditedCommitment(
            commitment_id=row.commitment_id,
            corrected_fields=frozenset(row.corrected_fields or ()),
            values=stated(row).model_dump(),
            source=text[row.span_start : row.span_end],
            added=row.origin != "extracted",
            withdrawn=row.withdrawn_at is not None,
        )
        for row in previous
        if row.revision > 0 or row.origin != "extracted" or row.withdrawn_at is not None
    ]


def _set_stated(row: Commitment, values: dict[str, Any]) -> None:
    for name, value in values.items():
        if name == "span":
            row.span_start, row.span_end = value
        else:
            setattr(row, name, value)


def apply_carry(
    rows: list[Commitment],
    carry: CorrectionCarry,
    previous: Sequence[Commitment],
    documents: Sequence[ExtractedDocument],
    *,
    new_id: Callable[[], str] = lambda: str(uuid.uuid4()),
) -> list[Commitment]:
    """The new version's rows with the editors' corrections kept: fields set over the extractor's reading,
    withdrawals kept, editors' additions placed where their text stands; positions renumbered in text order."""
    before = {row.commitment_id: row for row in previous}
    out = list(rows)
    for decision in carry.carried:
        old = before[decision.commitment_id]
        if decision.action == "add":
            row = Commitment(
                id=new_id(), commitment_id=old.commitment_id, part=_part_at(documents, decision.values["span"][0]),
                position=len(out), origin=old.origin, extracted_text=None,
                **stated_columns(ExtractedCommitment.model_validate(decision.values)),
            )  # fmt: skip
            out.append(row)
        else:
            row = rows[decision.position or 0]
            _set_stated(row, decision.values)
            if decision.action == "withdrawn":
                row.withdrawn_at, row.withdrawn_reason, row.withdrawn_by = (
                    old.withdrawn_at, old.withdrawn_reason, old.withdrawn_by
                )  # fmt: skip
        row.corrected_fields = sorted(old.corrected_fields or [])
        row.revision = old.revision
    out.sort(key=lambda r: (r.part, r.span_start, r.position))
    for position, row in enumerate(out):
        row.position = position
    return out


def _part_at(documents: Sequence[ExtractedDocument], offset: int) -> int:
    """Which part of a bundle holds an offset of the text (a single document: its only part)."""
    for index, document in enumerate(documents):
        if document.span is not None and document.span[0] <= offset < document.span[1]:
            return index
    return 0


def withdrawn_events(document: Document, withdrawn: Sequence[Commitment]) -> list[Outgoing]:
    """`commitment.withdrawn.v1` for each commitment of the superseded version this one no longer states."""
    reason = (
        f"not in version {document.version} of the document ({document.id}), which supersedes "
        f"version {document.version - 1}"
    )
    return [
        (
            CommitmentWithdrawnV1(
                commitment_id=gone.commitment_id, document_id=gone.document_id, superseded_by=document.id, reason=reason
            ),
            gone.commitment_id,
            f"withdrawn:{gone.id}",
        )
        for gone in withdrawn
    ]


def processed_event(document: Document, documents: Sequence[ExtractedDocument]) -> Outgoing:
    """`document.processed.v1`: the document's facts (a bundle's number only when it holds one part)."""
    first = documents[0] if documents else None
    event = DocumentProcessedV1(
        document_id=document.id,
        title=document.title,
        kind=document.kind,
        issuing_body=first.issuing_body if first else None,
        number=str(first.number) if first and first.number is not None and len(documents) == 1 else None,
        session=first.session if first else None,
        adopted=first.adopted if first else None,
        place=first.place if first else None,
        source_url=document.source_url,
        content_hash=document.content_hash,
        commitment_count=document.commitment_count,
        calendar_facts=[fact for d in documents for fact in d.calendar_facts],
        supersedes=document.supersedes_id,
        version=document.version,
        warnings=document.warnings,
    )
    return event, document.id, f"processed:{document.id}"


# --- a held document published, a correction sent: the events from the stored rows -------------------------


def commitment_source(document: Document, part: int) -> dict[str, Any]:
    """What a commitment of this part takes from its document (`CommitmentSource` but the position)."""
    facts = document.parts[part] if part < len(document.parts) else {}
    number = facts.get("number")
    return {
        "document_id": document.id,
        "document_title": facts.get("title") or document.title,
        "document_kind": facts.get("kind") or document.kind,
        "document_number": str(number) if number is not None else None,
        "issuing_body": facts.get("issuing_body"),
        "adopted": facts.get("adopted"),
    }


def stored_extracted_events(document: Document, rows: Sequence[Commitment]) -> list[Outgoing]:
    """`commitment.extracted.v1` for each standing row, as it now stands (a held document published)."""
    return [
        (
            CommitmentExtractedV1(
                commitment_id=row.commitment_id,
                **commitment_source(document, row.part),
                position=row.position,
                **stated(row).model_dump(),
            ),
            row.commitment_id,
            f"extracted:{row.id}",
        )
        for row in rows
        if row.withdrawn_at is None
    ]


def stored_processed_event(document: Document) -> Outgoing:
    """`document.processed.v1` from the stored parts (a held document published)."""
    parts = document.parts
    first = parts[0] if parts else {}
    event = DocumentProcessedV1(
        document_id=document.id,
        title=document.title,
        kind=document.kind,
        issuing_body=first.get("issuing_body"),
        number=str(first["number"]) if first.get("number") is not None and len(parts) == 1 else None,
        session=first.get("session"),
        adopted=first.get("adopted"),
        place=first.get("place"),
        source_url=document.source_url,
        content_hash=document.content_hash,
        commitment_count=document.commitment_count,
        calendar_facts=[CalendarFact.model_validate(f) for p in parts for f in p.get("calendar_facts", [])],
        supersedes=document.supersedes_id,
        version=document.version,
        warnings=document.warnings,
    )
    return event, document.id, f"processed:{document.id}"


def corrected_event(
    document: Document, row: Commitment, correction: CorrectionRef, positions: dict[str, int] | None = None
) -> Outgoing:
    """`commitment.corrected.v1`: the commitment's whole state after its `row.revision`-th correction."""
    event = CommitmentCorrectedV1(
        commitment_id=row.commitment_id,
        **commitment_source(document, row.part),
        position=row.position,
        **stated(row).model_dump(),
        revision=row.revision,
        correction=correction,
        withdrawn=row.withdrawn_at is not None,
        withdrawn_reason=row.withdrawn_reason,
        positions=positions or {},
    )
    return event, row.commitment_id, f"corrected:{row.commitment_id}:{row.revision}"


def document_corrected_event(
    document: Document, part: int, before: dict[str, Any], correction: CorrectionRef, changes: list[FieldChange]
) -> DocumentCorrectedV1:
    """`document.corrected.v1`: a part's facts and calendar facts as an editor left them."""
    facts = document.parts[part]
    previous_number = before.get("number")
    return DocumentCorrectedV1(
        document_id=document.id,
        part=part,
        previous_number=str(previous_number) if previous_number is not None else None,
        title=facts.get("title") or document.title,
        kind=facts.get("kind") or document.kind,
        issuing_body=facts.get("issuing_body"),
        number=str(facts["number"]) if facts.get("number") is not None else None,
        session=facts.get("session"),
        adopted=facts.get("adopted"),
        place=facts.get("place"),
        calendar_facts=[CalendarFact.model_validate(f) for f in facts.get("calendar_facts", [])],
        correction=correction,
        changes=changes,
    )
