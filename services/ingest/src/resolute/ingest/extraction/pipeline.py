"""The entry point: text in, the documents it holds out, each with its commitments.

Every document goes through the same stages, whatever its publisher or layout:

1. layout: blocks (paragraphs, items, headings) and notes over the exact text, page debris removed;
2. segments: a bundle split at its numbered headings ("RESOLUTION 498");
3. facts: kind, title, issuer, number or session, date and place of adoption, each with its source;
4. calendar facts: the institutional events the document dates;
5. the grammar of operative clauses (calls on / urges / decides ... with their items), addressees read
   from each clause's object;
6. where no operative clause speaks, the prose reader: speakers or signatories and their undertakings;
7. deadlines per commitment, and a confidence for every reading.

Institution knowledge (whose members "member governments" are, the default policy area, which series
"the Summit" means) comes from the actor registry, selected by the issuer the facts stage recognised.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from resolute.ingest.extraction import prose
from resolute.ingest.extraction.actors import ActorMatcher, actor_matcher
from resolute.ingest.extraction.addressees import AddresseeContext, Addressees, describe
from resolute.ingest.extraction.calendar import calendar_facts, latest_ordinals, occurrence_dates
from resolute.ingest.extraction.clauses import ClauseContext, read_items
from resolute.ingest.extraction.commitments import DocContext, make_commitment
from resolute.ingest.extraction.confidence import assess_document
from resolute.ingest.extraction.deadlines import DeadlineContext, find_event_deadline
from resolute.ingest.extraction.facts import DocumentFacts, Fact, FactContext, banner, read_facts
from resolute.ingest.extraction.layout import Hint, Layout, build_layout
from resolute.ingest.extraction.models import CalendarFact, DocumentKind, ExtractedCommitment, ExtractedDocument
from resolute.ingest.extraction.register import has_marker, is_news, news_issuer, news_title
from resolute.ingest.extraction.segments import Segment, split_segments
from resolute.shared.actors import ActorRegistry, default_registry


def extract_documents(
    text: str,
    *,
    source: str,
    title_hint: str | None = None,
    registry: ActorRegistry | None = None,
    blocks: Sequence[Hint] = (),
) -> list[ExtractedDocument]:
    """Every document in `text` (a bundle yields several), with spans indexing into `text` itself.

    `blocks` are what the format reader recognised in the text it wrote (footnotes, headings).
    """
    registry = registry or default_registry()
    layout = build_layout(text, blocks)
    segments, front = split_segments(layout, lambda line: banner(line, registry) is not None)
    matcher = actor_matcher(registry)
    front_blocks = layout.blocks_in(*front) if front else []
    facts_ctx = FactContext(registry, matcher, front_blocks)
    bundle = len(segments) > 1
    return [_document(layout, seg, facts_ctx, source, title_hint, bundle) for seg in segments]


def _document(
    layout: Layout, segment: Segment, ctx: FactContext, source: str, title_hint: str | None, bundle: bool
) -> ExtractedDocument:
    text = layout.text
    registry, matcher = ctx.registry, ctx.matcher
    blocks = [b for b in layout.blocks_in(segment.start, segment.end)]
    notes = layout.notes_in(segment.start, segment.end)
    facts = read_facts(layout, segment, blocks, notes, ctx)
    news = is_news(text[segment.start : segment.end], blocks, facts)
    if news:
        publisher = news_issuer(text[segment.start : segment.end], blocks, title_hint, matcher)
        facts.as_news(
            publisher.name if publisher else None,
            news_title(blocks, facts.published.span if facts.published else None),
            by_institution=publisher is None or publisher.institution or has_marker(text[segment.start : segment.end]),
        )
    issuer = facts.issuer
    own_series = issuer.session_series if issuer else _session_series_named(text[segment.start : segment.end], ctx)
    related = frozenset(issuer.related_series if issuer else ())
    facts_found = calendar_facts(
        text,
        registry,
        own_session_series=own_series,
        context_series=related | ({own_series} if own_series else set()),
        paragraphs=layout.paragraphs(segment.start, segment.end),
        default_year=facts.published.value.year if facts.published else None,
    )
    if own_series and facts.session and facts.convened and _own_fact(facts_found, own_series, facts) is None:
        first, last = facts.convened.value
        place = facts.place.value if facts.place else None
        facts_found.append(
            CalendarFact(series=own_series, ordinal=facts.session.value, start=first, end=last, place=place)
        )
    adopted = facts.adopted.value if facts.adopted else _own_session_end(facts_found, own_series, facts)
    if facts.place is None:
        own = _own_fact(facts_found, own_series, facts)
        if own is not None and own.place:
            facts.place = Fact(own.place, None, "calendar")
    session = facts.session.value if facts.session is not None else None
    deadlines = deadline_context(registry, adopted, facts_found, own_series, related, session)
    title = facts.title.value if facts.title else None
    doc_ctx = DocContext(registry, deadlines, title=title, default_area=issuer.default_area if issuer else None)
    commitments, addressees, reading = _commitments(layout, blocks, facts, doc_ctx, matcher, adopted, news)
    if reading.how == "prose":
        reading.apply_to(facts)
        adopted = adopted or (facts.adopted.value if facts.adopted else None)
    document = ExtractedDocument(
        source=source,
        title=facts.title.value if facts.title else (title_hint if not bundle else None),
        kind=_kind(facts, news, reading, commitments),
        issuing_body=facts.issuing_body.value if facts.issuing_body else None,
        number=facts.number.value if facts.number else None,
        session=facts.session.value if facts.session else None,
        adopted=adopted,
        place=facts.place.value if facts.place else None,
        addressees=addressees,
        commitments=commitments,
        calendar_facts=facts_found,
        warnings=doc_ctx.warnings,
        committee=facts.committee.value if facts.committee else None,
        published=facts.published.value if facts.published else None,
        signatories=reading.signatories,
        span=(segment.start, segment.end) if bundle else None,
        sources=facts.sources(),
    )
    assess_document(document, facts, "news" if news else reading.how)
    return document


def deadline_context(
    registry: ActorRegistry,
    adopted: date | None,
    facts: list[CalendarFact],
    own_series: str | None,
    related: frozenset[str],
    session: int | None,
) -> DeadlineContext:
    """What a document's deadlines are read against: its date, the latest occurrences it dates (its own session
    included), its issuer's session and summit series."""
    current = latest_ordinals(facts, adopted)
    if own_series and session is not None:
        current[own_series] = max(current.get(own_series, 0), session)
    return DeadlineContext(
        registry,
        reference=adopted,
        current=current,
        own_session_series=own_series,
        summit_series=next((s for s in sorted(related) if "summit" in s), None),
        occurrences=occurrence_dates(facts),
    )


