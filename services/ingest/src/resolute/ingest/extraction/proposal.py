"""A commitment proposed for a span an editor selected: what the extractor reads there, in its document's context.

Review adds what extraction missed. The editor points at the text; the extractor says what it would have made
of it had it found it: the item's clean text and list label, the addressees of the clause it stands under (its
neighbouring commitments'), the policy area its words and section suggest, each addressee country's lead
ministry for that area, and the deadline its words set (or the one its clause sets for every item). The same
rules as a full reading, applied to one span; nothing here changes how documents are read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from resolute.ingest.extraction.commitments import _lead_ministries, trim_span
from resolute.ingest.extraction.confidence import assess_commitment
from resolute.ingest.extraction.deadlines import find_deadline
from resolute.ingest.extraction.layout import Block, Hint, build_layout
from resolute.ingest.extraction.models import Deadline, ExtractedCommitment, ExtractedDocument, MinistryRef
from resolute.ingest.extraction.pipeline import deadline_context, extract_documents
from resolute.ingest.extraction.policy_areas import classify_policy_area
from resolute.ingest.extraction.text import clean_item
from resolute.shared.actors import ActorRegistry, Body, default_registry


@dataclass(frozen=True)
class Proposal:
    """The proposed commitment, which part of the upload the span is in, and the commitments it overlaps."""

    part: int
    commitment: ExtractedCommitment
    overlaps: tuple[int, ...]


def part_of(documents: Sequence[ExtractedDocument], span: tuple[int, int]) -> int:
    """Which document of an upload a span is in: the bundle part that holds its start (0 for one document)."""
    for index, document in enumerate(documents):
        if document.span is not None and document.span[0] <= span[0] < document.span[1]:
            return index
    return 0


def _issuer(registry: ActorRegistry, name: str | None) -> Body | None:
    if not name:
        return None
    wanted = name.casefold()
    return next((b for b in registry.bodies if wanted in (b.name.casefold(), *(a.casefold() for a in b.aliases))), None)


def _neighbour(commitments: Sequence[ExtractedCommitment], span: tuple[int, int]) -> ExtractedCommitment | None:
    """The commitment whose clause the span most likely stands under: the one it overlaps most, else the
    nearest before it, else the nearest after it."""
    overlapping = [(min(c.span[1], span[1]) - max(c.span[0], span[0]), c) for c in commitments]
    best = max(overlapping, key=lambda pair: pair[0], default=(0, None))
    if best[0] > 0:
        return best[1]
    before = [c for c in commitments if c.span[1] <= span[0]]
    if before:
        return max(before, key=lambda c: c.span[1])
    after = [c for c in commitments if c.span[0] >= span[1]]
    return min(after, key=lambda c: c.span[0]) if after else None


def _block_at(blocks: Sequence[Block], offset: int) -> Block | None:
    return next((b for b in blocks if b.start <= offset < max(b.end, b.start + 1)), None)


def _clause_deadline(neighbour: ExtractedCommitment | None) -> Deadline | None:
    """The neighbour's deadline when its clause set it (its words are not in the item itself): items of one
    list share it ("URGES ... at their Summit meeting in The Hague:")."""
    if neighbour is None or neighbour.deadline is None:
        return None
    deadline = neighbour.deadline
    return deadline if deadline.verbatim.casefold() not in neighbour.text.casefold() else None


def propose_commitment(
    text: str,
    span: tuple[int, int],
    *,
    registry: ActorRegistry | None = None,
    blocks: Sequence[Hint] = (),
    documents: Sequence[ExtractedDocument] | None = None,
    neighbours: Sequence[ExtractedCommitment] | None = None,
) -> Proposal:
    """The commitment the extractor reads in `text[span]`.

    `documents` is the upload's extraction (read again from `text` when not given); `neighbours` are the
    commitments of the span's part as they now stand (an editor may have corrected their addressees), by
    default the extractor's.
    """
    registry = registry or default_registry()
    if documents is None:
        documents = extract_documents(text, source="proposal", registry=registry, blocks=blocks)
    part = part_of(documents, span)
    document = documents[part] if documents else ExtractedDocument(source="proposal")
    around = list(neighbours if neighbours is not None else document.commitments)
    layout = build_layout(text, blocks)
    start, end = span
    block = _block_at(layout.blocks, start)
    label = None
    if block is not None and block.marker is not None and start <= block.content_start < end:
        label = block.marker.label
        start = block.content_start
    start, end = trim_span(text, start, end)
    item = clean_item(text[start:end])
    neighbour = _neighbour(around, (start, end))
    issuer = _issuer(registry, document.issuing_body)
    section = neighbour.section if neighbour is not None else None
    area = classify_policy_area(
        item or text[start:end], section=section, title=document.title, default=issuer.default_area if issuer else None
    )
    countries = list(neighbour.countries) if neighbour is not None else []
    adopted = date.fromisoformat(document.adopted) if document.adopted else None
    deadlines = deadline_context(
        registry,
        adopted,
        list(document.calendar_facts),
        issuer.session_series if issuer else None,
        frozenset(issuer.related_series if issuer else ()),
        document.session,
    )
    commitment = ExtractedCommitment(
        label=label,
        section=section,
        text=item or text[start:end].strip(),
        span=(start, end),
        countries=countries,
        bodies=list(neighbour.bodies) if neighbour is not None else [],
        ministries=_ministries(registry, area, countries, neighbour),
        policy_area=area,
        deadline=find_deadline(item, deadlines, inherited=_clause_deadline(neighbour)),
        addressed_to=list(neighbour.addressed_to) if neighbour is not None else [],
    )
    assess_commitment(commitment, "inline")
    overlaps = tuple(i for i, c in enumerate(around) if c.span[0] < end and start < c.span[1])
    return Proposal(part=part, commitment=commitment, overlaps=overlaps)


def _ministries(
    registry: ActorRegistry, area: str | None, countries: list[str], neighbour: ExtractedCommitment | None
) -> list[MinistryRef]:
    """The neighbour's ministries where it owes the same area (a declaration's signatories), else each country's
    lead ministry for the area."""
    if neighbour is not None and neighbour.policy_area == area and neighbour.ministries:
        return [m for m in neighbour.ministries if m.country in countries]
    return list(_lead_ministries(registry, area, tuple(countries)))
