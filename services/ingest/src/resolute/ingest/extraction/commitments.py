"""Assemble one commitment from a reading: its text, policy area, ministries and deadline.

The grammar (clauses.py) and the prose reader (prose.py) find *where* commitments are and who owes them;
this module decides *what* each one says and who answers for it, the same way for every document.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from resolute.ingest.extraction.actors import ActorMatcher, actor_matcher, per_registry
from resolute.ingest.extraction.clauses import ItemReading
from resolute.ingest.extraction.confidence import assess_commitment
from resolute.ingest.extraction.deadlines import DeadlineContext, find_deadline
from resolute.ingest.extraction.models import ExtractedCommitment, MinistryRef
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


_TRAILING_REF = re.compile(r"\[\d{1,3}\]$")


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow [start, end) to the item itself: no surrounding space, no trailing `;`/`.` or "; and", no "[3]"."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while (ref := _TRAILING_REF.search(text, max(start, end - 6), end)) is not None and ref.start() > start:
        end = ref.start()
        while end > start and text[end - 1].isspace():
            end -= 1
    tail = text[max(start, end - 6) : end]
    for ending in ("; and", "; or", ";and", ";or"):
        if tail.endswith(ending) and end - len(ending) > start:
            end -= len(ending)
            break
    else:
        while end - 1 > start and text[end - 1] in ";.":
            end -= 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


MinistryRule = Callable[[str | None, list[str]], list[MinistryRef]]
LeadKey = tuple[str | None, tuple[str, ...]]


@per_registry
def _lead_cache(registry: ActorRegistry) -> dict[LeadKey, tuple[MinistryRef, ...]]:
    return {}


def _lead_ministries(registry: ActorRegistry, area: str | None, codes: tuple[str, ...]) -> tuple[MinistryRef, ...]:
    """Lead ministries per country for an area; a bundle asks the same (area, 32 Allies) a hundred times.

    The references are shared between the commitments that owe the same (they are never changed after
    extraction; a correction replaces a commitment's list).
    """
    cache = _lead_cache(registry)
    found = cache.get((area, codes))
    if found is None:
        if len(cache) > 4096:
            cache.clear()
        found = tuple(
            MinistryRef(country=m.country, ministry=m.ministry) for m in responsible_ministries(area, codes, registry)
        )
        cache[(area, codes)] = found
    return found


def make_commitment(
    ctx: DocContext,
    source: str,
    reading: ItemReading,
    *,
    ministries: MinistryRule | None = None,
    area: str | None = None,
) -> ExtractedCommitment | None:
    """A commitment for a reading; None when nothing is left once markup is removed.

    Ministries follow the commitment's policy area per addressee country unless the reading knows them
    (the signatory ministries of a declaration): `ministries` maps (area, countries) to them.
    """
    start, end = trim_span(source, *reading.span)
    item = clean_item(reading.text) if reading.text else clean_item(source[start:end])
    if not item:
        return None
    policy_area = area or classify_policy_area(item, section=reading.section, title=ctx.title, default=ctx.default_area)
    codes = list(reading.addressees.countries)
    if ministries is not None:
        refs = ministries(policy_area, codes)
    else:
        refs = list(_lead_ministries(ctx.registry, policy_area, tuple(codes)))
    commitment = ExtractedCommitment(
        label=reading.label,
        section=reading.section,
        text=item,
        span=(start, end),
        countries=codes,
        bodies=list(reading.addressees.bodies),
        ministries=refs,
        policy_area=policy_area,
        deadline=find_deadline(item, ctx.deadlines, inherited=reading.inherited),
        addressed_to=list(reading.addressees.named),
    )
    assess_commitment(commitment, reading.how)
    return commitment