def _commitments(
    layout: Layout,
    blocks: list,
    facts: DocumentFacts,
    ctx: DocContext,
    matcher: ActorMatcher,
    adopted: date | None,
    news: bool,
) -> tuple[list[ExtractedCommitment], list[str], prose.ProseReading]:
    """Operative clauses where the document has them; otherwise its prose undertakings (not in news)."""
    text = layout.text
    issuer = facts.issuer
    addressee_ctx = AddresseeContext(
        ctx.registry, matcher, own_group=issuer.member_group if issuer else None, on=adopted
    )
    clause_ctx = ClauseContext(
        addressee_ctx,
        issuer=issuer.name if issuer else None,
        inherited_deadline=lambda phrase: find_event_deadline(phrase, ctx.deadlines),
    )
    items, clauses = read_items(blocks, text, clause_ctx)
    reading = prose.ProseReading(how="operative")
    if news:
        return [], [], prose.ProseReading(how="news")
    if items:
        ctx.warnings.extend(w for w in clause_ctx.warnings if w not in ctx.warnings)
        commitments = [c for item in items if (c := make_commitment(ctx, text, item)) is not None]
        return commitments, _addressee_names(clauses), reading
    reading = prose.read_prose(layout, blocks, facts, ctx, matcher)
    return reading.commitments, reading.addressees, reading


def _addressee_names(clauses: list[Addressees]) -> list[str]:
    names: list[str] = []
    for addressees in clauses:
        for name in describe(addressees):
            if name not in names:
                names.append(name)
    return names


def _session_series_named(text: str, ctx: FactContext) -> str | None:
    """A release about an assembly's session: "the 44th Session" is the session of the body it names most."""
    counts = [
        (sum(text.count(n) for n in (b.name, *b.aliases) if len(n) > 3), b.session_series)
        for b in ctx.registry.bodies
        if b.session_series
    ]
    best = max(counts, default=(0, None))
    return best[1] if best[0] else None


def _own_fact(facts: list[CalendarFact], own_series: str | None, doc: DocumentFacts) -> CalendarFact | None:
    session = doc.session.value if doc.session else None
    return next((f for f in facts if f.series == own_series and (session is None or f.ordinal == session)), None)


def _own_session_end(facts: list[CalendarFact], own_series: str | None, doc: DocumentFacts) -> date | None:
    own = _own_fact(facts, own_series, doc)
    return date.fromisoformat(own.end) if own is not None and own.end else None


def _kind(
    facts: DocumentFacts, news: bool, reading: prose.ProseReading, commitments: list[ExtractedCommitment]
) -> DocumentKind:
    if facts.kind is not None and facts.kind.value != "other" and not (news and facts.kind.source != "heading"):
        return facts.kind.value
    if news:
        # as_news decided between an institution's release and a third party's article
        return facts.kind.value if facts.kind is not None and facts.kind.source == "register" else "press_release"
    if reading.how == "prose" and commitments:
        return "declaration"
    if reading.how == "operative" and commitments:
        return "resolution"
    return "other"
