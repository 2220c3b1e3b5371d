"""Stage 5: a document's own facts, whatever its layout: kind, title, issuing body, number or session,
committee, the date and place of adoption or signature, each with the span of text it was read from.

Each fact is looked for in every source a layout may put it in, most specific first: the numbered
heading or title, the opener ("The Baltic Assembly,"), a dateline at the end or the top ("Vilnius,13
November 1994", "Riga, 28TH OF FEBRUARY 2019"), the adoption footnote ("* Presented by ... and adopted
... on Monday 13 October 2025, in Ljubljana"), a signature line ("Signed in Valga on 15 May 2023"), the
opening session paragraph ("having convened for its 44th Session on 13-14 November 2025 in Riga"), a
banner naming the issuer ("NATO PARLIAMENTARY ASSEMBLY"). Lines of page debris ("Advanced Search",
"Baltic Assembly Logo", cookie notices) never become a title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Generic, TypeVar

from resolute.ingest.extraction.actors import ActorMatcher, per_registry
from resolute.ingest.extraction.dates import find_dates
from resolute.ingest.extraction.layout import Block, Layout, Note, is_caps_line
from resolute.ingest.extraction.lexicon import lexicon
from resolute.ingest.extraction.models import DocumentKind
from resolute.ingest.extraction.ordinals import ORDINAL, parse_ordinal
from resolute.ingest.extraction.segments import Segment
from resolute.ingest.extraction.text import clean
from resolute.shared.actors import ActorRegistry, Body

T = TypeVar("T")

_OPENER = re.compile(
    r"^The\s+(?P<body>[A-Z][\w'\u2019-]*(?:\s+(?:[A-Z][\w'\u2019-]*|of|the|and|for))*)\s*,"
    r"(?:$|\s+(?=(?:at|meeting|having|assembled|gathered|convened|in)\b)[^;:]{0,200},$)"
)
_SESSION = re.compile(rf"\b(?P<ordinal>{ORDINAL})\s+(?:\(?\w+\)?\s+)?(?:Annual\s+|Plenary\s+|Spring\s+)?(?i:Session)\b")
_CONVENED = re.compile(
    rf"\b(?:(?:convened|met|meeting|gathered|assembled)\s+(?:for|at|in)\s+|at\s+)(?:its|the)\s+(?P<ordinal>{ORDINAL})\s+"
    r"(?i:session)\b",
    re.I,
)
# "The Baltic Assembly, having convened in Vilnius on 7-8 November 2030,": where and when, with no ordinal.
_CONVENED_IN = re.compile(r"\b(?:convened|met|meeting|gathered|assembled)\s+(?=(?:in|at)\s)", re.I)
_COMMITTEE = re.compile(r"\bPresented\s+by\s+(?:the\s+)?(?P<committee>.+?)\s+and\s+adopted\b", re.I)
# A capital letter, Latin-1 and Latin Extended-A too (Ādaži, Šiauliai, Łódź): names of places start with one.
_CAP = "[A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u017f]"
_NAME = rf"{_CAP}[\w'\u2019.-]+"
_PLACE_WORD = rf"(?:The\s+)?{_NAME}(?:[ -]{_NAME}|[ -](?:upon|am|on|de|del|sur)[ -]{_NAME})*"
_IN_PLACE = re.compile(rf"\b(?:held\s+in|in|at)\s+(?P<place>{_PLACE_WORD})")
_AFTER_DATE_PLACE = re.compile(rf"\s*,?\s*(?:in\s+)?(?P<place>{_PLACE_WORD})")
_SIGNED = re.compile(
    rf"^(?i:signed|done|adopted|agreed|issued)\s+(?i:in|at)\s+(?P<place>{_NAME}(?:\s+{_NAME})?)"
    r"(?:\s*,)?\s+(?:on\s+)?"
)
_PUBLISHED = re.compile(
    r"^(?:press\s+release|news(?:\s+release)?|published(?:\s+on)?|posted(?:\s+on)?)\s*[,:|\u2013-]?\s*", re.I
)
_DEBRIS = re.compile(
    r"^(?:skip\s+to\b|accept\b|reject\b|cookie|necessary\s+cookies|statistics\s+cookies|marketing\s+cookies|"
    r"for\s+disabled|search\b|advanced\s+search|menu\b|share\b|print\b|back\b|home\b|public\s+and\s+media|"
    r"english\b|eesti\b|latvie|lietuvi|log\s*in|sign\s+in|subscribe|follow\s+us|newsletter|"
    r".{0,60}\blogo\b.{0,20}$|photo|image|\u00a9|copyright|last\s+(?:updated|modified)|table\s+of\s+contents|"
    r"contents$|page\s+\d|\d+\s*/\s*\d+$)",
    re.I,
)
_INSTRUMENT = re.compile(
    r"\b(?P<word>resolution|declaration\s+of\s+intent|declaration|joint\s+statement|statement|communiqu[eé]|"
    r"memorandum(?:\s+of\s+understanding)?|letter\s+of\s+intent|recommendation|press\s+release|agreement|"
    r"protocol|charter|conclusions)\b",
    re.I,
)
_KIND_OF: dict[str, DocumentKind] = {
    "resolution": "resolution",
    "recommendation": "resolution",
    "declaration of intent": "declaration_of_intent",
    "memorandum": "declaration_of_intent",
    "memorandum of understanding": "declaration_of_intent",
    "letter of intent": "declaration_of_intent",
    "declaration": "declaration",
    "joint statement": "declaration",
    "statement": "declaration",
    "communique": "declaration",
    "communiqué": "declaration",
    "conclusions": "declaration",
    "agreement": "declaration_of_intent",
    "protocol": "declaration_of_intent",
    "charter": "declaration",
    "press release": "press_release",
}


@dataclass(frozen=True, slots=True)
class Fact(Generic[T]):
    """One fact and where the text says it."""

    value: T
    span: tuple[int, int] | None
    source: str


@dataclass
class DocumentFacts:
    """What a document says of itself; each field None where no source in the text gives it."""

    title: Fact[str] | None = None
    kind: Fact[DocumentKind] | None = None
    issuer: Body | None = None
    issuing_body: Fact[str] | None = None
    number: Fact[int] | None = None
    session: Fact[int] | None = None
    adopted: Fact[date] | None = None
    place: Fact[str] | None = None
    committee: Fact[str] | None = None
    published: Fact[date] | None = None
    # The days the issuer met, from the opening paragraph ("having convened in Vilnius on 7-8 November 2030"):
    # its own session's calendar fact when no sentence names that session with its ordinal.
    convened: Fact[tuple[date, date]] | None = None
    opener_index: int | None = None
    notes: list[str] = field(default_factory=list)

    def as_news(self, issuer: str | None, headline: str | None, *, by_institution: bool = True) -> None:
        """A release reports events: its sessions, dates and places are theirs, not facts of its own. An
        institution's own release is a press release; an article by a publisher outside the registry (a
        newspaper, a portal) is news about the institutions, kind "other"."""
        self.issuer = None
        self.issuing_body = Fact(issuer, None, "publisher") if issuer else None
        if self.published is None and self.adopted is not None and self.adopted.source == "dateline":
            self.published = self.adopted
        if headline is not None:
            self.title = Fact(headline, None, "headline")
        self.session = self.adopted = self.place = None
        if self.kind is None or self.kind.source != "heading":
            self.kind = Fact("press_release" if by_institution else "other", None, "register")

    def sources(self) -> dict[str, tuple[int, int]]:
        """Each fact's source span, by field name, for the review of what was read."""
        out: dict[str, tuple[int, int]] = {}
        for name in ("title", "kind", "issuing_body", "number", "session", "adopted", "place", "committee"):
            fact = getattr(self, name)
            if fact is not None and fact.span is not None:
                out[name] = fact.span
        return out


