"""The review gate: whether an upload's commitments reach the tracker at once or wait for an editor to publish
the document, and the review state it starts in. Pure rules over what extraction said and what was chosen.

The choice is the upload's own (`publish`), else its issuing body's policy, else `auto`: at once unless
extraction flagged a weak reading (an unknown layout, an unresolved addressee, low confidence, warnings), in
which case the document is held. A document published at once but flagged still waits in the review queue,
so an editor looks at what the ministries were already told.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from resolute.ingest.extraction.models import ExtractedDocument
from resolute.shared.actors import ActorRegistry

#: why a document held by choice waits (extraction itself flagged nothing)
HELD_BY_CHOICE = "held for review before publication (the upload's or its issuing body's choice)"


@dataclass(frozen=True)
class Gate:
    """Where an upload starts: its review state, whether its commitments are held, and why it waits."""

    review_state: str
    held: bool
    publish_mode: str
    confidence: float
    review: tuple[str, ...]


def issuer_id(registry: ActorRegistry, name: str | None) -> str | None:
    """The registry id of the body a document names as its issuer (by id, name or alias)."""
    if not name:
        return None
    wanted = name.strip().casefold()
    for body in registry.bodies:
        if wanted in (body.id, body.name.casefold(), *(a.casefold() for a in body.aliases)):
            return body.id
    return None


def decide(documents: Sequence[ExtractedDocument], chosen: str | None, policy: str | None) -> Gate:
    """The gate for an upload of these documents, `chosen` by the uploader and `policy` of its issuer."""
    reasons = tuple(dict.fromkeys(reason for d in documents for reason in d.review))
    flagged = not documents or any(d.needs_review for d in documents)
    if not documents:
        reasons = ("no document was recognised in the upload", *reasons)
    confidence = min((d.confidence for d in documents), default=0.0)
    choice = chosen or policy or "auto"
    held = choice == "after_review" or (choice == "auto" and flagged)
    if held and not flagged:
        reasons = (HELD_BY_CHOICE, *reasons)
    waiting = held or flagged
    return Gate(
        review_state="needs_review" if waiting else "published",
        held=held,
        publish_mode="after_review" if held else "at_once",
        confidence=confidence,
        review=reasons,
    )
