"""NATO Parliamentary Assembly texts: one file bundles several declarations and resolutions.

Each document has a title, "DECLARATION 496" / "RESOLUTION 498" (with a footnote
mark), "The Assembly," a numbered preamble and operative clauses in capitals
("URGES <addressees>:") over lettered items a.-ff. Page breaks (a rule and the
footnote "* Presented by <committee> and adopted ... on Monday 13 October 2025")
cut through paragraphs; the layout joins them. OCR noise in labels ("I." for
"l.") is repaired from the expected letter sequence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from resolute.ingest.extraction.calendar import calendar_facts, latest_ordinals, occurrence_dates
from resolute.ingest.extraction.commitments import DocContext, make_commitment
from resolute.ingest.extraction.dates import find_dates
from resolute.ingest.extraction.deadlines import DeadlineContext, find_event_deadline
from resolute.ingest.extraction.layout import Block, Layout, Note
from resolute.ingest.extraction.models import DocumentKind, ExtractedCommitment, ExtractedDocument
from resolute.ingest.extraction.text import clean, clean_item
from resolute.shared.actors import ActorRegistry

_DOC_HEADING = re.compile(
    r"^(?P<title>[^a-z]*?)\s*\b(?P<kind>DECLARATION|RESOLUTION|RECOMMENDATION|DECISION|ORDER)\s+"
    r"(?P<number>\d{1,4})\s*\**\s*$"
)
_OPERATIVE = re.compile(
    r"^(?:(?P<n>\d{1,3})[.)]\s*)?(?:ALSO\s+|FURTHER\s+|FURTHERMORE\s+|FINALLY\s+|AND\s+)?"
    r"(?P<verb>URGES|CALLS\s+UPON|CALLS\s+ON|ENCOURAGES|RECOMMENDS|REQUESTS|INVITES|ASKS|DIRECTS|INSTRUCTS|"
    r"APPEALS\s+TO|DEMANDS|EXHORTS|CHARGES)\b\s*(?P<rest>.*)$",
    re.S,
)
_OPENER = re.compile(r"^The\s+(?:[A-Z][\w-]*\s+)*Assembly\s*,$")
_COMMITTEE = re.compile(r"\bPresented\s+by\s+(?:the\s+)?(?P<committee>.+?)\s+and\s+adopted\b", re.I)
_ADOPTED_AT = re.compile(
    r"\b(?:at|during)\s+(?:its|the)\s+(?:(?P<ordinal>\d{1,3})(?:st|nd|rd|th)\s+)?(?P<session>(?:[A-Z][a-z]+\s+)?"
    r"Session)\b",
)
_PLACE = re.compile(r"\b(?:held\s+in|in)\s+(?P<place>(?:The\s+)?[A-Z][\w'\u2019.-]+(?:[ -][A-Z][\w'\u2019.-]+){0,2})")
_PLACE_AFTER_DATE = re.compile(
    r"\s*,?\s*(?:in\s+)?(?P<place>(?:The\s+)?[A-Z][\w'\u2019.-]+(?:[ -][A-Z][\w'\u2019.-]+){0,2})"
)
_NATO_SERIES = frozenset({"nato-summit", "nato-pa-session", "nato-pa-spring-session"})
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def looks_like(layout: Layout) -> bool:
    """Capitalised operative clauses over lettered items, or numbered DECLARATION/RESOLUTION headings."""
    headings = sum(1 for b in layout.blocks if _doc_heading(b) is not None)
    operative = [i for i, b in enumerate(layout.blocks) if _operative(b) is not None]
    lettered = any(
        b.marker is not None and b.marker.label is not None and not b.marker.is_number
        for i in operative
        for b in layout.blocks[i + 1 : i + 4]
    )
    return bool(operative) and (lettered or headings > 0)


def _doc_heading(block: Block) -> re.Match[str] | None:
    if block.table or block.marker is not None or len(block.clean) > 400:
        return None
    return _DOC_HEADING.match(block.clean)


def _operative(block: Block) -> re.Match[str] | None:
    if block.table or block.heading:
        return None
    if block.marker is not None and not block.marker.is_number:
        return None
    text = block.clean
    m = _OPERATIVE.match(text)
    if m is None:
        return None
    return m


def expected_label(index: int) -> str:
    """The n-th label of a lettered list: a..z, then aa, bb, ... zz."""
    letter = _LETTERS[index % 26]
    return letter * (index // 26 + 1)


def normalise_label(raw: str, expected: str) -> str:
    """The label as written, repaired when OCR turned the expected "l" into "I" or "1"."""
    lowered = raw.lower()
    if lowered == expected:
        return expected
    if expected.replace("l", "i") == lowered.replace("l", "i") or (raw in ("I", "1", "|") and expected == "l"):
        return expected
    return lowered


@dataclass
class _Doc:
    heading_index: int
    title_start: int
    kind: str
    number: int
    title: str


def split_documents(layout: Layout) -> list[_Doc]:
    """The documents of a bundle in order, each from its title to the next one's."""
    docs: list[_Doc] = []
    blocks = layout.blocks
    for i, block in enumerate(blocks):
        m = _doc_heading(block)
        if m is None:
            continue
        title = m.group("title").strip(" *:-")
        first = i
        if not title:
            parts: list[str] = []
            j = i - 1
            while j >= 0 and len(parts) < 3:
                prev = blocks[j]
                words = prev.clean
                if prev.table or not words or _doc_heading(prev) is not None or words != words.upper():
                    break
                if words.endswith((";", ".", ",")) or not any(c.isalpha() for c in words):
                    break
                parts.insert(0, words)
                first = j
                if prev.sep == "page":
                    break
                j -= 1
            if not parts:
                parts = _title_after(blocks, i)
            title = " ".join(parts)
        docs.append(_Doc(i, blocks[first].start, m.group("kind"), int(m.group("number")), title))
    return docs


