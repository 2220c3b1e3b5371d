"""Ministerial declarations and the texts that report them: commitments stated in prose.

The signatories ("the Ministers of Defence of Lithuania, Latvia, and Estonia",
"the Estonian Minister of Defence (Hanno Pevkur)") decide the countries and
ministries; the commitments are the purposes the text gives the declared
instrument ("signed to establish ...", "the objective is to ...", "aims to ...",
"the Participants will ..."), read only from paragraphs about that instrument.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from resolute.ingest.extraction.actors import ActorMatcher
from resolute.ingest.extraction.calendar import calendar_facts
from resolute.ingest.extraction.commitments import DocContext, make_commitment
from resolute.ingest.extraction.dates import find_dates
from resolute.ingest.extraction.deadlines import DeadlineContext
from resolute.ingest.extraction.layout import Block, Layout
from resolute.ingest.extraction.models import (
    DocumentKind,
    ExtractedCommitment,
    ExtractedDocument,
    MinistryRef,
    Signatory,
)
from resolute.ingest.extraction.text import clean, clean_item, sentence_spans, words
from resolute.shared.actors import ActorRegistry, Country, lead_ministry

_INSTRUMENT = (
    r"(?:[Jj]oint\s+)?(?:[Dd]eclaration|[Ll]etter|[Mm]emorandum|[Ss]tatement|[Cc]ommuniqu[eé]|[Aa]greement|"
    r"[Pp]rotocol|[Cc]harter)(?:\s+of\s+(?:[Ii]ntent|[Uu]nderstanding|[Cc]ooperation))?"
)
_TITLE = re.compile(
    rf"\b(?:signed|sign|adopted|concluded|issued|endorsed)\s+(?:a|an|the)\s+(?P<title>{_INSTRUMENT}"
    r"(?:\s+(?:on|for|regarding|concerning|between)\s+[^.;]+?)?)(?=\s*[.;]|\s*,\s+(?:which|that)\b|"
    r"\s+(?:which|that|in|at|on\s+\d)\b)"
)
_HEADING_TITLE = re.compile(rf"^(?P<title>{_INSTRUMENT}\b.*)$", re.I)
_SIGNED = re.compile(r"\bsign(?:ed|ing|s)?\b|\bhereby\s+declare|\bdeclare\s+(?:our|their)\s+intent", re.I)
_PORTFOLIO = r"(?P<portfolio>(?:National\s+)?[A-Z][a-z]+(?:\s+(?:and|of)\s+[A-Z][a-z]+|\s+Affairs|\s+Forces)*)"
_MINISTERS_OF = re.compile(rf"\bMinisters?\s+(?:of|for)\s+(?:the\s+)?{_PORTFOLIO}\s+of\s+(?P<countries>[^.;:()\n]+)")
_PORTFOLIO_MINISTERS = re.compile(
    rf"\b{_PORTFOLIO.replace('portfolio', 'portfolio2')}\s+[Mm]inisters\s+of\s+(?P<countries2>[^.;:()\n]+)"
)
_ADJ_PORTFOLIO_MINISTERS = re.compile(
    r"\b(?P<adj>[A-Z][a-z]+)\s+(?P<portfolio>(?:[Nn]ational\s+)?[A-Za-z]+(?:\s+[Aa]ffairs)?)\s+[Mm]inisters\b"
)
_PERSON = r"[A-Z][\w'\u2019-]+(?:\s+[A-Z][\w'\u2019-]+){1,2}"
_ADJ_MINISTER = re.compile(
    rf"\b(?P<adj>[A-Z][a-z]+)(?:['\u2019]s)?\s+Minister\s+(?:of|for)\s+(?:the\s+)?{_PORTFOLIO}"
    rf"(?:\s*\((?P<person>[^)]+)\)|,\s+(?P<person2>{_PERSON})|\s+(?P<person3>{_PERSON}))?"
)
_PURPOSE = re.compile(
    r"\b(?:(?:signed|concluded|adopted)\b(?:\s+\w+){0,5}?\s+(?=to\s)"
    r"|(?:objective|aim|purpose|goal|intention|ambition)s?(?:\s+of\s+[^.]{1,60}?)?\s+(?:is|are|was|were)\s+(?=to\s)"
    r"|(?:aims?|aimed|intends?|intended|seeks?|sought|agreed|agrees?|commits?|committed|undertakes?|undertook|"
    r"pledged?|pledges|decided|decides|resolved|resolves|plans?|planned|expects?|expected)\s+(?=to\s))"
    r"(?P<clause>to\s+(?!(?:be|become|have|the|a|an|this|that|these|those|its|their|our|all|both|each|"
    r"every|some|any|date|which|whom|what)\b)[a-z][^.]*)",
)
_WILL = re.compile(
    r"\b(?:will|shall)\s+(?:also\s+|further\s+|jointly\s+)?(?P<clause>(?!be\b|have\b|require|need\b|become\b)[a-z]+\b[^.]*)"
)
_PARTICIPANTS = re.compile(r"\b(?:we|participants|parties|signatories|ministers|sides)\b", re.I)
_PLACE = re.compile(
    r"\b(?i:signed|meeting|met|held|gathered|convened|formali[sz]ed|concluded)\b[^.]{0,40}?\bin\s+"
    r"(?P<place>(?:The\s+)?[A-Z][\w'\u2019-]+)"
)
_NOMINAL = {
    "establishment": "establish",
    "creation": "create",
    "development": "develop",
    "implementation": "implement",
    "strengthening": "strengthen",
    "enhancement": "enhance",
    "launch": "launch",
    "setting up": "set up",
}
_PORTFOLIO_AREAS: tuple[tuple[str, str], ...] = (
    ("defen", "defence"),
    ("armed forces", "defence"),
    ("foreign", "foreign-affairs"),
    ("interior", "interior"),
    ("internal", "interior"),
    ("justice", "justice"),
    ("finance", "finance"),
    ("econom", "economy"),
    ("energy", "energy"),
    ("transport", "transport"),
    ("climate", "climate"),
    ("environment", "environment"),
    ("agricultur", "agriculture"),
    ("health", "health"),
    ("social", "social-affairs"),
    ("welfare", "social-affairs"),
    ("education", "education"),
    ("science", "research"),
    ("culture", "culture"),
    ("digital", "digital"),
)


@dataclass
class _Signatories:
    portfolio_area: str | None = None
    countries: list[str] = field(default_factory=list)
    people: dict[str, str] = field(default_factory=dict)
    phrase: str | None = None


def looks_like(text: str, matcher: ActorMatcher) -> bool:
    """Signing (or declaring) by ministers of named countries."""
    head = text[:20000]
    if not _SIGNED.search(head):
        return False
    sig = find_signatories(head, matcher)
    return bool(sig.countries) and (bool(_TITLE.search(head)) or bool(re.search(_INSTRUMENT, head, re.I)))


def portfolio_area(portfolio: str) -> str | None:
    """The policy area a minister's portfolio names ("National Defence" -> defence)."""
    p = portfolio.lower()
    for stem, area in _PORTFOLIO_AREAS:
        if stem in p:
            return area
    return None


