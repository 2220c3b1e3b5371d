"""Whether a text is news about events (a press release, a news page) rather than an instrument.

News reports what was discussed and who attended; its calls and promises are reported speech
("the Baltic Assembly calls on ...", "'we will seek ...,' said ..."), so no commitment is read from it,
only the calendar facts it dates. A text that reports an instrument signed by ministers is read as that
instrument (a commentary on a declaration of intent), whatever else it looks like.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from resolute.ingest.extraction.actors import ActorMatcher
from resolute.ingest.extraction.dates import find_dates
from resolute.ingest.extraction.facts import DocumentFacts, is_debris
from resolute.ingest.extraction.layout import Block, is_caps_line
from resolute.ingest.extraction.text import clean

_MARKER = re.compile(
    r"\b(?:press\s+release|news\s+release|media\s+release|press\s+statement|for\s+immediate\s+release|"
    r"press\s+office|press\s+service|news\s*\||^news$)",
    re.I | re.M,
)
_SIGNALS = (
    re.compile(r"\b(?:said|noted|stressed|emphasised|emphasized|pointed\s+out|underlined|added|told)\b"),
    re.compile(r"\bPhotos?\s+(?:by|:)", re.I),
    re.compile(r"\bLast\s+(?:updated|modified)\b", re.I),
    re.compile(r"\bcookies?\b", re.I),
    re.compile(r"\bShare\s+this\b|\bShare\s+on\b", re.I),
    re.compile(r"[\u2018\u201c\"][^\u2019\u201d\"]{20,}[\u2019\u201d\"]"),
)
_SIGNED_INSTRUMENT = re.compile(
    r"\bsign(?:ed|ing)\b[^.]{0,80}?\b(?:declaration|memorandum|letter\s+of\s+intent|agreement|protocol|"
    r"joint\s+statement|communiqu)",
    re.I,
)


def has_marker(text: str) -> bool:
    """ "Press release" (or the like) near the top."""
    return bool(_MARKER.search(text[:3000]))


def is_news(text: str, blocks: list[Block], facts: DocumentFacts) -> bool:
    """A press release or news page, not an instrument and not a report of a signed one."""
    if facts.number is not None or (facts.opener_index is not None and facts.issuer is not None):
        return False
    if facts.kind is not None and facts.kind.value not in ("press_release", "other") and facts.kind.source == "heading":
        return False
    if _SIGNED_INSTRUMENT.search(text[:20000]):
        return False
    if has_marker(text):
        return True
    return sum(1 for p in _SIGNALS if p.search(text)) >= 2 and not _instrument_title(facts)


def _instrument_title(facts: DocumentFacts) -> bool:
    return facts.kind is not None and facts.kind.value in ("resolution", "declaration", "declaration_of_intent")


_OFFICE_OF = re.compile(
    r"\b(?:Office|Press\s+Office|Press\s+Service|Secretariat|Chancellery)\s+of\s+the\s+"
    r"(?P<name>[A-Z][\w\s]+?)\b(?=[,.;\n]|$)"
)


class Publisher(NamedTuple):
    """Who published a news text, and whether the registry knows them: an institution's own release is a
    press release, a newspaper's or portal's article about the institutions is not."""

    name: str
    institution: bool


def news_issuer(text: str, blocks: list[Block], title_hint: str | None, matcher: ActorMatcher) -> Publisher | None:
    """Who published a release: "Office of the Seimas", a page title's site ("... | Seimas"), a banner line."""
    for m in _OFFICE_OF.finditer(text):
        name = matcher.body_named(m.group(0))
        if name:
            return Publisher(name, True)
    if title_hint:
        parts = re.split(r"\s+[|\u2013\u2014-]\s+", title_hint)
        if len(parts) > 1 and (name := matcher.body_named(parts[-1])):
            return Publisher(name, True)
    registry = matcher.registry
    lines = [clean(x.text) for block in [*blocks[:6], *blocks[-4:]] for x in block.lines]
    for raw in lines:
        line = re.sub(r"^(?:copyright|\u00a9)\s*", "", raw.strip(" \u00a9").lower())
        line = re.sub(r"[,\s]*(?:19|20)\d{2}$", "", line).strip()
        if not line or len(line) > 80:
            continue
        for body in registry.bodies:
            if line in (body.name.lower(), *(a.lower() for a in body.aliases)):
                return Publisher(body.name, True)
        for country in registry.countries:
            for ministry in country.ministries:
                if line.startswith(ministry.name.lower()) and matcher.countries_in(line, adjectives=False) == [
                    country.code
                ]:
                    return Publisher(f"{ministry.name} of {country.official_name or country.name}", True)
    # A masthead in capitals ("BALTIC DAILY NEWS") names a publisher the registry does not know.
    for raw in lines[:3]:
        if is_caps_line(raw) and 2 <= len(raw.split()) <= 6 and not find_dates(raw):
            words = raw.split()
            return Publisher(
                " ".join(w.capitalize() if len(w) > 3 or i == 0 else w.lower() for i, w in enumerate(words)), False
            )
    return None


_SEPARATORS = re.compile(r"\s[|>\u203a\u00bb/]\s|\s{3,}")


def _headline_like(block: Block) -> bool:
    text = block.clean
    words = text.split()
    if len(words) < 4 or len(text) > 300 or block.table or block.dateline:
        return False
    if text.endswith((".", ":", ";", ",")) or _SEPARATORS.search(block.raw) or is_caps_line(text):
        return False
    return not is_debris(block) and not find_dates(text[:30])


def news_title(blocks: list[Block], published_span: tuple[int, int] | None) -> str | None:
    """A release's headline: next to its date line if it has one, else its first headline-like line."""
    head = blocks[:20]
    if published_span is not None:
        at = next((i for i, b in enumerate(head) if b.start == published_span[0]), None)
        if at is not None:
            for near in (at + 1, at - 1):
                if 0 <= near < len(head) and _headline_like(head[near]):
                    return head[near].clean
    return next((b.clean for b in head if _headline_like(b)), None)