@dataclass(frozen=True)
class FactContext:
    """The registry and its compiled names, and the file's front matter (a bundle's banner)."""

    registry: ActorRegistry
    matcher: ActorMatcher
    front: list[Block] = field(default_factory=list)


def is_debris(block: Block) -> bool:
    """Page furniture that a title must never be taken from."""
    text = block.clean
    return not text or bool(_DEBRIS.match(text)) or (len(text) < 40 and text.lower() in {"news", "press"})


def read_facts(
    layout: Layout, segment: Segment, blocks: list[Block], notes: list[Note], ctx: FactContext
) -> DocumentFacts:
    """Every fact the document states about itself."""
    facts = DocumentFacts()
    if segment.number is not None:
        facts.number = Fact(segment.number, segment.heading_span or segment.title_span, "heading")
    facts.opener_index, opener_body = _opener(blocks, ctx)
    facts.title = _title(segment, blocks, facts.opener_index, ctx)
    source = "opener"
    facts.issuer = opener_body
    if facts.issuer is None:
        facts.issuer, source = _banner_body(blocks, ctx) or _banner_body(ctx.front, ctx), "banner"
    if facts.issuer is None and facts.title is not None:
        named = ctx.matcher.body_named(facts.title.value)
        facts.issuer, source = next((b for b in ctx.registry.bodies if b.name == named), None), "title"
    if facts.issuer is None and facts.opener_index is not None:
        facts.issuer, source = _assembly_by_context(layout.text[segment.start : segment.end], ctx), "context"
    if facts.issuer is not None:
        facts.issuing_body = Fact(facts.issuer.name, facts.title.span if facts.title else None, source)
    facts.kind = _kind(segment, facts.title)
    _footnote([*notes, *_adoption_lines(blocks)], facts)
    _session(blocks, facts, ctx)
    _dateline(blocks, facts, ctx)
    _signed(blocks, facts, ctx)
    _published(blocks, facts)
    return facts


