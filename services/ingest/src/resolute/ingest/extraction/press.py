"""Press releases and news items: calendar facts, not commitments.

A release reports what was discussed and who attended; it carries dates of
sessions and councils the tracker's calendar needs, and (as the brief says)
usually no commitments, so none are extracted from its quotes and promises.
"""

from __future__ import annotations

import re
from datetime import date

from resolute.ingest.extraction.actors import ActorMatcher
from resolute.ingest.extraction.calendar import calendar_facts
from resolute.ingest.extraction.dates import find_dates
from resolute.ingest.extraction.layout import Layout
from resolute.ingest.extraction.models import ExtractedDocument
from resolute.shared.actors import ActorRegistry

_MARKER = re.compile(
    r"\b(?:press\s+release|news\s+release|media\s+release|press\s+statement|for\s+immediate\s+release|"
    r"press\s+office|press\s+service)\b",
    re.I,
)
_NEWS_SIGNALS = (
    re.compile(r"\b(?:said|noted|stressed|emphasised|emphasized|pointed\s+out|underlined|added)\b"),
    re.compile(r"\bPhoto(?:s)?\s+(?:by|:)", re.I),
    re.compile(r"\bLast\s+(?:updated|modified)\b", re.I),
    re.compile(r"\bcookies?\b", re.I),
    re.compile(r"[\u2018\u201c\"][^\u2019\u201d\"]{20,}[\u2019\u201d\"]"),
)
_DATELINE = re.compile(r"\b(?:press\s+release|news|published(?:\s+on)?)\s*[,:-]?\s*", re.I)
_OFFICE_OF = re.compile(
    r"\b(?:Office|Press\s+Office|Press\s+Service|Secretariat|Chancellery)\s+of\s+the\s+(?P<name>[A-Z][\w\s]+?)\b(?=[,.;\n]|$)"
)


def has_marker(text: str) -> bool:
    """ "Press release" (or the like) near the top."""
    return bool(_MARKER.search(text[:3000]))


_INSTRUMENT_TITLE = re.compile(
    r"\b(?:declaration|statement|communiqu[eé]|resolution|agreement|memorandum|treaty|convention|protocol)\b",
    re.I,
)


def names_an_instrument(layout: Layout) -> bool:
    """Whether the heading names a declaration, statement or the like: that text is the instrument itself."""
    for block in layout.blocks[:3]:
        if block.clean and len(block.clean) < 200:
            return _INSTRUMENT_TITLE.search(block.clean) is not None
    return False


def looks_like(text: str) -> bool:
    """A release marker near the top, or signs of a news page (reported speech, quotes, photo credits)."""
    return has_marker(text) or sum(1 for p in _NEWS_SIGNALS if p.search(text)) >= 2


def _title(layout: Layout, title_hint: str | None) -> str | None:
    """The headline: the line just above the "Press release, <date>" dateline, else the first long line."""
    blocks = [b for b in layout.blocks[:40] if not b.table]
    for i, block in enumerate(blocks):
        if _DATELINE.match(block.clean) and find_dates(block.clean):
            for previous in reversed(blocks[:i]):
                if len(previous.clean.split()) >= 4:
                    return previous.clean
            break
    for block in blocks:
        text = block.clean
        if len(text.split()) >= 4 and not text.endswith((".", ",", ";", ":")) and not _MARKER.match(text):
            return text
    return title_hint


def _published(text: str) -> date | None:
    for m in _DATELINE.finditer(text[:5000]):
        dates = [d for d in find_dates(text, m.end(), m.end() + 40) if d.start - m.end() < 5]
        if dates:
            return dates[0].first
    return None


def _issuer(text: str, matcher: ActorMatcher) -> str | None:
    for m in _OFFICE_OF.finditer(text):
        name = matcher.body_named(m.group(0))
        if name:
            return name
    return None


def _site_owner(title_hint: str | None, matcher: ActorMatcher) -> str | None:
    """The body a page title names after its separator ("... | Seimas")."""
    if not title_hint:
        return None
    parts = re.split(r"\s+[|\u2013\u2014-]\s+", title_hint)
    return matcher.body_named(parts[-1]) if len(parts) > 1 else None


def parse_press_release(
    text: str,
    layout: Layout,
    source: str,
    registry: ActorRegistry,
    matcher: ActorMatcher,
    title_hint: str | None,
) -> ExtractedDocument:
    """A press release: title, publication date, issuer and the events it dates."""
    published = _published(text)
    return ExtractedDocument(
        source=source,
        title=_title(layout, title_hint),
        kind="press_release",
        issuing_body=_issuer(text, matcher) or _site_owner(title_hint, matcher),
        commitments=[],
        calendar_facts=calendar_facts(
            text,
            registry,
            paragraphs=layout.paragraphs(),
            default_year=published.year if published else None,
        ),
        published=published,
    )