def find_signatories(text: str, matcher: ActorMatcher) -> _Signatories:
    """Who signs: portfolio and countries from "Ministers of X of A, B and C" or per-country titles."""
    sig = _Signatories()
    for m in _MINISTERS_OF.finditer(text):
        codes = matcher.countries_in(m.group("countries"))
        area = portfolio_area(m.group("portfolio"))
        if codes and area and area == (sig.portfolio_area or area):
            sig.portfolio_area = area
            sig.phrase = sig.phrase or _through_last_country(m.group(0), matcher)
            for code in codes:
                if code not in sig.countries:
                    sig.countries.append(code)
    if not sig.countries:
        for m in _PORTFOLIO_MINISTERS.finditer(text):
            codes = matcher.countries_in(m.group("countries2"))
            area = portfolio_area(m.group("portfolio2"))
            if codes and area:
                sig.portfolio_area = area
                sig.phrase = _through_last_country(m.group(0), matcher)
                sig.countries.extend(c for c in codes if c not in sig.countries)
                break
    if not sig.countries:
        for m in _ADJ_PORTFOLIO_MINISTERS.finditer(text):
            codes = matcher.countries_in(m.group("adj"))
            area = portfolio_area(m.group("portfolio"))
            if codes and area:
                sig.portfolio_area = area
                sig.phrase = clean(m.group(0))
                sig.countries.extend(c for c in codes if c not in sig.countries)
                break
    for m in _ADJ_MINISTER.finditer(text):
        codes = matcher.countries_in(m.group("adj"))
        area = portfolio_area(m.group("portfolio"))
        if not codes or not area:
            continue
        if sig.portfolio_area is None:
            sig.portfolio_area = area
        if area != sig.portfolio_area:
            continue
        code = codes[0]
        if code not in sig.countries:
            sig.countries.append(code)
        person = m.group("person") or m.group("person2") or m.group("person3")
        if person and code not in sig.people:
            sig.people[code] = person.strip()
    if sig.phrase is None and sig.countries and sig.portfolio_area:
        sig.phrase = "Ministers"
    return sig


