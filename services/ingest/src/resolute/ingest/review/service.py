"""Review and correction of stored documents: the review queue, taking a document into review, publishing it,
the issuing bodies' publication policies, and every correction of a commitment with its event.

Each action is one transaction with the outbox: the rows change and the events that tell the tracker go out
together, or nothing happens. A correction of a document published at once is sent at once
(`commitment.corrected.v1`); one of a held document is kept and its commitments reach the tracker, corrected,
when the document is published. Only editors and admins act here (a ministry key is a 403).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from resolute.ingest.documents import records
from resolute.ingest.documents.models import Commitment, CorrectedCommitment, Correction, Document, PublicationPolicy
from resolute.ingest.documents.queries import DOCUMENT_ORDERS, document_out
from resolute.ingest.extraction.proposal import propose_commitment
from resolute.ingest.review import corrections
from resolute.ingest.review.corrections import CorrectionRefused
from resolute.shared.actors import ActorRegistry, default_registry
from resolute.shared.api.documents import DocumentOut, DocumentPage
from resolute.shared.api.review import (
    WAITING_STATES,
    CommitmentAddIn,
    CommitmentRevisionIn,
    CommitmentState,
    CorrectionOut,
    CorrectionPage,
    CorrectionQuery,
    DocumentFactsIn,
    MergeIn,
    ProposalOut,
    PublicationPolicyIn,
    PublicationPolicyList,
    PublicationPolicyOut,
    ReviewQueueQuery,
    SplitIn,
    WithdrawalIn,
)
from resolute.shared.api.review import CorrectedCommitment as CorrectedCommitmentOut
from resolute.shared.events.catalogue import CorrectionRef, FieldChange
from resolute.shared.extracted import ExtractedCommitment
from resolute.shared.logging import get_logger
from resolute.shared.messaging import Outbox
from resolute.shared.pagination import Keyset
from resolute.shared.web.identity import Caller, require_role
from resolute.shared.web.problems import ProblemError

log = get_logger(__name__)

_QUEUE = DOCUMENT_ORDERS["created_at"]
_CORRECTIONS = Keyset((Correction.at, False), (Correction.id, False))


def _editor(caller: Caller) -> None:
    require_role(caller, "editor")


def _refused(exc: CorrectionRefused) -> ProblemError:
    return ProblemError(422, str(exc), kind=exc.kind, title="Invalid correction", reasons=exc.reasons)


# --- the review queue and the document's state ---------------------------------------------------------


async def review_queue(session: AsyncSession, query: ReviewQueueQuery) -> DocumentPage:
    """Current documents waiting for review, oldest first."""
    states = [query.review_state] if query.review_state else list(WAITING_STATES)
    statement = select(Document).where(Document.status == "processed", Document.review_state.in_(states))
    if query.held is not None:
        statement = statement.where(Document.held.is_(query.held))
    rows = (await session.scalars(_QUEUE.apply(statement, query.cursor, query.limit))).all()
    page, next_cursor = _QUEUE.page(rows, query.limit)
    return DocumentPage(items=[document_out(d) for d in page], next_cursor=next_cursor)


async def _current(session: AsyncSession, document_id: str) -> Document:
    """The document, locked, if it is the current version: a superseded one is read-only (409)."""
    document = await session.scalar(select(Document).where(Document.id == document_id).with_for_update())
    if document is None:
        raise ProblemError(404, f"no document {document_id}", kind="not-found")
    if document.status != "processed":
        raise ProblemError(
            409,
            f"document {document_id} is {document.status}: only the current version of a document is reviewed "
            + (f"(now {document.superseded_by_id})" if document.superseded_by_id else ""),
            kind="not-current",
            superseded_by=document.superseded_by_id,
        )
    return document


async def start_review(session: AsyncSession, document_id: str, caller: Caller, now: datetime) -> DocumentOut:
    """An editor takes a waiting document into review (again: it is theirs now)."""
    _editor(caller)
    document = await _current(session, document_id)
    if document.review_state == "published":
        raise ProblemError(409, f"document {document_id} is published; correct it directly", kind="already-published")
    document.review_state = "in_review"
    document.review_started_by = caller.principal
    document.review_started_at = now
    await session.flush()
    log.info("review_started", document_id=document_id, by=caller.principal)
    return document_out(document)


async def _standing(session: AsyncSession, document: Document) -> list[Commitment]:
    return list(
        (
            await session.scalars(
                select(Commitment).where(Commitment.document_id == document.id).order_by(Commitment.position)
            )
        ).all()
    )


async def _withdrawn_by_version(session: AsyncSession, document: Document, kept: set[str]) -> list[Commitment]:
    """The superseded version's standing commitments this version does not carry (sent when it is published)."""
    if document.supersedes_id is None:
        return []
    previous = await session.scalars(
        select(Commitment).where(Commitment.document_id == document.supersedes_id, Commitment.withdrawn_at.is_(None))
    )
    return [c for c in previous.all() if c.commitment_id not in kept]


