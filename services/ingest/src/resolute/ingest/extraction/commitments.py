"""Assemble one commitment from an item's source span: text, policy area, ministries, deadline.

Every family finds *where* its commitments are; this module decides *what* each
one says and who answers for it, the same way for all of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from resolute.ingest.extraction.actors import ActorMatcher, actor_matcher
from resolute.ingest.extraction.deadlines import DeadlineContext, find_deadline
from resolute.ingest.extraction.models import Deadline, ExtractedCommitment, MinistryRef
from resolute.ingest.extraction.policy_areas import classify_policy_area
from resolute.ingest.extraction.text import clean_item
from resolute.shared.actors import ActorRegistry, responsible_ministries


@dataclass
class DocContext:
    """What item-level rules need to know about the document around them."""

    registry: ActorRegistry
    deadlines: DeadlineContext
    title: str | None = None
    default_area: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def matcher(self) -> ActorMatcher:
        return actor_matcher(self.registry)

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow [start, end) to the item itself: no surrounding space, no trailing `;`/`.` or "; and"."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    m = re.search(r"(?:;\s*(?:and|or)|[;.]+)?\s*(?:\[\d{1,3}\]\s*)*$", text[start:end])
    if m is not None and 0 < m.start() < end - start:
        end = start + m.start()
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def make_commitment(
    ctx: DocContext,
    source: str,
    span: tuple[int, int],
    *,
    label: str | None = None,
    section: str | None = None,
    countries: list[str] | None = None,
    bodies: list[str] | None = None,
    ministries: list[MinistryRef] | None = None,
    inherited_deadline: Deadline | None = None,
    text: str | None = None,
) -> ExtractedCommitment | None:
    """A commitment for source[span]; None when nothing is left once markup is removed."""
    start, end = trim_span(source, *span)
    item = text if text is not None else clean_item(source[start:end])
    if not item:
        return None
    area = classify_policy_area(item, section=section, title=ctx.title, default=ctx.default_area)
    codes = list(countries or [])
    if ministries is None:
        ministries = [
            MinistryRef(country=m.country, ministry=m.ministry)
            for m in responsible_ministries(area, codes, ctx.registry)
        ]
    return ExtractedCommitment(
        label=label,
        section=section,
        text=item,
        span=(start, end),
        countries=codes,
        bodies=list(bodies or []),
        ministries=ministries,
        policy_area=area,
        deadline=find_deadline(item, ctx.deadlines, inherited=inherited_deadline),
    )