def _through_last_country(phrase: str, matcher: ActorMatcher) -> str:
    """ "Ministers of Defence of A, B, and C signed ..." -> "Ministers of Defence of A, B, and C"."""
    mentions = [a for a in matcher.find(phrase, adjectives=True) if a.kind in ("country", "group")]
    return clean(phrase[: mentions[-1].end] if mentions else phrase)


def _ministry(country: Country | None, area: str | None, registry: ActorRegistry) -> str | None:
    if country is None or area is None:
        return None
    ministry = lead_ministry(country, area, registry)
    return ministry.id if ministry else None


def parse_declaration(text: str, layout: Layout, source: str, registry: ActorRegistry) -> ExtractedDocument:
    """A declaration (or a report of one) with prose commitments for each signatory ministry."""
    ctx = DocContext(registry, DeadlineContext(registry), default_area=None)
    matcher = ctx.matcher
    sig = find_signatories(text, matcher)
    title, kind = _title(text, layout)
    signed, place = _signing(text, matcher)
    ctx.title = title
    ctx.deadlines = DeadlineContext(registry, reference=signed)
    ministries: list[MinistryRef] = []
    signatories: list[Signatory] = []
    for code in sig.countries:
        ministry = _ministry(registry.country(code), sig.portfolio_area, registry)
        if ministry is not None:
            ministries.append(MinistryRef(country=code, ministry=ministry))
        signatories.append(Signatory(country=code, ministry=ministry, person=sig.people.get(code)))
    countries = [s.country for s in signatories]
    # The signatories' countries in their registry order (EE, LV, LT), so lists compare stably.
    instrument = _instrument_terms(title)
    commitments = _prose_commitments(text, layout, ctx, instrument, countries, ministries, sig.portfolio_area)
    if not commitments and title:
        commitments = _from_title(text, title, ctx, countries, ministries, sig.portfolio_area)
    ctx.warn("prose declaration: commitments read from prose, review them")
    return ExtractedDocument(
        source=source,
        title=title,
        kind=kind,
        issuing_body=sig.phrase if sig.phrase and sig.phrase != "Ministers" else None,
        adopted=signed,
        place=place,
        addressees=[sig.phrase] if sig.phrase else [],
        commitments=commitments,
        calendar_facts=calendar_facts(text, registry, paragraphs=layout.paragraphs()),
        warnings=ctx.warnings,
        signatories=signatories,
    )


def _title(text: str, layout: Layout) -> tuple[str | None, DocumentKind]:
    m = _TITLE.search(text)
    title = clean(m.group("title")) if m else None
    if title:
        title = title[:1].upper() + title[1:]
    if title is None:
        for block in layout.blocks[:5]:
            h = _HEADING_TITLE.match(block.clean)
            if h and len(block.clean) < 200:
                title = h.group("title")
                break
    t = (title or "").lower()
    kind: DocumentKind = "other"
    if "intent" in t or "memorandum" in t or "letter" in t:
        kind = "declaration_of_intent"
    elif "declaration" in t or "statement" in t or "communiqu" in t:
        kind = "declaration"
    return title, kind


def _signing(text: str, matcher: ActorMatcher) -> tuple[date | None, str | None]:
    """The signing date (in the sentence that reports it) and the place of signing or meeting."""
    signed: date | None = None
    for s, e in sentence_spans(text):
        sentence = text[s:e]
        if _SIGNED.search(sentence):
            days = [d for d in find_dates(sentence) if d.precision == "day"]
            if days:
                signed = days[0].last
                break
    place = None
    for m in _PLACE.finditer(text):
        candidate = m.group("place")
        if matcher.countries_in(candidate):
            continue
        place = candidate
        break
    return signed, place


def _instrument_terms(title: str | None) -> list[str]:
    """Names the text uses for the declared instrument: its acronym and its full name."""
    if not title:
        return ["declaration"]
    terms = ["declaration"]
    kind = re.search(
        r"(?i)\b(declaration|letter|memorandum|statement|communiqu[eé]|agreement|protocol|charter)\b", title
    )
    if kind and kind.group(1).lower() not in terms:
        terms.append(kind.group(1).lower())
    acronym = re.search(r"\(([A-Z][A-Za-z0-9-]{1,10})\)", title)
    if acronym:
        terms.append(acronym.group(1))
        name = re.search(r"((?:[A-Z][\w-]+\s+){1,6})\(" + re.escape(acronym.group(1)), title)
        if name:
            terms.append(name.group(1).strip())
    return terms


