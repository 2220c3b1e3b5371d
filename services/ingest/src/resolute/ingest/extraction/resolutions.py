"""Session resolutions in the Baltic Assembly style: a preamble of participles, then operative
clauses ("calls on <addressees>:"), "regarding ...:" sections and "- to ...;" items.

Every item is one commitment owed by the clause's addressees. The addressees are
read from the clause against the actor registry, so other years, other
addressees and other assemblies using the same layout work unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from resolute.ingest.extraction.actors import Addressees
from resolute.ingest.extraction.calendar import calendar_facts, latest_ordinals, occurrence_dates
from resolute.ingest.extraction.commitments import DocContext, make_commitment
from resolute.ingest.extraction.dates import find_dates
from resolute.ingest.extraction.deadlines import DeadlineContext
from resolute.ingest.extraction.layout import Block, Layout
from resolute.ingest.extraction.models import (
    CalendarFact,
    DocumentKind,
    ExtractedCommitment,
    ExtractedDocument,
)
from resolute.shared.actors import ActorRegistry

OPERATIVE_VERBS = (
    r"calls\s+(?:up)?on|urges|invites|encourages|recommends(?:\s+to)?|requests|asks|proposes(?:\s+to)?|"
    r"appeals\s+to|suggests(?:\s+to)?|instructs|tasks|decides|resolves|agrees|commits|undertakes"
)
_OPERATIVE = re.compile(
    rf"^(?:(?:the|The)\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*,?\s+)?(?:also\s+|further\s+|therefore\s+)?"
    rf"(?P<verb>{OPERATIVE_VERBS})\b(?P<rest>.*?):$",
    re.S,
)
_BARE_ITEM = re.compile(r"^(?:to|not\s+to)\s+[a-z]")
_SELF_VERBS = re.compile(r"^(?:decides|resolves|agrees|commits|undertakes)", re.I)
_SESSION = re.compile(r"\b(?P<n>\d{1,3})(?:st|nd|rd|th)\s+(?:Annual\s+)?Session\b", re.I)
_OPENER = re.compile(r"^The\s+(?P<body>[A-Z][\w-]*(?:\s+(?:[A-Z][\w-]*|of|the|and))*),$")
_ROLES = re.compile(
    r"\b(?P<roles>(?:(?:the|national|respective)\s+)?(?:parliaments?|governments?|ministries|ministers?|"
    r"institutions|authorities)(?:\s*,?\s*(?:and|or)\s+(?:the\s+)?(?:parliaments?|governments?|ministries|"
    r"ministers?|institutions|authorities))*)\s+of\b",
    re.I,
)


@dataclass
class _Clause:
    text: str
    addressees: Addressees
    self_addressed: bool


def operative_clause(block: Block) -> re.Match[str] | None:
    """The operative-clause match for a block ("calls on ...:"), if it is one."""
    if block.marker is not None or block.heading or block.table:
        return None
    text = block.clean
    if not text.endswith(":") or len(text) > 600:
        return None
    return _OPERATIVE.match(text)


def looks_like(layout: Layout) -> bool:
    """An operative clause followed, somewhere after it, by listed items."""
    for i, block in enumerate(layout.blocks):
        if operative_clause(block) is not None:
            return any(
                b.marker is not None or _BARE_ITEM.match(b.clean) is not None for b in layout.blocks[i + 1 : i + 40]
            )
    return False


def _title_case_lead(title: str) -> str:
    """ "RESOLUTION of the 44th Session" -> "Resolution of the 44th Session"."""
    words = title.split()
    if words and all(w.isupper() for w in words):
        return title[:1] + title[1:].lower()
    out: list[str] = []
    for i, w in enumerate(words):
        if w.isupper() and len(w) > 3 and (i == 0 or out[-1][0].isupper()):
            w = w.capitalize()
        out.append(w)
    return " ".join(out)


def _is_section_heading(block: Block) -> bool:
    text = block.clean
    return (
        block.marker is None
        and not block.table
        and text.endswith(":")
        and len(text) < 300
        and operative_clause(block) is None
    )


def describe_addressees(clause: str, addressees: Addressees) -> list[str]:
    """Readable addressees: "parliaments and governments of EE, LV, LT", then bodies by name."""
    out: list[str] = []
    if addressees.countries:
        roles = _ROLES.search(clause)
        subject = roles.group("roles") if roles else "governments"
        subject = re.sub(r"^the\s+", "", subject, flags=re.I)
        out.append(f"{subject} of {', '.join(addressees.countries)}")
    out.extend(addressees.bodies)
    return out or ([clause.strip()] if clause.strip() else [])


def parse_resolution(text: str, layout: Layout, source: str, registry: ActorRegistry) -> ExtractedDocument:
    """One resolution in the dash-item layout."""
    blocks = layout.blocks
    first_op = next((i for i, b in enumerate(blocks) if operative_clause(b) is not None), len(blocks))
    preamble = blocks[:first_op]
    opener_index, issuing_body = _issuing_body(preamble, registry)
    title_blocks = [b for b in preamble[: opener_index if opener_index is not None else 0] if not b.table]
    title = _title_case_lead(" ".join(b.clean for b in title_blocks)) if title_blocks else None
    matcher_body = issuing_body
    if matcher_body is None and title:
        matcher_body = DocContext(registry, DeadlineContext(registry)).matcher.body_named(title)
    body = next((b for b in registry.bodies if b.name == matcher_body), None)
    own_series = body.session_series if body else None

    facts = calendar_facts(text, registry, own_session_series=own_series, paragraphs=layout.paragraphs())
    session = _session(title, facts, own_series)
    adopted, place = _dateline(blocks[first_op:])
    own_fact = next((f for f in facts if f.series == own_series and (session is None or f.ordinal == session)), None)
    if adopted is None and own_fact is not None and own_fact.end is not None:
        adopted = date.fromisoformat(own_fact.end)
    if place is None and own_fact is not None:
        place = own_fact.place

    current = latest_ordinals(facts, adopted)
    if own_series and session is not None:
        current[own_series] = max(current.get(own_series, 0), session)
    ctx = DocContext(
        registry,
        DeadlineContext(
            registry,
            reference=adopted,
            current=current,
            own_session_series=own_series,
            occurrences=occurrence_dates(facts),
        ),
        title=title,
        default_area="governance",
    )
    commitments, addressee_names = _items(text, blocks[first_op:], ctx, issuing_body)
    if not commitments:
        ctx.warn("operative clause found but no items under it")
    return ExtractedDocument(
        source=source,
        title=title,
        kind=_kind(title),
        issuing_body=issuing_body or matcher_body,
        session=session,
        adopted=adopted,
        place=place,
        addressees=addressee_names,
        commitments=commitments,
        calendar_facts=facts,
        warnings=ctx.warnings,
    )


def _kind(title: str | None) -> DocumentKind:
    t = (title or "").lower()
    if "declaration of intent" in t or "memorandum" in t:
        return "declaration_of_intent"
    if "declaration" in t or "statement" in t or "communiqu" in t:
        return "declaration"
    return "resolution"


def _issuing_body(preamble: list[Block], registry: ActorRegistry) -> tuple[int | None, str | None]:
    """The "The Baltic Assembly," opener: its index and the registry name of the body."""
    matcher = DocContext(registry, DeadlineContext(registry)).matcher
    for i, block in enumerate(preamble):
        m = _OPENER.match(block.clean)
        if m:
            return i, matcher.body_named(m.group("body")) or m.group("body")
        if re.match(r"^[a-z]+ing\b", block.clean):
            return i, None
    return None, None


def _session(title: str | None, facts: list[CalendarFact], own_series: str | None) -> int | None:
    if title:
        m = _SESSION.search(title)
        if m:
            return int(m.group("n"))
    own = [f.ordinal for f in facts if f.series == own_series and f.ordinal is not None]
    return own[0] if own else None


def _dateline(blocks: list[Block]) -> tuple[date | None, str | None]:
    """ "Vilnius, 18 October 2024" closing the text: adoption date and place."""
    for block in reversed(blocks):
        if block.dateline:
            dates = find_dates(block.clean)
            if dates:
                return dates[-1].last, block.clean.split(",")[0].strip()
    return None, None


def _items(
    text: str, blocks: list[Block], ctx: DocContext, issuing_body: str | None
) -> tuple[list[ExtractedCommitment], list[str]]:
    commitments: list[ExtractedCommitment] = []
    names: list[str] = []
    clause: _Clause | None = None
    section: str | None = None
    in_list = False
    for block in blocks:
        m = operative_clause(block)
        if m is not None:
            clause = _clause(m, ctx, issuing_body)
            for name in describe_addressees(m.group("rest"), clause.addressees):
                if name not in names:
                    names.append(name)
            section = None
            in_list = False
            continue
        if clause is None:
            continue
        if _is_section_heading(block):
            section = block.clean[:-1].strip()
            in_list = False
            continue
        listed = block.marker is not None
        bare_item = block.marker is None and _BARE_ITEM.match(block.clean) is not None
        if not (listed or (bare_item and (in_list or section is not None))):
            continue
        in_list = True
        commitment = make_commitment(
            ctx,
            text,
            (block.content_start, block.end),
            text=block.item_text,
            label=_label(block),
            section=section,
            countries=clause.addressees.countries,
            bodies=clause.addressees.bodies,
        )
        if commitment is not None:
            commitments.append(commitment)
    return commitments, names


def _label(block: Block) -> str | None:
    if block.marker is None or block.marker.label is None:
        return None
    return block.marker.label


def _clause(m: re.Match[str], ctx: DocContext, issuing_body: str | None) -> _Clause:
    rest = m.group("rest")
    addressees = ctx.matcher.addressees(rest)
    self_addressed = bool(_SELF_VERBS.match(m.group("verb")))
    if self_addressed and issuing_body and not addressees.bodies and not addressees.countries:
        addressees.add_body(issuing_body)
    if not addressees.countries and not addressees.bodies:
        ctx.warn(f"no known addressee in clause: {m.group(0)[:120]}")
    return _Clause(rest, addressees, self_addressed)