def _opener(blocks: list[Block], ctx: FactContext) -> tuple[int | None, Body | None]:
    """ "The Baltic Assembly," (or "The Assembly,") opening the preamble: its index and registry body."""
    for i, block in enumerate(blocks[:40]):
        m = _OPENER.match(block.clean)
        if m:
            named = ctx.matcher.body_named(m.group("body"))
            return i, next((b for b in ctx.registry.bodies if b.name == named), None)
        if block.marker is None and lexicon().opens_preamble(block.clean) and block.clean.endswith((",", ";")):
            return i, None
    return None, None


def _banner_body(blocks: list[Block], ctx: FactContext) -> Body | None:
    """A line that is only a body's name ("NATO PARLIAMENTARY ASSEMBLY", "© Saeima of the Republic of Latvia")."""
    for block in blocks[:8]:
        body = banner(block.clean, ctx.registry)
        if body is not None:
            return body
    return None


def banner(line: str, registry: ActorRegistry) -> Body | None:
    """The body a line names and nothing else, if any."""
    text = line.strip(" \u00a9").lower()
    if not text or len(text) > 80:
        return None
    return _bodies_by_name(registry).get(text)


@per_registry
def _bodies_by_name(registry: ActorRegistry) -> dict[str, Body]:
    names: dict[str, Body] = {}
    for body in registry.bodies:
        for name in (body.name, *body.aliases):
            names.setdefault(name.lower(), body)
    return names


def _assembly_by_context(text: str, ctx: FactContext) -> Body | None:
    """ "The Assembly," alone: the parliamentary assembly whose own name or membership the text names most."""
    best: tuple[int, Body] | None = None
    for body in ctx.registry.bodies:
        if body.kind != "parliamentary-assembly" or body.member_group is None:
            continue
        group = ctx.registry.group(body.member_group)
        names = [body.name, *body.aliases, *(group.aliases if group else ())]
        score = sum(text.count(n) for n in names if len(n) > 3)
        if score and (best is None or score > best[0]):
            best = (score, body)
    return best[1] if best else None


def _title(segment: Segment, blocks: list[Block], opener: int | None, ctx: FactContext) -> Fact[str] | None:
    if segment.title:
        return Fact(segment.title, segment.title_span, "heading")
    stop = opener if opener is not None else min(len(blocks), 6)
    parts: list[Block] = []
    considered = 0
    for block in blocks[:stop]:
        if opener is None and not parts and considered >= 3:
            break
        if block.table or is_debris(block) or block.dateline or _banner_body([block], ctx) is not None:
            if parts:
                break
            continue
        text = block.clean
        if _ADOPTION_LINE.match(text):
            break
        if _PUBLISHED.match(text) and find_dates(text):
            if parts:
                break
            continue
        considered += 1
        if len(text) > 300 or text.endswith((":", ",", ";")) or (text.endswith(".") and opener is None):
            if parts or opener is None:
                break
            continue
        parts.append(block)
        if opener is None or len(parts) >= 3:
            break
    if not parts:
        return None
    return Fact(_readable([p.clean for p in parts], ctx), (parts[0].start, parts[-1].end), "title")