async def _latest_corrections(session: AsyncSession, document: Document) -> dict[str, Correction]:
    """The latest correction of each commitment of this version."""
    rows = await session.execute(
        select(CorrectedCommitment.commitment_id, Correction)
        .join(Correction, Correction.id == CorrectedCommitment.correction_id)
        .where(Correction.document_id == document.id)
        .order_by(Correction.at, Correction.id)
    )
    return {commitment_id: correction for commitment_id, correction in rows.all()}


def _ref(correction: Correction) -> CorrectionRef:
    return CorrectionRef(
        id=correction.id,
        kind=correction.kind,  # type: ignore[arg-type]
        actor=correction.actor,
        actor_scope=correction.actor_scope,
        reason=correction.reason,
        at=correction.at,
    )


async def publish(
    session: AsyncSession, outbox: Outbox, document_id: str, caller: Caller, now: datetime
) -> DocumentOut:
    """Publish a reviewed document. A held one sends everything now: its commitments as they stand (corrected),
    the superseded version's commitments it no longer carries withdrawn, its calendar facts."""
    _editor(caller)
    document = await _current(session, document_id)
    if document.review_state == "published":
        raise ProblemError(409, f"document {document_id} is already published", kind="already-published")
    if document.held:
        rows = await _standing(session, document)
        withdrawn = await _withdrawn_by_version(session, document, {r.commitment_id for r in rows})
        latest = await _latest_corrections(session, document)
        outgoing = [
            *records.stored_extracted_events(document, rows),
            *(
                records.corrected_event(document, row, _ref(latest[row.commitment_id]))
                for row in rows
                if row.commitment_id in latest and row.revision > 0 and row.withdrawn_at is None
            ),
            *records.withdrawn_events(document, withdrawn),
            records.stored_processed_event(document),
        ]
        await outbox.add_many(session, outgoing, time=now)
        document.held = False
    document.review_state = "published"
    document.published_at = now
    document.published_by = caller.principal
    await session.flush()
    log.info("document_published", document_id=document_id, by=caller.principal)
    return document_out(document)


# --- publication policies --------------------------------------------------------------------------------


def _policy_out(policy: PublicationPolicy, registry: ActorRegistry) -> PublicationPolicyOut:
    body = registry.body(policy.body_id)
    out = PublicationPolicyOut.model_validate(policy)
    out.body_name = body.name if body else None
    return out


async def list_policies(session: AsyncSession, caller: Caller) -> PublicationPolicyList:
    _editor(caller)
    registry = default_registry()
    rows = await session.scalars(select(PublicationPolicy).order_by(PublicationPolicy.body_id))
    return PublicationPolicyList(items=[_policy_out(p, registry) for p in rows.all()])


async def set_policy(
    session: AsyncSession, body_id: str, body: PublicationPolicyIn, caller: Caller, now: datetime
) -> PublicationPolicyOut:
    """An issuing body's choice for its next uploads (documents already stored keep theirs)."""
    _editor(caller)
    registry = default_registry()
    if registry.body(body_id) is None:
        raise ProblemError(422, f"unknown body {body_id!r}: `GET /v1/actors` lists the bodies", kind="unknown-body")
    policy = await session.get(PublicationPolicy, body_id, with_for_update=True)
    if policy is None:
        policy = PublicationPolicy(body_id=body_id, publish=body.publish, updated_at=now)
        session.add(policy)
    policy.publish = body.publish
    policy.note = body.note
    policy.updated_by = caller.principal
    policy.updated_at = now
    await session.flush()
    return _policy_out(policy, registry)


# --- corrections ----------------------------------------------------------------------------------------


def _state(row: Commitment) -> CommitmentState:
    return CommitmentState(
        **records.stated(row).model_dump(),
        position=row.position,
        withdrawn=row.withdrawn_at is not None,
        withdrawn_reason=row.withdrawn_reason,
    )