def _title_after(blocks: list[Block], i: int) -> list[str]:
    """A title written under the number ("RESOLUTION 498" then "ON ...") instead of above it."""
    parts: list[str] = []
    for block in blocks[i + 1 : i + 4]:
        words = block.clean
        if block.table or not words or words != words.upper() or _doc_heading(block) is not None:
            break
        if not any(c.isalpha() for c in words) or _operative(block) is not None:
            break
        parts.append(words)
    return parts


def parse_bundle(text: str, layout: Layout, source: str, registry: ActorRegistry) -> list[ExtractedDocument]:
    """Every declaration and resolution in a NATO PA text, in document order."""
    docs = split_documents(layout)
    if not docs:
        title = next((b.clean for b in layout.blocks if b.heading and b.clean), None)
        return [_parse_one(text, layout, source, registry, 0, len(text), title, None, None)]
    out: list[ExtractedDocument] = []
    for k, doc in enumerate(docs):
        end = docs[k + 1].title_start if k + 1 < len(docs) else len(text)
        out.append(_parse_one(text, layout, source, registry, doc.title_start, end, doc.title, doc.kind, doc.number))
    return out


def _parse_one(
    text: str,
    layout: Layout,
    source: str,
    registry: ActorRegistry,
    start: int,
    end: int,
    title: str | None,
    kind_word: str | None,
    number: int | None,
) -> ExtractedDocument:
    blocks = layout.blocks_in(start, end)
    notes = layout.notes_in(start, end)
    ctx_warnings: list[str] = []
    committee, adopted, place, session, session_series = _footnote(notes)
    if adopted is None:
        ctx_warnings.append("no adoption footnote found")
    issuing_body = _issuing_body(registry)
    facts = calendar_facts(text, registry, context_series=_NATO_SERIES, paragraphs=layout.paragraphs(start, end))
    deadlines = DeadlineContext(
        registry,
        reference=adopted,
        current=latest_ordinals(facts, adopted),
        occurrences=occurrence_dates(facts),
        own_session_series="nato-pa-session",
        summit_series="nato-summit",
    )
    ctx = DocContext(registry, deadlines, title=title, default_area="defence", warnings=ctx_warnings)
    commitments, addressees = _items(text, blocks, ctx)
    if not commitments:
        ctx.warn("no operative items found")
    kind: DocumentKind = "declaration" if kind_word == "DECLARATION" else "resolution"
    return ExtractedDocument(
        source=source,
        title=title,
        kind=kind,
        issuing_body=issuing_body,
        number=number,
        session=session if session_series == "nato-pa-session" else None,
        adopted=adopted,
        place=place,
        addressees=addressees,
        commitments=commitments,
        calendar_facts=facts,
        warnings=ctx.warnings,
        committee=committee,
        span=(start, end),
    )


def _issuing_body(registry: ActorRegistry) -> str:
    body = registry.body("nato-pa")
    return body.name if body else "NATO Parliamentary Assembly"