def _readable(lines: list[str], ctx: FactContext) -> str:
    """A title as published, except that lines in capitals beside lines that are not ("RESOLUTION" over
    "of the 44th Session of the Baltic Assembly") take sentence case, registry names restored."""
    caps = [is_caps_line(line) or (line.isupper() and len(line) > 2) for line in lines]
    if all(caps) or not any(caps):
        return " ".join(lines)
    out: list[str] = []
    for line, upper in zip(lines, caps, strict=True):
        if upper:
            line = _restore_names(line[:1] + line[1:].lower(), ctx) if not out else _restore_names(line.lower(), ctx)
        out.append(line)
    return " ".join(out)


def _restore_names(text: str, ctx: FactContext) -> str:
    for mention in ctx.matcher.find(text, adjectives=True):
        if mention.kind == "body":
            body = ctx.registry.body(mention.id)
            name = body.name if body else None
        elif mention.kind == "country":
            country = ctx.registry.country(mention.id)
            name = text[mention.start : mention.end].title() if country else None
        else:
            name = text[mention.start : mention.end].title()
        if name and len(name) == mention.end - mention.start:
            text = text[: mention.start] + name + text[mention.end :]
    return re.sub(rf"\b({ORDINAL})\s+session\b", lambda m: f"{m.group(1).capitalize()} Session", text)


def _kind(segment: Segment, title: Fact[str] | None) -> Fact[DocumentKind] | None:
    if segment.kind_word is not None:
        kind: DocumentKind = "declaration" if segment.kind_word in ("DECLARATION", "STATEMENT") else "resolution"
        return Fact(kind, segment.title_span, "heading")
    if title is None:
        return None
    m = _INSTRUMENT.search(title.value)
    if m is None:
        return None
    word = re.sub(r"\s+", " ", m.group("word").lower())
    return Fact(_KIND_OF.get(word, "other"), title.span, "title")


_ADOPTION_LINE = re.compile(r"^\*?\s*(?:Adopted|Approved|Presented)\s+(?:by|at|on|in)\b", re.I)


def _adoption_lines(blocks: list[Block]) -> list[Note]:
    """ "Adopted by the Standing Committee ... at its meeting in Helsinki, Finland, on Saturday 12 April 2025"
    written under the title rather than as a footnote: read it the same way."""
    out: list[Note] = []
    for block in blocks[:12]:
        if _ADOPTION_LINE.match(block.clean) and find_dates(block.clean):
            out.append(Note(block.start, block.end, list(block.lines)))
    return out


def _footnote(notes: list[Note], facts: DocumentFacts) -> None:
    """ "* Presented by <committee> and adopted by the Plenary Assembly ... on <date>, <place>"."""
    for note in notes:
        t = clean(note.text).lstrip("*\\ ")
        if not re.search(r"\badopted\b", t, re.I):
            continue
        span = (note.start, note.end)
        committee = _COMMITTEE.search(t)
        if committee:
            facts.committee = Fact(committee.group("committee").strip(), span, "footnote")
        dates = find_dates(t)
        if dates:
            facts.adopted = facts.adopted or Fact(dates[-1].last, span, "footnote")
        session = re.search(
            rf"\b(?:at|during)\s+(?:its|the)\s+(?:(?P<ordinal>{ORDINAL})\s+)?(?P<name>(?:[A-Z][a-z]+\s+)?Session)\b", t
        )
        place = _IN_PLACE.search(t, session.end() if session else 0)
        if place is None and dates:
            place = _AFTER_DATE_PLACE.match(t, dates[-1].end)
        if place is not None and not re.match(r"^(?:The\s+)?(?:Plenary|Assembly|Session)\b", place.group("place")):
            facts.place = facts.place or Fact(_city(place.group("place")), span, "footnote")
        if session and session.group("ordinal") and "spring" not in session.group("name").lower():
            ordinal = parse_ordinal(session.group("ordinal"))
            if ordinal is not None:
                facts.session = Fact(ordinal, span, "footnote")
        return


