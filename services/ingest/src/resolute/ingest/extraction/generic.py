"""Fallback for layouts no family recognises: whatever general rules find, and a warning.

A document is never refused for its layout. Listed items under an operative
clause are taken as in resolutions; otherwise sentences that call on, urge,
invite, agree, commit or oblige ("shall") become commitments, addressed to the
actors the sentence names.
"""

from __future__ import annotations

import re

from resolute.ingest.extraction.calendar import calendar_facts
from resolute.ingest.extraction.commitments import DocContext, make_commitment
from resolute.ingest.extraction.deadlines import DeadlineContext
from resolute.ingest.extraction.layout import Layout
from resolute.ingest.extraction.models import DocumentKind, ExtractedCommitment, ExtractedDocument
from resolute.ingest.extraction.text import sentence_spans
from resolute.shared.actors import ActorRegistry

_TRIGGER = re.compile(
    r"\b(?:calls?\s+(?:up)?on|urges?|invites?|requests?|encourages?|recommends?|agreed?\s+to|agrees\s+to|"
    r"commit(?:s|ted)?\s+(?:themselves\s+|ourselves\s+)?to|undertakes?\s+to|undertook\s+to|decided?\s+to|"
    r"decides\s+to|resolved?\s+to|pledged?\s+to|shall)\b",
    re.I,
)
_NOT_COMMITMENT = re.compile(r"\b(?:will\s+be\s+held|will\s+take\s+place|said|according\s+to)\b", re.I)


def has_operative_language(text: str) -> bool:
    """Whether any sentence calls on, urges, agrees, commits or obliges someone."""
    return _TRIGGER.search(text) is not None


def _kind(title: str | None) -> DocumentKind:
    t = (title or "").lower()
    if "resolution" in t:
        return "resolution"
    if "intent" in t or "memorandum" in t:
        return "declaration_of_intent"
    if "declaration" in t or "statement" in t or "communiqu" in t:
        return "declaration"
    return "other"


def parse_generic(
    text: str, layout: Layout, source: str, registry: ActorRegistry, title_hint: str | None
) -> ExtractedDocument:
    """A document of unknown layout: commitments by general rules, flagged for review."""
    title = title_hint
    for block in layout.blocks[:5]:
        if block.heading or (block.clean and len(block.clean) < 200 and not block.clean.endswith((".", ",", ";"))):
            title = title or block.clean
            break
    ctx = DocContext(registry, DeadlineContext(registry), title=title)
    commitments: list[ExtractedCommitment] = []
    for block in layout.blocks:
        if block.table or block.heading:
            continue
        for s, e in sentence_spans(text, block.start, block.end):
            sentence = text[s:e]
            m = _TRIGGER.search(sentence)
            if m is None or _NOT_COMMITMENT.search(sentence) or len(sentence) < 25:
                continue
            addressees = ctx.matcher.addressees(sentence[: m.end() + 200])
            commitment = make_commitment(ctx, text, (s, e), countries=addressees.countries, bodies=addressees.bodies)
            if commitment is not None:
                commitments.append(commitment)
    ctx.warn("layout not recognised: commitments found by general rules, review them")
    return ExtractedDocument(
        source=source,
        title=title,
        kind=_kind(title),
        commitments=commitments,
        calendar_facts=calendar_facts(text, registry, paragraphs=layout.paragraphs()),
        warnings=ctx.warnings,
    )