def _footnote(notes: list[Note]) -> tuple[str | None, date | None, str | None, int | None, str | None]:
    """Committee, adoption date, place and session from the "* Presented by ... adopted ..." note."""
    for note in notes:
        t = clean(note.text).lstrip("*\\ ")
        if not re.search(r"\badopted\b", t, re.I):
            continue
        committee = _COMMITTEE.search(t)
        dates = find_dates(t)
        adopted = dates[-1].last if dates else None
        session_m = _ADOPTED_AT.search(t)
        place_m = _PLACE.search(t, session_m.end() if session_m else 0)
        if place_m is None and dates:
            place_m = _PLACE_AFTER_DATE.match(t, dates[-1].end)
        session = int(session_m.group("ordinal")) if session_m and session_m.group("ordinal") else None
        series = None
        if session_m:
            series = "nato-pa-spring-session" if "spring" in session_m.group("session").lower() else "nato-pa-session"
        return (
            committee.group("committee").strip() if committee else None,
            adopted,
            place_m.group("place") if place_m else None,
            session,
            series,
        )
    return None, None, None, None, None


def _items(text: str, blocks: list[Block], ctx: DocContext) -> tuple[list[ExtractedCommitment], list[str]]:
    commitments: list[ExtractedCommitment] = []
    addressee_names: list[str] = []
    i = 0
    while i < len(blocks):
        m = _operative(blocks[i])
        if m is None:
            i += 1
            continue
        rest = m.group("rest").strip()
        clause, _, single = (rest[:-1], "", "") if rest.endswith(":") else _split_inline(rest)
        clause = clause.strip()
        addressees = ctx.matcher.addressees(clause)
        if not addressees.countries and re.search(r"\b(?:member|Allied|Allies|Alliance)\b", clause, re.I):
            group = ctx.registry.group("nato-allies")
            for code in group.members if group else ():
                addressees.add_country(code)
        if not addressees.countries and not addressees.bodies:
            ctx.warn(f"no known addressee in clause: {clause[:120]}")
        if clause and clause not in addressee_names:
            addressee_names.append(clause)
        inherited = find_event_deadline(clause, ctx.deadlines)
        groups, j = _lettered_items(blocks, i + 1, ctx)
        for label, members in groups:
            first = members[0]
            content = " ".join([first.content] + [m.clean for m in members[1:]])
            commitment = make_commitment(
                ctx,
                text,
                (first.content_start, members[-1].end),
                text=clean_item(content),
                label=label,
                countries=addressees.countries,
                bodies=addressees.bodies,
                inherited_deadline=inherited,
            )
            if commitment is not None:
                commitments.append(commitment)
        index = len(groups)
        if index == 0 and single:
            block = blocks[i]
            offset = text.find(single[:40], block.start, block.end + 1)
            if offset >= 0:
                commitment = make_commitment(
                    ctx,
                    text,
                    (offset, block.end),
                    countries=addressees.countries,
                    bodies=addressees.bodies,
                    inherited_deadline=inherited,
                )
                if commitment is not None:
                    commitments.append(commitment)
        i = j
    return commitments, addressee_names


_ROMAN = re.compile(r"^(?:i{1,3}|iv|vi{0,3}|ix|x)$")


def _lettered_items(blocks: list[Block], start: int, ctx: DocContext) -> tuple[list[tuple[str, list[Block]]], int]:
    """The lettered items after an operative clause, each with its sub-items ("i.", "ii." or bullets).

    Returns the items and the index of the first block after them.
    """
    groups: list[tuple[str, list[Block]]] = []
    j = start
    while j < len(blocks):
        block = blocks[j]
        if _operative(block) is not None or _doc_heading(block) is not None or block.heading:
            break
        marker = block.marker
        expected = expected_label(len(groups))
        if marker is not None and marker.is_number and not (marker.label == "1" and expected == "l"):
            break
        if marker is None:
            j += 1
            continue
        in_sublist = bool(groups) and (groups[-1][1][0].content.endswith(":") or len(groups[-1][1]) > 1)
        raw = marker.label
        if in_sublist and (raw is None or (_ROMAN.match(raw) and normalise_label(raw, expected) != expected)):
            groups[-1][1].append(block)
            j += 1
            continue
        if raw is None:
            j += 1
            continue
        label = normalise_label(raw, expected)
        if label != expected:
            ctx.warn(f"item label {raw!r} out of sequence (expected {expected!r})")
        elif raw != label:
            ctx.warn(f"item label {raw!r} read as {label!r}")
        groups.append((label, [block]))
        j += 1
    return groups, j


def _split_inline(rest: str) -> tuple[str, str, str]:
    """ "the Government of X to release ...;" -> (addressees, "", "to release ...")."""
    m = re.search(r"\s(to\s+(?!the\b)[a-z].*)$", rest, re.S)
    if m is None:
        return rest, "", ""
    return rest[: m.start()], "", m.group(1)
