"""Stage 7: how sure each reading is, and why, so weak readings wait for a reviewer instead of going out.

A commitment read as a marked item under a recognised operative clause, with an addressee in the
registry, is as sure as extraction gets. Each way a reading can be weak lowers its confidence and says so
in `review`: an item with no marker, a single clause's infinitive, a sentence of prose, an addressee outside
the registry or none at all, a label out of sequence. A document is as sure as its weakest necessary
part: its layout recognised or not, its facts found or not, its commitments.
"""

from __future__ import annotations

from resolute.ingest.extraction.facts import DocumentFacts
from resolute.ingest.extraction.models import ExtractedCommitment, ExtractedDocument

REVIEW_BELOW = 0.75

_READING = {"listed": 1.0, "inline": 0.9, "unmarked": 0.85, "prose": 0.6}


def assess_commitment(commitment: ExtractedCommitment, how: str) -> None:
    """Set a commitment's confidence and review reasons from how it was read and whom it addresses."""
    confidence = _READING.get(how, 0.7)
    reasons = list(commitment.review)
    if not commitment.countries and not commitment.bodies:
        if commitment.addressed_to:
            reasons.append(
                f"addressed to {', '.join(commitment.addressed_to)}, outside the registry: nobody is assigned"
            )
            confidence = min(confidence, 0.8)
        else:
            reasons.append("no addressee recognised: nobody is assigned")
            confidence = min(confidence, 0.4)
    elif not commitment.ministries and commitment.countries:
        reasons.append("no responsible ministry found for its countries")
        confidence = min(confidence, 0.6)
    if how == "unmarked":
        reasons.append("item without a list marker: check where it begins and ends")
    if how == "prose":
        reasons.append("read from prose: check the text and who owes it")
    commitment.confidence = round(confidence, 2)
    commitment.review = list(dict.fromkeys(reasons))


def assess_document(document: ExtractedDocument, facts: DocumentFacts, how: str) -> None:
    """Set a document's confidence, review reasons and whether it should wait for review."""
    reasons: list[str] = []
    confidence = 1.0
    if how == "prose":
        reasons.append("commitments read from prose: check each one and who owes it")
        confidence = min(confidence, 0.6)
    # news (a release or an article about the institutions) owes nothing and has no adoption date of its own
    if how in ("none", "operative") and not document.commitments:
        reasons.append("no commitment found: layout not recognised or a text without operative language")
        confidence = min(confidence, 0.5)
    if document.title is None:
        reasons.append("no title found")
        confidence = min(confidence, 0.7)
    if document.adopted is None and how != "news":
        reasons.append("no adoption or signature date found")
        confidence = min(confidence, 0.7)
    if document.issuing_body is None:
        reasons.append("issuing body not recognised")
        confidence = min(confidence, 0.8)
    weak = [c for c in document.commitments if c.confidence < REVIEW_BELOW]
    if weak:
        reasons.append(f"{len(weak)} of {len(document.commitments)} commitments read with low confidence")
        confidence = min(confidence, max(0.3, min(c.confidence for c in weak)))
    if document.warnings:
        confidence = min(confidence, 0.8)
    document.confidence = round(confidence, 2)
    document.review = reasons
    document.needs_review = confidence < REVIEW_BELOW or bool(weak)