@dataclass
class _Touched:
    row: Commitment
    effect: str
    before: CommitmentState | None
    changed: list[str]


def _set_stated(row: Commitment, after: ExtractedCommitment) -> None:
    for name, value in records.stated_columns(after).items():
        setattr(row, name, value)


async def _record(
    session: AsyncSession,
    outbox: Outbox,
    document: Document,
    *,
    kind: str,
    reason: str,
    caller: Caller,
    now: datetime,
    touched: Sequence[_Touched],
    positions: dict[str, int] | None = None,
) -> CorrectionOut:
    """Keep the correction (who, when, why, before and after), count it, and send it unless the document is
    held; the first correction of a document waiting for review takes it into review."""
    correction = _new_correction(
        document, kind=kind, reason=reason, caller=caller, now=now, part=touched[0].row.part if touched else None
    )
    items = []
    for item in touched:
        row = item.row
        row.revision += 1
        row.corrected_fields = sorted({*(row.corrected_fields or []), *item.changed})
        after = _state(row)
        items.append(
            CorrectedCommitmentOut(
                commitment_id=row.commitment_id,
                effect=item.effect,  # type: ignore[arg-type]
                before=item.before,
                after=after,
                changes=(
                    corrections.changes(item.before, after)
                    if item.effect != "withdrawn"
                    else [FieldChange(field="withdrawn", before=False, after=True)]
                ),
            ).model_dump(mode="json")
        )
    correction.commitments = items
    session.add(correction)
    await session.flush()  # the correction before the rows that name it
    session.add_all(
        CorrectedCommitment(correction_id=correction.id, commitment_id=t.row.commitment_id) for t in touched
    )
    await session.flush()
    if not document.held:
        ref = _ref(correction)
        await outbox.add_many(
            session, [records.corrected_event(document, t.row, ref, positions) for t in touched], time=now
        )
    log.info(
        "commitment_corrected", correction_id=correction.id, kind=kind, document_id=document.id, by=caller.principal
    )
    return _correction_out(correction)


def _new_correction(
    document: Document, *, kind: str, reason: str, caller: Caller, now: datetime, part: int | None
) -> Correction:
    """A correction of this document by this caller, counted; the first one of a document waiting for review
    takes it into review."""
    if document.review_state == "needs_review":
        document.review_state = "in_review"
        document.review_started_by = caller.principal
        document.review_started_at = now
    document.corrections += 1
    return Correction(
        id=str(uuid.uuid4()),
        document_id=document.id,
        lineage_id=document.lineage_id,
        version=document.version,
        kind=kind,
        actor=caller.principal,
        actor_scope=caller.scope,
        reason=reason,
        at=now,
        published=not document.held,
        part=part,
        review_state=document.review_state,
    )


async def correct_facts(
    session: AsyncSession, outbox: Outbox, document_id: str, body: DocumentFactsIn, caller: Caller, now: datetime
) -> CorrectionOut:
    """Correct a document's own facts and the events it dates (one part of a bundle). Its commitments take the
    part's facts from it as they stand (when a held document is published, or in the event sent now); the
    document's identity stays what the extractor read, so its next version is still recognised."""
    _editor(caller)
    document = await _current(session, document_id)
    if body.part >= max(len(document.parts), 1):
        raise ProblemError(
            422, f"document {document_id} has {len(document.parts)} part(s): no part {body.part}", kind="unknown-part"
        )
    before = dict(document.parts[body.part]) if document.parts else {}
    try:
        after, changed = corrections.apply_facts(before, body.given(), default_registry())
    except CorrectionRefused as exc:
        raise _refused(exc) from exc
    if not changed:
        raise ProblemError(422, "the correction changes nothing: every fact given has that value", kind="no-change")
    parts = [dict(p) for p in document.parts] or [{}]
    parts[body.part] = after
    document.parts = parts
    if len(parts) == 1:  # the document is its one part: its title and kind are the part's
        document.title = after.get("title") or document.title
        document.kind = after.get("kind") or document.kind
    correction = _new_correction(document, kind="facts", reason=body.reason, caller=caller, now=now, part=body.part)
    correction.document_changes = [c.model_dump(mode="json") for c in changed]
    session.add(correction)
    await session.flush()
    if not document.held:
        await outbox.add(
            session,
            records.document_corrected_event(document, body.part, before, _ref(correction), changed),
            key=document.id,
            event_id=f"document-corrected:{correction.id}",
            time=now,
        )
    log.info("document_facts_corrected", correction_id=correction.id, document_id=document.id, by=caller.principal,
             fields=[c.field for c in changed])  # fmt: skip
    return _correction_out(correction)