_PARTY_TERMS = re.compile(r"\b(?:Participants|Parties|Signatories|[Mm]inisters|We|we)\b")


def _relevant(paragraph: str, instrument: list[str]) -> bool:
    """A paragraph about the declared instrument or its parties (not, say, another body's package)."""
    lowered = paragraph.lower()
    if any((t.lower() in lowered) if not t.isupper() else (t in paragraph) for t in instrument):
        return True
    return bool(_PARTY_TERMS.search(paragraph))


def _prose_commitments(
    text: str,
    layout: Layout,
    ctx: DocContext,
    instrument: list[str],
    countries: list[str],
    ministries: list[MinistryRef],
    area: str | None,
) -> list[ExtractedCommitment]:
    found: list[ExtractedCommitment] = []
    for block in layout.blocks:
        if block.table:
            continue
        for p_start, p_end in block.paragraph_spans():
            if not _relevant(text[p_start:p_end], instrument):
                continue
            for s, e in sentence_spans(text, p_start, p_end):
                sentence = text[s:e]
                for start, end in _clauses(sentence, instrument):
                    commitment = make_commitment(
                        ctx, text, (s + start, s + end), countries=countries, ministries=list(ministries)
                    )
                    if commitment is None:
                        continue
                    if area is not None:
                        commitment.policy_area = area
                    found.append(commitment)
        found.extend(_listed_after_trigger(text, layout, block, ctx, countries, ministries, area))
    return _dedupe(found)


def _clauses(sentence: str, instrument: list[str]) -> list[tuple[int, int]]:
    """Commitment clauses of one sentence, as offsets into it."""
    out: list[tuple[int, int]] = []
    end = len(sentence.rstrip().rstrip("."))
    for m in _PURPOSE.finditer(sentence):
        if re.search(r"\b(?:which|that|who)\s+(?:\w+\s+)?$", sentence[max(0, m.start() - 20) : m.start()]):
            continue
        out.append((m.start("clause"), end))
        break
    if not out:
        for m in _WILL.finditer(sentence):
            subject = sentence[: m.start()]
            if _PARTICIPANTS.search(subject) or any(t in subject for t in instrument if t.isupper()):
                out.append((m.start("clause"), end))
                break
    return out


def _listed_after_trigger(
    text: str,
    layout: Layout,
    block: Block,
    ctx: DocContext,
    countries: list[str],
    ministries: list[MinistryRef],
    area: str | None,
) -> list[ExtractedCommitment]:
    """ "The Ministers agree to:" followed by listed items: one commitment per item."""
    if not block.clean.endswith(":") or not re.search(
        r"\b(?:agree|commit|decide|will|shall|intend|undertake|declare)", block.clean, re.I
    ):
        return []
    out: list[ExtractedCommitment] = []
    index = layout.blocks.index(block)
    for item in layout.blocks[index + 1 :]:
        if item.marker is None:
            break
        commitment = make_commitment(
            ctx,
            text,
            (item.content_start, item.end),
            text=item.item_text,
            label=item.marker.label,
            countries=countries,
            ministries=list(ministries),
        )
        if commitment is not None:
            if area is not None:
                commitment.policy_area = area
            out.append(commitment)
    return out


def _from_title(
    text: str,
    title: str,
    ctx: DocContext,
    countries: list[str],
    ministries: list[MinistryRef],
    area: str | None,
) -> list[ExtractedCommitment]:
    """ "Declaration of Intent on the establishment of X" -> the commitment "establish X"."""
    m = re.search(r"\bon\s+the\s+(?P<noun>" + "|".join(_NOMINAL) + r")\s+of\s+(?P<object>.+)$", title)
    at = text.find(title)
    if m is None or at < 0:
        return []
    phrase = f"to {_NOMINAL[m.group('noun')]} {m.group('object')}"
    commitment = make_commitment(
        ctx, text, (at, at + len(title)), countries=countries, ministries=list(ministries), text=phrase
    )
    if commitment is None:
        return []
    if area is not None:
        commitment.policy_area = area
    return [commitment]


def _dedupe(items: list[ExtractedCommitment]) -> list[ExtractedCommitment]:
    """Drop a commitment whose words another one already covers."""
    kept: list[ExtractedCommitment] = []
    for item in sorted(items, key=lambda c: c.span[0]):
        w = set(words(clean_item(item.text)))
        duplicate = False
        for other in kept:
            o = set(words(other.text))
            if w and len(w & o) / len(w) >= 0.8:
                duplicate = True
                break
        if not duplicate:
            kept.append(item)
    return kept