def _city(place: str) -> str:
    """ "Dayton, Ohio, United States" -> "Dayton": the first part names the city."""
    return place.split(",")[0].strip()


def _session(blocks: list[Block], facts: DocumentFacts, ctx: FactContext) -> None:
    """The session a resolution was adopted at, from its title or the opening "having convened" paragraph."""
    if facts.session is not None:
        return
    if facts.title is not None:
        m = _SESSION.search(facts.title.value)
        if m and (value := parse_ordinal(m.group("ordinal"))) is not None:
            facts.session = Fact(value, facts.title.span, "title")
    start = facts.opener_index or 0
    for block in blocks[max(0, start) : start + 6]:
        m = _CONVENED.search(block.clean) or _CONVENED_IN.search(block.clean)
        if m is None or not (m.re is _CONVENED or find_dates(block.clean)):
            continue
        ordinal = m.groupdict().get("ordinal")
        if facts.session is None and ordinal and (value := parse_ordinal(ordinal)) is not None:
            facts.session = Fact(value, (block.start, block.end), "opener")
        dates = [d for d in find_dates(block.clean) if d.precision == "day"]
        if dates and facts.adopted is None:
            facts.adopted = Fact(dates[0].last, (block.start, block.end), "opener")
            facts.convened = Fact((dates[0].first, dates[0].last), (block.start, block.end), "opener")
        place = _IN_PLACE.search(block.clean, m.end())
        if place is not None and facts.place is None and not find_dates(place.group("place")):
            facts.place = Fact(_canonical_place(place.group("place"), ctx), (block.start, block.end), "opener")
        return


def _dateline(blocks: list[Block], facts: DocumentFacts, ctx: FactContext) -> None:
    """ "Vilnius, 18 October 2024" at the end (adoption) or the top (a statement's date and place)."""
    candidates = [b for b in reversed(blocks) if b.dateline][:1] or [b for b in blocks[:8] if b.dateline][:1]
    for block in candidates:
        dates = find_dates(block.clean)
        if not dates:
            continue
        span = (block.start, block.end)
        facts.adopted = Fact(dates[-1].last, span, "dateline")
        head = block.clean[: dates[-1].start].strip(" ,")
        if head and not _PUBLISHED.match(head):
            facts.place = Fact(_canonical_place(head, ctx), span, "dateline")


def _signed(blocks: list[Block], facts: DocumentFacts, ctx: FactContext) -> None:
    """ "Signed in Valga on 15 May 2023 ...": a signature line dates and places the instrument."""
    for block in reversed(blocks[-12:]):
        m = _SIGNED.match(block.clean)
        if m is None:
            continue
        dates = [d for d in find_dates(block.clean) if d.precision == "day"]
        span = (block.start, block.end)
        if dates:
            facts.adopted = Fact(dates[0].last, span, "signature")
        facts.place = Fact(_canonical_place(m.group("place"), ctx), span, "signature")
        return


_DATE_ALONE = re.compile(r"^(?:[A-Za-z]+\s*[|,:\u2013-]\s*)?[\w .,/-]{6,30}?(?:\s+\d{1,2}:\d{2})?$")


def _published(blocks: list[Block], facts: DocumentFacts) -> None:
    """ "Press release, 24 November 2023", "News | December 06, 2022", or a date alone under the headline."""
    for block in blocks[:15]:
        text = block.clean
        if len(text) > 160:
            continue  # a dateline or a date under the headline is short
        m = _PUBLISHED.match(text)
        dates = find_dates(text)
        if m is not None:
            dates = [d for d in dates if d.start - m.end() < 5]
        elif not (_DATE_ALONE.match(text) and len(dates) == 1 and len(text) - (dates[0].end - dates[0].start) < 14):
            continue
        if dates and dates[0].precision == "day":
            facts.published = Fact(dates[0].first, (block.start, block.end), "header")
            return


def _canonical_place(place: str, ctx: FactContext) -> str:
    """A place as the registry spells it: "Ryga" is Riga; unknown places as written."""
    name = _city(place)
    lowered = name.lower()
    for country in ctx.registry.countries:
        if country.capital and lowered in (country.capital.lower(), *(a.lower() for a in country.capital_aliases)):
            return country.capital
    return name