def _correction_out(correction: Correction) -> CorrectionOut:
    out = CorrectionOut.model_validate(correction)
    out.document = [FieldChange.model_validate(c) for c in correction.document_changes or []]
    return out


async def _commitment_row(session: AsyncSession, document: Document, commitment_id: str) -> Commitment:
    row = await session.scalar(
        select(Commitment).where(Commitment.document_id == document.id, Commitment.commitment_id == commitment_id)
    )
    if row is None:
        raise ProblemError(404, f"document {document.id} has no commitment {commitment_id}", kind="not-found")
    if row.withdrawn_at is not None:
        raise ProblemError(409, f"commitment {commitment_id} was withdrawn ({row.withdrawn_reason})", kind="withdrawn")
    return row


async def revise(
    session: AsyncSession,
    outbox: Outbox,
    document_id: str,
    commitment_id: str,
    body: CommitmentRevisionIn,
    caller: Caller,
    now: datetime,
) -> CorrectionOut:
    """Correct a commitment's fields; refused whole (422) when the registry or the text contradicts it, or when
    it changes nothing."""
    _editor(caller)
    document = await _current(session, document_id)
    row = await _commitment_row(session, document, commitment_id)
    before = _state(row)
    try:
        after = corrections.apply(records.stated(row), body.given(), text=document.text, registry=default_registry())
    except CorrectionRefused as exc:
        raise _refused(exc) from exc
    changed = corrections.changes(before, after)
    if not changed:
        raise ProblemError(422, "the correction changes nothing: every field given has that value", kind="no-change")
    _set_stated(row, after)
    return await _record(
        session, outbox, document, kind="revise", reason=body.reason, caller=caller, now=now,
        touched=[_Touched(row, "revised", before, [c.field for c in changed])],
    )  # fmt: skip


async def withdraw(
    session: AsyncSession,
    outbox: Outbox,
    document_id: str,
    commitment_id: str,
    body: WithdrawalIn,
    caller: Caller,
    now: datetime,
) -> CorrectionOut:
    """Withdraw what is not a commitment: kept and marked, never deleted; its assignments close as superseded."""
    _editor(caller)
    document = await _current(session, document_id)
    row = await _commitment_row(session, document, commitment_id)
    before = _state(row)
    row.withdrawn_at = now
    row.withdrawn_reason = body.reason
    row.withdrawn_by = caller.principal
    document.commitment_count -= 1
    return await _record(
        session, outbox, document, kind="withdraw", reason=body.reason, caller=caller, now=now,
        touched=[_Touched(row, "withdrawn", before, ["withdrawn"])],
    )  # fmt: skip


def _overlapping(rows: Sequence[Commitment], span: tuple[int, int]) -> list[Commitment]:
    return [r for r in rows if r.withdrawn_at is None and r.span_start < span[1] and span[0] < r.span_end]


async def _proposal(
    document: Document, rows: Sequence[Commitment], span: tuple[int, int]
) -> tuple[int, ExtractedCommitment]:
    """The extractor's reading of the span, next to the document's commitments as they stand."""
    try:
        span = corrections.span_in_text(span, document.text)
    except CorrectionRefused as exc:
        raise _refused(exc) from exc
    neighbours = [records.stated(r) for r in rows if r.withdrawn_at is None]
    proposal = await asyncio.to_thread(propose_commitment, document.text, span, neighbours=neighbours)
    return proposal.part, proposal.commitment


async def propose(session: AsyncSession, document_id: str, span: tuple[int, int], caller: Caller) -> ProposalOut:
    """What the extractor would make of a span: the fields an addition starts from."""
    _editor(caller)
    document = await session.get(Document, document_id)
    if document is None:
        raise ProblemError(404, f"no document {document_id}", kind="not-found")
    rows = await _standing(session, document)
    part, proposed = await _proposal(document, rows, span)
    return ProposalOut(
        document_id=document.id,
        part=part,
        span=proposed.span,
        source_text=document.text[proposed.span[0] : proposed.span[1]],
        proposed=proposed,
        overlaps=[r.commitment_id for r in _overlapping(rows, proposed.span)],
    )


async def _make_room(
    session: AsyncSession, rows: Sequence[Commitment], position: int, places: int = 1
) -> dict[str, int]:
    """Move the rows at `position` and after `places` places on (through negative positions, so the uniqueness
    of (document, position) holds at every step); the standing ones' new positions."""
    moving = [r for r in rows if r.position >= position]
    for row in moving:
        row.position = -row.position - places
    await session.flush()
    for row in moving:
        row.position = -row.position
    await session.flush()
    return {r.commitment_id: r.position for r in moving if r.withdrawn_at is None}


async def add(
    session: AsyncSession, outbox: Outbox, document_id: str, body: CommitmentAddIn, caller: Caller, now: datetime
) -> CorrectionOut:
    """Add a commitment from a span: the extractor's proposal for it, with the fields given set over it."""
    _editor(caller)
    document = await _current(session, document_id)
    rows = await _standing(session, document)
    part, proposed = await _proposal(document, rows, body.span)
    overlapping = _overlapping(rows, proposed.span)
    if overlapping:
        raise ProblemError(
            422,
            f"span {list(body.span)} overlaps commitments {[r.commitment_id for r in overlapping]}: correct their "
            "spans (or withdraw them) first",
            kind="overlapping-span",
            overlaps=[r.commitment_id for r in overlapping],
        )
    given = {k: v for k, v in body.given().items() if k != "span"}
    try:
        commitment = corrections.apply(proposed, given, text=document.text, registry=default_registry())
    except CorrectionRefused as exc:
        raise _refused(exc) from exc
    position = next((r.position for r in rows if r.span_start >= commitment.span[1]), len(rows))
    positions = await _make_room(session, rows, position)
    row = _added_row(document, part, position, commitment)
    session.add(row)
    document.commitment_count += 1
    await session.flush()
    return await _record(
        session, outbox, document, kind="add", reason=body.reason, caller=caller, now=now,
        touched=[_Touched(row, "added", None, [c.field for c in corrections.changes(None, commitment)])],
        positions=positions,
    )  # fmt: skip


def _added_row(document: Document, part: int, position: int, commitment: ExtractedCommitment) -> Commitment:
    """A commitment an editor made (by an addition or a split): no extracted text, no revision yet."""
    return Commitment(
        id=str(uuid.uuid4()),
        commitment_id=str(uuid.uuid4()),
        document_id=document.id,
        part=part,
        position=position,
        origin="added",
        extracted_text=None,
        corrected_fields=[],
        revision=0,
        **records.stated_columns(commitment),
    )


async def _split_readings(
    document: Document, rows: Sequence[Commitment], row: Commitment, body: SplitIn
) -> list[ExtractedCommitment]:
    """Each part as the commitment split, its text and span its own, its deadline the one the extractor reads
    in its span (else the commitment's), with the part's fields given set over it."""
    outside = [list(p.span) for p in body.parts if p.span[0] < row.span_start or p.span[1] > row.span_end]
    if outside:
        raise ProblemError(
            422,
            f"parts {outside} lie outside the span {[row.span_start, row.span_end]} of commitment {row.commitment_id}",
            kind="span-outside-commitment",
        )
    original = records.stated(row)
    registry = default_registry()
    readings = []
    for part in body.parts:
        _, proposed = await _proposal(document, rows, part.span)
        base = original.model_copy(update={"deadline": proposed.deadline or original.deadline})
        given = {"span": list(part.span), **part.given()}
        try:
            readings.append(corrections.apply(base, given, text=document.text, registry=registry))
        except CorrectionRefused as exc:
            raise _refused(exc) from exc
    return readings


async def split(
    session: AsyncSession,
    outbox: Outbox,
    document_id: str,
    commitment_id: str,
    body: SplitIn,
    caller: Caller,
    now: datetime,
) -> CorrectionOut:
    """Split a commitment read as one: the first part keeps its id, assignments and history (revised to its
    span); the others are new commitments right after it, the commitments after them moved on."""
    _editor(caller)
    document = await _current(session, document_id)
    row = await _commitment_row(session, document, commitment_id)
    rows = await _standing(session, document)
    first, *others = await _split_readings(document, rows, row, body)
    before = _state(row)
    _set_stated(row, first)
    positions = await _make_room(session, rows, row.position + 1, len(others))
    added = [_added_row(document, row.part, row.position + 1 + n, reading) for n, reading in enumerate(others)]
    session.add_all(added)
    document.commitment_count += len(added)
    await session.flush()
    touched = [
        _Touched(row, "revised", before, [c.field for c in corrections.changes(before, first)]),
        *(
            _Touched(new, "added", None, [c.field for c in corrections.changes(None, reading)])
            for new, reading in zip(added, others, strict=True)
        ),
    ]
    return await _record(
        session, outbox, document, kind="split", reason=body.reason, caller=caller, now=now, touched=touched,
        positions=positions,
    )  # fmt: skip


def _merged_fields(merged: Sequence[Commitment]) -> dict[str, Any]:
    """What the merged commitment takes from all of them: its span from the first's start to the last's end,
    their texts joined, and every addressee, ministry and named addressee of any of them (first seen first)."""
    states = [records.stated(r).model_dump(mode="json") for r in merged]

    def union(name: str) -> list[Any]:
        seen: list[Any] = []
        for state in states:
            seen += [value for value in state[name] if value not in seen]
        return seen

    return {
        "span": [min(r.span_start for r in merged), max(r.span_end for r in merged)],
        "text": "; ".join(state["text"] for state in states),
        **{name: union(name) for name in ("countries", "bodies", "ministries", "addressed_to")},
    }


async def merge(
    session: AsyncSession, outbox: Outbox, document_id: str, body: MergeIn, caller: Caller, now: datetime
) -> CorrectionOut:
    """Merge commitments read apart: the first in text order takes what all of them say and keeps its id; the
    others are withdrawn, merged into it. They must be of one part of the document, with nothing standing
    between them that is not merged too."""
    _editor(caller)
    document = await _current(session, document_id)
    merged = sorted(
        [await _commitment_row(session, document, cid) for cid in body.commitment_ids], key=lambda r: r.position
    )
    if len({r.part for r in merged}) > 1:
        raise ProblemError(422, "the commitments are of different parts of the document", kind="across-parts")
    fields = _merged_fields(merged)
    names = set(body.commitment_ids)
    standing = _overlapping(await _standing(session, document), tuple(fields["span"]))
    between = [r.commitment_id for r in standing if r.commitment_id not in names]
    if between:
        raise ProblemError(
            422,
            f"commitments {between} stand between those merged: merge them too (or withdraw them) first",
            kind="overlapping-span",
        )
    survivor, *others = merged
    before = _state(survivor)
    try:
        after = corrections.apply(
            records.stated(survivor), {**fields, **body.given()}, text=document.text, registry=default_registry()
        )
    except CorrectionRefused as exc:
        raise _refused(exc) from exc
    _set_stated(survivor, after)
    touched = [_Touched(survivor, "revised", before, [c.field for c in corrections.changes(before, after)])]
    for row in others:
        touched.append(_Touched(row, "withdrawn", _state(row), ["withdrawn"]))
        row.withdrawn_at = now
        row.withdrawn_reason = f"merged into {survivor.commitment_id}: {body.reason}"
        row.withdrawn_by = caller.principal
    document.commitment_count -= len(others)
    return await _record(
        session, outbox, document, kind="merge", reason=body.reason, caller=caller, now=now, touched=touched
    )


# --- reading corrections back ---------------------------------------------------------------------------


async def _correction_page(session: AsyncSession, statement: Any, query: CorrectionQuery) -> CorrectionPage:
    if query.kind is not None:
        statement = statement.where(Correction.kind == query.kind)
    rows = (await session.scalars(_CORRECTIONS.apply(statement, query.cursor, query.limit))).all()
    page, next_cursor = _CORRECTIONS.page(rows, query.limit)
    return CorrectionPage(items=[_correction_out(c) for c in page], next_cursor=next_cursor)


async def document_corrections(session: AsyncSession, document_id: str, query: CorrectionQuery) -> CorrectionPage:
    """Every correction of the document's lineage (all its versions), oldest first."""
    document = await session.get(Document, document_id)
    if document is None:
        raise ProblemError(404, f"no document {document_id}", kind="not-found")
    return await _correction_page(
        session, select(Correction).where(Correction.lineage_id == document.lineage_id), query
    )


async def commitment_corrections(session: AsyncSession, commitment_id: str, query: CorrectionQuery) -> CorrectionPage:
    """Every correction of one commitment, across its document's versions, oldest first."""
    known = await session.scalar(select(Commitment.id).where(Commitment.commitment_id == commitment_id).limit(1))
    if known is None:
        raise ProblemError(404, f"no commitment {commitment_id}", kind="not-found")
    touched = select(CorrectedCommitment.correction_id).where(CorrectedCommitment.commitment_id == commitment_id)
    return await _correction_page(session, select(Correction).where(Correction.id.in_(touched)), query)
