"""Stage 4: speakers and signatories of prose, and what they undertake.

Statements and declarations of ministers or heads of government state their commitments in sentences,
not lists of items. Who speaks is read from wherever the text says it: the title ("Joint Statement of the
Prime Ministers of ..."), the opening ("We, the Prime Ministers of the Republic of Estonia, ...:", "On 14
March 2025, the Minister of National Defence of the Republic of Lithuania ... met"), per-country titles
("the Latvian Minister of Defence (Andris Sprūds)"), the parties of a memorandum ("The Ministry of Health
of the Republic of Latvia and ..., hereinafter the Parties") and its signature block ("For the Ministry of
... of the Republic of Latvia"). Each speaker's role maps to a ministry of its own country (a Minister of
National Defence to that country's defence ministry; heads of government to the ministry holding the
commitment's portfolio, with the government office beside it).

A sentence is a commitment when the speakers are its subject and its verb binds them ("agreed to",
"committed to", "decided to", "will", "shall", "task our ministers of energy to"); not when it welcomes,
notes, expects or calls on someone outside the registry. Hand-offs in the sentence ("coordinated by the
Foreign Ministries", "task our ministers of energy") route it to that portfolio. A text that reports a
signed instrument ("signed a Declaration of Intent on the establishment of ...") also yields the
instrument's stated purposes ("The objective is to ...", "The initiative aims to ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from resolute.ingest.extraction.actors import ActorMatcher, per_registry
from resolute.ingest.extraction.addressees import Addressees
from resolute.ingest.extraction.clauses import ItemReading
from resolute.ingest.extraction.commitments import DocContext, MinistryRule, make_commitment
from resolute.ingest.extraction.dates import find_dates
from resolute.ingest.extraction.facts import DocumentFacts, Fact
from resolute.ingest.extraction.layout import Block, Layout
from resolute.ingest.extraction.lexicon import lexicon
from resolute.ingest.extraction.models import (
    DocumentKind,
    ExtractedCommitment,
    MinistryRef,
    Signatory,
)
from resolute.ingest.extraction.text import clean, clean_item, sentence_spans, words
from resolute.shared.actors import ActorRegistry, Country, lead_ministry

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
    ("labour", "social-affairs"),
    ("education", "education"),
    ("science", "research"),
    ("culture", "culture"),
    ("digital", "digital"),
)
_HEADS = re.compile(
    r"\b(?:Prime\s+Ministers?|Heads?\s+of\s+(?:State\s+(?:and|or)\s+)?Government|Presidents?|Leaders?|"
    r"Chancellors?)\b",
    re.I,
)
_PORTFOLIO = r"(?:National\s+)?[A-Z][a-z]+(?:\s+(?:and|of)\s+[A-Z][a-z]+|\s+Affairs|\s+Forces|\s+Defence)*"
_ROLE = (
    rf"(?:(?:Prime|Foreign|Defence|Defense|Interior|Finance|Economy|Economic|Energy|Health|Transport|Justice|"
    rf"Education|Culture|Environment|Agriculture)\s+Ministers?|"
    rf"Ministers?\s+(?:of|for|responsible\s+for|in\s+charge\s+of)\s+(?:the\s+)?{_PORTFOLIO}|"
    rf"Heads?\s+of\s+(?:State\s+(?:and|or)\s+)?Government|Presidents?|Ministr(?:y|ies)\s+of\s+(?:the\s+)?{_PORTFOLIO}|"
    r"(?-i:(?:(?!of\b|the\b|and\b|for\b)[a-z]+\s+){1,2}(?:services|authorities|agencies|governments|ministries)))"
)
# "the Ministers of Defence of Lithuania, Latvia, and Estonia", "We, the Prime Ministers of the Republic of ..."
_ROLE_OF = re.compile(rf"\b(?P<role>{_ROLE})\s+of\s+(?=(?:the\s+)?[A-Z])", re.I)
# "the Lithuanian Minister of Defence (Robertas Kaunas)", "Estonia's Minister of Defence Hanno Pevkur"
_PERSON = r"[A-Z][\w'\u2019-]+(?:\s+[A-Z][\w'\u2019-]+){1,2}"
_ADJ_ROLE = re.compile(
    rf"\b(?P<adj>[A-Z][a-z]+)(?:['\u2019]s)?\s+(?P<role>Minister\s+(?:of|for)\s+(?:the\s+)?{_PORTFOLIO}|"
    rf"(?:Prime|Foreign|Defence)\s+Minister)(?:\s*\((?P<person>[^)]+)\)|,\s+(?P<person2>{_PERSON})|"
    rf"\s+(?P<person3>{_PERSON}))?"
)
# "the Baltic defence ministers", "Nordic foreign ministers": a group or country adjective and a portfolio.
_ADJ_PORTFOLIO_MINISTERS = re.compile(
    r"\b(?P<adj>[A-Z][a-z]+)\s+(?P<role>(?:[Nn]ational\s+)?[A-Za-z]+(?:\s+[Aa]ffairs)?\s+[Mm]inisters)\b"
)
_PERSON_AFTER = re.compile(rf"^\s*,?\s*(?P<person>{_PERSON})(?=\s*(?:,|and\b|met\b|signed\b|\)|$))")
_SIGNATURE = re.compile(r"^(?:For|On\s+behalf\s+of)\s+(?:the\s+)?(?P<party>.+)$", re.I)
_SUBJECT = (
    r"(?:We|They|The\s+(?:[A-Z][\w'-]*\s+){0,3}?(?i:ministers|parties|participants|sides|signatories|governments|"
    r"leaders|heads\s+of\s+(?:state\s+and\s+)?government|presidents|countries|states|allies)|"
    r"(?i:the\s+)?(?:three|two|four|five|eight|nine)\s+(?:Baltic\s+|Nordic\s+)?(?:countries|states|States|nations|"
    r"governments|ministers|ministries)|Both\s+(?:Parties|Sides|countries|Ministers)|"
    r"Each\s+(?:of\s+the\s+)?(?i:participants?|part(?:y|ies)|sides?|signator(?:y|ies)|ministr(?:y|ies)|"
    r"governments?|states?|countr(?:y|ies)|ministers?))"
)
_SUBJECT_RE = re.compile(
    rf"^(?:(?:On|In|At|During|Following|Today|Furthermore|Moreover|Finally|In\s+addition|Also)\b[^,]{{0,100}},\s*)?"
    rf"(?P<subject>{_SUBJECT})\s+(?:have\s+|has\s+|also\s+|further\s+|jointly\s+|hereby\s+|furthermore\s+|"
    r"therefore\s+|today\s+|firmly\s+|unanimously\s+)*"
)
_TO = re.compile(r"^\s*(?:themselves\s+|ourselves\s+|jointly\s+|further\s+)?(?=to\s+[a-z])")
_TASK = re.compile(
    r"^\s*(?P<who>(?:our|their|the|its)\s+(?:respective\s+)?(?:[\w-]+\s+){0,4}?"
    r"(?:ministers?|ministries|authorities|officials|agencies|governments|[\w-]+(?<=s)))"
    r"(?:\s+of\s+(?P<portfolio>[\w\s]+?))?"
    r"\s+to\s+(?=[a-z])",
    re.I,
)
# "coordinated by the Foreign Ministries", "will be defined by the Ministries of Defence of the three States".
_HANDOFF = re.compile(
    r"\b(?:[a-z]+ed|led|carried\s+out|drawn\s+up|set\s+up|undertaken)\s+by\s+(?:the\s+)?(?:respective\s+)?"
    r"(?P<role>(?:[A-Z]?[a-z]+\s+){0,3}?(?:Ministr(?:y|ies)|Ministers?)(?:\s+(?:of|for)\s+(?:the\s+)?[A-Za-z]+"
    r"(?:\s+Affairs)?)?)",
)
_QUOTED = re.compile(r"[\u201c\"\u2018][^\u201d\"\u2019]{10,}[\u201d\"\u2019]")
_REPORTED = re.compile(r"\b(?:said|noted|told|according\s+to|stated|added)\b", re.I)
_INSTRUMENT = (
    r"(?:[Jj]oint\s+)?(?:[Dd]eclaration|[Ll]etter|[Mm]emorandum|[Ss]tatement|[Cc]ommuniqu[eé]|[Aa]greement|"
    r"[Pp]rotocol|[Cc]harter)(?:\s+of\s+(?:[Ii]ntent|[Uu]nderstanding|[Cc]ooperation))?"
)
_SIGNED_TITLE = re.compile(
    rf"\b(?:signed|sign|adopted|concluded|issued|endorsed)\s+(?:a|an|the)\s+(?P<title>{_INSTRUMENT}"
    r"(?:\s+(?:on|for|regarding|concerning|between)\s+[^.;]+?)?)(?=\s*[.;]|\s*,\s+(?:which|that)\b|"
    r"\s+(?:which|that|in|at|on\s+\d)\b)"
)
_SIGNED = re.compile(
    r"\bsign(?:ed|ing|s)?\b|\bhereby\s+declare|\bdeclare\s+(?:our|their)\s+intent|\bmet\b|\bmeeting\b", re.I
)
_PURPOSE = re.compile(
    r"\b(?:(?:signed|concluded|adopted)\b(?:\s+\w+){0,5}?\s+(?=to\s)"
    r"|(?:objective|aim|purpose|goal|intention|ambition)s?(?:\s+of\s+[^.]{1,60}?)?\s+(?:is|are|was|were)\s+(?=to\s)"
    r"|(?:aims?|aimed|intends?|intended|seeks?|sought|plans?|planned)\s+(?=to\s))"
    r"(?P<clause>to\s+(?!(?:be|become|have|the|a|an|this|that|these|those|its|their|our|all|both|each|"
    r"every|some|any|date|which|whom|what)\b)[a-z][^.]*)",
)
_WILL = re.compile(
    r"\b(?:will|shall)\s+(?:also\s+|further\s+|jointly\s+)?(?P<clause>(?!be\b|have\b|require|need\b|become\b|not\b)"
    r"[a-z]+\b[^.]*)"
)
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
_KIND_WORDS: tuple[tuple[str, DocumentKind], ...] = (
    ("intent", "declaration_of_intent"),
    ("memorandum", "declaration_of_intent"),
    ("letter", "declaration_of_intent"),
    ("agreement", "declaration_of_intent"),
    ("declaration", "declaration"),
    ("statement", "declaration"),
    ("communiqu", "declaration"),
)


@dataclass
class Speaker:
    """One country's voice in a statement, and the ministry it speaks for."""

    country: str
    ministry: str | None = None
    area: str | None = None
    person: str | None = None


@dataclass
class Speakers:
    """Who speaks or signs: per country, and how the text names them together."""

    members: list[Speaker] = field(default_factory=list)
    heads: bool = False
    role: str | None = None
    as_written: str | None = None

    @property
    def countries(self) -> list[str]:
        return [s.country for s in self.members]

    def get(self, code: str) -> Speaker | None:
        return next((s for s in self.members if s.country == code), None)

    def add(self, speaker: Speaker) -> None:
        existing = self.get(speaker.country)
        if existing is None:
            self.members.append(speaker)
            return
        existing.ministry = existing.ministry or speaker.ministry
        existing.area = existing.area or speaker.area
        existing.person = existing.person or speaker.person


@dataclass
class ProseReading:
    """What the prose reader found: commitments, and the document facts only prose gives."""

    how: str = "none"
    commitments: list[ExtractedCommitment] = field(default_factory=list)
    addressees: list[str] = field(default_factory=list)
    signatories: list[Signatory] = field(default_factory=list)
    speakers_phrase: str | None = None
    instrument: str | None = None
    instrument_kind: DocumentKind | None = None
    signed: date | None = None
    place: str | None = None

    def apply_to(self, facts: DocumentFacts) -> None:
        """What prose tells of the document where its layout did not: instrument, issuer, signature."""
        if self.instrument and (facts.title is None or facts.title.source != "heading"):
            facts.title = Fact(self.instrument, facts.title.span if facts.title else None, "prose")
        if self.instrument_kind and (facts.kind is None or facts.kind.source != "heading"):
            facts.kind = Fact(self.instrument_kind, None, "prose")
        if self.speakers_phrase and (
            facts.issuing_body is None or facts.issuing_body.source not in ("opener", "banner")
        ):
            # A body the title names ("... of the Baltic Assembly") is not who signs; the speakers are.
            facts.issuing_body = Fact(self.speakers_phrase, None, "speakers")
        if facts.adopted is None and self.signed:
            facts.adopted = Fact(self.signed, None, "prose")
        if facts.place is None and self.place:
            facts.place = Fact(self.place, None, "prose")


def portfolio_area(portfolio: str) -> str | None:
    """The policy area a minister's portfolio names ("National Defence" -> defence)."""
    p = portfolio.lower()
    for stem, area in _PORTFOLIO_AREAS:
        if stem in p:
            return area
    return None


@per_registry
def _country_initials(registry: ActorRegistry) -> frozenset[str]:
    """The first words of every country's and group's names, lower-cased (and "the")."""
    words = {"the"}
    for country in registry.countries:
        for name in (country.name, country.official_name, *country.aliases):
            if name:
                words.add(name.split()[0].lower())
    for group in registry.groups:
        for name in (group.name, *group.aliases):
            words.add(name.split()[0].lower())
    return frozenset(words)


def country_list(text: str, pos: int, matcher: ActorMatcher) -> tuple[list[str], int]:
    """The countries named one after another from `pos` ("the Republic of Estonia, Latvia and Lithuania")."""
    codes: list[str] = []
    end = pos
    first = text[pos : pos + 40].split(None, 1)
    if not first or first[0].lower().strip(",") not in _country_initials(matcher.registry):
        return codes, end  # a list of countries opens with one's name (or "the"): no need to search
    for mention in matcher.find(text[pos : pos + 240], adjectives=False):
        gap = text[end : pos + mention.start]
        if codes and not re.fullmatch(r"\s*(?:,\s*)?(?:and\s+|as\s+well\s+as\s+)?(?:the\s+)?", gap, re.I):
            break
        if not codes and not re.fullmatch(r"\s*(?:the\s+)?", gap, re.I):
            break
        if mention.kind == "country":
            members: tuple[str, ...] = (mention.id,)
        elif mention.kind == "group":
            group = matcher.registry.group(mention.id)
            members = group.members if group else ()
        else:
            break
        codes.extend(c for c in members if c not in codes)
        end = pos + mention.end
    return codes, end


def _ministry_named(country: Country, role: str) -> str | None:
    """The registry ministry a role or party names in that country ("Ministry of Social Affairs")."""
    wanted = re.sub(r"\bMinisters?\b", "Ministry", clean(role), flags=re.I).lower()
    wanted = re.sub(r"\s+of\s+(?:the\s+)?(?:republic|kingdom|grand\s+duchy)\s+of\s+.*$", "", wanted)
    for ministry in country.ministries:
        if wanted in (ministry.name.lower(), (ministry.local_name or "").lower()):
            return ministry.id
    return None


def _speaker(code: str, role: str, registry: ActorRegistry, person: str | None = None) -> Speaker | None:
    country = registry.country(code)
    if country is None:
        return None
    if _HEADS.search(role):
        return Speaker(code, None, None, person)
    named = _ministry_named(country, role)
    area = portfolio_area(re.sub(r"^.*?\b(?:Ministers?|Ministry|Ministries)\b", "", role) or role) or portfolio_area(
        role
    )
    if named is None and area is not None:
        lead = lead_ministry(country, area, registry)
        named = lead.id if lead else None
    return Speaker(code, named, area, person)


def find_speakers(text: str, blocks: list[Block], title: str | None, matcher: ActorMatcher) -> Speakers:
    """Who speaks or signs, from the title, the opening, per-country titles and the signature block."""
    registry = matcher.registry
    speakers = Speakers()
    head = text[:6000]
    sources = [head, title or ""]
    for source in sources:
        for m in _ROLE_OF.finditer(source):
            codes, end = country_list(source, m.end(), matcher)
            if not codes:
                continue
            role = m.group("role")
            if len(codes) > 1 and (speakers.as_written is None or _names_a_group(speakers.as_written, matcher)):
                speakers.as_written = clean(source[m.start("role") : end])
            speakers.role = speakers.role or role
            speakers.heads = speakers.heads or bool(_HEADS.search(role))
            for code in codes:
                person = None
                if len(codes) == 1:
                    after = _PERSON_AFTER.match(source[end : end + 60])
                    person = after.group("person") if after else None
                speaker = _speaker(code, role, registry, person)
                if speaker is not None:
                    speakers.add(speaker)
    if not speakers.members:
        for m in _ADJ_PORTFOLIO_MINISTERS.finditer(f"{title or ''}\n{head}"):
            codes = matcher.countries_in(m.group("adj"))
            if not codes or (portfolio_area(m.group("role")) is None and not _HEADS.search(m.group("role"))):
                continue
            speakers.role = m.group("role")
            speakers.heads = bool(_HEADS.search(m.group("role")))
            for code in codes:
                if (speaker := _speaker(code, m.group("role"), registry)) is not None:
                    speakers.add(speaker)
            break
    for m in _ADJ_ROLE.finditer(head):
        codes = matcher.countries_in(m.group("adj"))
        if not codes:
            continue
        person = m.group("person") or m.group("person2") or m.group("person3")
        speaker = _speaker(codes[0], m.group("role"), registry, person.strip() if person else None)
        if speaker is not None:
            speakers.role = speakers.role or m.group("role")
            speakers.add(speaker)
    for block in blocks:
        sig = _SIGNATURE.match(block.clean)
        if sig is None or len(block.clean) > 200:
            continue
        party = sig.group("party")
        codes = matcher.countries_in(party, adjectives=False)
        if codes:
            speaker = _speaker(codes[0], party, registry)
            if speaker is not None:
                speakers.add(speaker)
    return speakers


_SMALL_WORDS = frozenset({"of", "the", "and", "for", "in", "on", "to", "responsible", "charge"})


def _unshouted(phrase: str) -> str:
    """ "MINISTERS RESPONSIBLE FOR TRANSPORT OF THE REPUBLIC OF ESTONIA" read in title case."""
    words = phrase.lower().split()
    return " ".join(w if i and w in _SMALL_WORDS else w.capitalize() for i, w in enumerate(words))


def _names_a_group(phrase: str, matcher: ActorMatcher) -> bool:
    """ "Prime Ministers of the Baltic States": a group where the text may elsewhere list the countries."""
    return any(m.kind == "group" for m in matcher.find(phrase))


def _phrase(speakers: Speakers, matcher: ActorMatcher, text: str) -> str | None:
    """How to name the speakers together: "Ministers of Defence of Lithuania, Latvia and Estonia"."""
    if not speakers.members:
        return None
    parties = re.search(
        r"\b(?:between\s+)?(?P<parties>(?:the\s+)?Ministry\s+of\s+[^,;:]+?(?:,\s+(?:the\s+)?Ministry\s+of\s+[^,;:]+?)*"
        r"\s+and\s+(?:the\s+)?Ministry\s+of\s+[^,;:]+?)"
        r"(?:,|\s+hereinafter|\s+on\s+[A-Z]|\n|$)",
        text[:3000],
    )
    if parties:
        return clean(re.sub(r"^the\s+", "", parties.group("parties")))
    if speakers.as_written:
        return _unshouted(speakers.as_written) if speakers.as_written.isupper() else speakers.as_written
    names = [c.name for s in speakers.members if (c := matcher.registry.country(s.country)) is not None]
    joined = ", ".join(names[:-1]) + (" and " if len(names) > 1 else "") + names[-1]
    if speakers.heads:
        role = "Heads of State and Government" if re.search(r"State", speakers.role or "") else "Prime Ministers"
        return f"{role} of {joined}"
    areas = {s.area for s in speakers.members}
    if len(areas) == 1 and (area := areas.pop()) is not None:
        portfolio = {"foreign-affairs": "Foreign Affairs", "social-affairs": "Social Affairs"}.get(area, area.title())
        return f"Ministers of {portfolio} of {joined}"
    return f"Ministers of {joined}"


def read_prose(
    layout: Layout, blocks: list[Block], facts: DocumentFacts, ctx: DocContext, matcher: ActorMatcher
) -> ProseReading:
    """The undertakings of a statement or declaration, or nothing when no speakers are named."""
    text = layout.text
    start = blocks[0].start if blocks else 0
    end = blocks[-1].end if blocks else len(text)
    body = text[start:end]
    title = facts.title.value if facts.title else None
    instrument, kind = _instrument(body, title)
    speakers = find_speakers(body, blocks, instrument or title, matcher)
    if not speakers.members:
        return ProseReading(how="none")
    phrase = _phrase(speakers, matcher, body)
    signed, place = _signing(body, matcher)
    ctx.deadlines = type(ctx.deadlines)(
        **{**ctx.deadlines.__dict__, "reference": facts.adopted.value if facts.adopted else signed}
    )
    reading = ProseReading(
        how="prose",
        signatories=[Signatory(country=s.country, ministry=s.ministry, person=s.person) for s in speakers.members],
        speakers_phrase=phrase,
        instrument=instrument,
        instrument_kind=kind,
        signed=signed,
        place=place,
    )
    reading.addressees = [reading.speakers_phrase] if reading.speakers_phrase else []
    area = _shared_area(speakers)
    readings = _undertakings(text, blocks, speakers, matcher) + _purposes(text, blocks, instrument, speakers)
    seen: list[ExtractedCommitment] = []
    for item, handoff in readings:
        commitment = make_commitment(
            ctx, text, item, ministries=_ministry_rule(speakers, handoff, ctx.registry), area=handoff or area
        )
        if commitment is not None:
            seen.append(commitment)
    if not seen and instrument:
        seen = _from_title(text, instrument, ctx, speakers, area)
    reading.commitments = _dedupe(seen)
    if reading.commitments:
        ctx.warn("prose declaration: commitments read from prose, review them")
    return reading


def _shared_area(speakers: Speakers) -> str | None:
    areas = {s.area for s in speakers.members}
    return next(iter(areas)) if len(areas) == 1 and not speakers.heads else None


def _ministry_rule(speakers: Speakers, handoff: str | None, registry: ActorRegistry) -> MinistryRule:
    """Ministries of a prose commitment: the hand-off's portfolio, else each speaker's ministry; heads of
    government answer through the ministry holding the commitment's portfolio, with their office beside it."""

    def rule(area: str | None, codes: list[str]) -> list[MinistryRef]:
        refs: list[MinistryRef] = []
        for code in codes:
            speaker = speakers.get(code)
            country = registry.country(code)
            if speaker is None or country is None:
                continue
            ids: list[str] = []
            if handoff is not None:
                lead = lead_ministry(country, handoff, registry)
                ids.append(lead.id if lead else "")
            elif speaker.ministry is not None:
                ids.append(speaker.ministry)
            elif area is not None:
                lead = lead_ministry(country, area, registry)
                ids.append(lead.id if lead else "")
            if speakers.heads and country.default_lead:
                ids.append(country.default_lead)
            for ministry in dict.fromkeys(i for i in ids if i):
                refs.append(MinistryRef(country=code, ministry=ministry))
        return refs

    return rule


def _undertakings(
    text: str, blocks: list[Block], speakers: Speakers, matcher: ActorMatcher
) -> list[tuple[ItemReading, str | None]]:
    """Sentences (and "We ...:" list items) whose subject is the speakers and whose verb binds them."""
    out: list[tuple[ItemReading, str | None]] = []
    lists: list[tuple[int, str | None]] = []
    collective = False
    for block in blocks:
        if block.table or block.heading:
            continue
        content = block.content
        if re.match(r"^We\s*,", content) and content.endswith(":"):
            collective = True
            continue
        if collective and block.marker is None and content[:1].isupper() and not content.startswith("We"):
            found = _bound(content, 0, speakers)
            if found is not None:
                offset, handoff = found
                out.append((_reading(text, block, content, offset, speakers), handoff))
            continue
        for s, e in sentence_spans(text, block.content_start, block.end):
            sentence = clean(text[s:e])
            if _QUOTED.search(sentence) or _REPORTED.search(sentence):
                continue
            subject = _SUBJECT_RE.match(sentence)
            if subject is None and not _names_speakers(sentence, speakers, matcher):
                continue
            found = _bound(sentence, subject.end() if subject else _speakers_end(sentence, matcher), speakers)
            if found is None:
                continue
            offset, handoff = found
            if sentence.endswith(":"):
                lists.append((blocks.index(block), handoff))
                continue
            out.append((_reading_in(text, s, e, sentence, offset, speakers), handoff))
    for index, handoff in lists:
        out.extend((item, handoff) for item in _listed(text, blocks, index, speakers))
    return sorted(out, key=lambda pair: pair[0].span)


def _listed(text: str, blocks: list[Block], index: int, speakers: Speakers) -> list[ItemReading]:
    """ "The Participants agree to:" followed by marked items: one undertaking per item."""
    out: list[ItemReading] = []
    for item in blocks[index + 1 :]:
        if item.marker is None:
            break
        out.append(
            ItemReading(
                span=(item.content_start, item.end),
                text=item.item_text,
                label=item.marker.label,
                section=None,
                addressees=Addressees(countries=list(speakers.countries)),
                how="prose",
                clause="",
            )
        )
    return out


_OF_COUNTRIES = re.compile(r"^(?:The\s+)?(?:[\w'-]+\s+){0,4}?of\s+(?=(?:the\s+)?[A-Z])")


def _names_speakers(sentence: str, speakers: Speakers, matcher: ActorMatcher) -> bool:
    """ "Estonia, Latvia and Lithuania will ...", "The rescue services of Estonia and Latvia agree ...":
    the speakers' countries (or their services) as the subject."""
    codes, end = country_list(sentence, _subject_lead(sentence), matcher)
    return bool(codes) and set(codes) <= set(speakers.countries) and end < 200


def _subject_lead(sentence: str) -> int:
    m = _OF_COUNTRIES.match(sentence)
    return m.end() if m else 0


def _speakers_end(sentence: str, matcher: ActorMatcher) -> int:
    _, end = country_list(sentence, _subject_lead(sentence), matcher)
    return end


def _bound(sentence: str, pos: int, speakers: Speakers) -> tuple[int, str | None] | None:
    """Where the undertaking's words begin after the subject, and any portfolio it is handed to."""
    rest = sentence[pos:]
    lead = re.match(r"^\s*(?:have\s+|has\s+|also\s+|further\s+|jointly\s+|hereby\s+|firmly\s+)*", rest)
    at = pos + (lead.end() if lead else 0)
    verb = lexicon().verb_at(sentence, at)
    handoff = _handoff(sentence)
    if verb is not None:
        after = sentence[verb.end :]
        if verb.verb_class == "self" and re.match(r"^\s*(?:to\s*)?:\s*$", after):
            return len(sentence), handoff  # "The Participants agree to:" and a list of items
        if verb.verb_class == "self":
            to = _TO.match(after)
            if to is not None:
                return verb.end + to.end(), handoff
            that = re.match(r"^\s*that\s+(?=[^.;]{3,300}?\b(?:will|shall|is\s+to|are\s+to)\s)", after)
            if that is not None:
                return verb.end + that.end(), handoff  # "agreed that the amendments ... will be prepared by ..."
            return None
        if verb.lemma in ("task", "instruct", "mandate", "charge", "entrust", "direct"):
            task = _TASK.match(after)
            if task is not None:
                area = portfolio_area(task.group("portfolio") or task.group("who"))
                return verb.end + task.end(), area or handoff
        return None
    modal = re.match(
        r"^(?:[Ww]ill|[Ss]hall)\s+(?:also\s+|further\s+|jointly\s+|continue\s+to\s+)?(?!be\b|not\b|have\b)(?=[a-z])",
        sentence[at:],
    )
    if modal is not None:
        return at + modal.end(), handoff
    return None


def _handoff(sentence: str) -> str | None:
    m = _HANDOFF.search(sentence)
    return portfolio_area(m.group("role")) if m else None


def _reading(text: str, block: Block, content: str, offset: int, speakers: Speakers) -> ItemReading:
    words_at = clean_item(content[offset:])
    from resolute.ingest.extraction.clauses import locate

    start = locate(text, words_at, block.content_start, block.end) or block.content_start
    return ItemReading(
        span=(start, block.end),
        text=words_at,
        label=None,
        section=None,
        addressees=Addressees(countries=list(speakers.countries)),
        how="prose",
        clause="",
    )


def _reading_in(text: str, s: int, e: int, sentence: str, offset: int, speakers: Speakers) -> ItemReading:
    words_at = clean_item(sentence[offset:])
    from resolute.ingest.extraction.clauses import locate

    start = locate(text, words_at, s, e) or s
    return ItemReading(
        span=(start, e),
        text=words_at,
        label=None,
        section=None,
        addressees=Addressees(countries=list(speakers.countries)),
        how="prose",
        clause="",
    )


def _instrument(body: str, title: str | None) -> tuple[str | None, DocumentKind | None]:
    """The declared instrument's name, from the sentence that reports its signing or from the title."""
    m = _SIGNED_TITLE.search(body)
    name = clean(m.group("title")) if m else None
    if name:
        name = name[:1].upper() + name[1:]
    if name is None and title and re.match(rf"^{_INSTRUMENT}\b", title, re.I):
        name = title
    source = (name or title or "").lower()
    kind = next((k for w, k in _KIND_WORDS if w in source), None)
    return name, kind


def _signing(body: str, matcher: ActorMatcher) -> tuple[date | None, str | None]:
    """The date (in the sentence that reports the signing or meeting) and the place of signing or meeting."""
    signed: date | None = None
    for s, e in sentence_spans(body):
        sentence = body[s:e]
        if _SIGNED.search(sentence):
            days = [d for d in find_dates(sentence) if d.precision == "day"]
            if days:
                signed = days[0].last
                break
    place = _place_by_date(body)
    for m in _PLACE.finditer(body) if place is None else ():
        candidate = m.group("place")
        if matcher.countries_in(candidate) or find_dates(candidate):
            continue
        place = candidate
        break
    return signed, place


_DATE_IN_PLACE = re.compile(r"^\s*,?\s*in\s+(?P<place>(?:The\s+)?[A-Z][\w'\u2019-]+)")


def _place_by_date(body: str) -> str | None:
    """ "On 7 March 2024 in Vilnius, the Ministers ... signed": the place written with the signing date."""
    for s, e in sentence_spans(body):
        sentence = body[s:e]
        if not _SIGNED.search(sentence):
            continue
        for mention in find_dates(sentence):
            m = _DATE_IN_PLACE.match(sentence[mention.end :])
            if m is not None:
                return m.group("place")
        return None
    return None


def _instrument_terms(instrument: str | None) -> list[str]:
    """Names the text uses for the declared instrument: its kind, acronym and full name."""
    terms = ["declaration"]
    if not instrument:
        return terms
    kind = re.search(
        r"(?i)\b(declaration|letter|memorandum|statement|communiqu[eé]|agreement|protocol|charter)\b", instrument
    )
    if kind and kind.group(1).lower() not in terms:
        terms.append(kind.group(1).lower())
    acronym = re.search(r"\(([A-Z][A-Za-z0-9-]{1,10})\)", instrument)
    if acronym:
        terms.append(acronym.group(1))
        name = re.search(r"((?:[A-Z][\w-]+\s+){1,6})\(" + re.escape(acronym.group(1)), instrument)
        if name:
            terms.append(name.group(1).strip())
    return terms


def _purposes(
    text: str, blocks: list[Block], instrument: str | None, speakers: Speakers
) -> list[tuple[ItemReading, str | None]]:
    """What a reported instrument is for: "signed ... to establish X", "The objective is to ...", "X will ..."."""
    if instrument is None:
        return []
    terms = _instrument_terms(instrument)
    out: list[tuple[ItemReading, str | None]] = []
    for block in blocks:
        if block.table or block.heading:
            continue
        for p_start, p_end in block.paragraph_spans():
            paragraph = text[p_start:p_end]
            if not _about(paragraph, terms):
                continue
            for s, e in sentence_spans(text, p_start, p_end):
                sentence = text[s:e]
                for start in _purpose_starts(sentence, terms):
                    out.append(
                        (
                            ItemReading(
                                span=(s + start, e),
                                text="",
                                label=None,
                                section=None,
                                addressees=Addressees(countries=list(speakers.countries)),
                                how="prose",
                                clause="",
                            ),
                            None,
                        )
                    )
    return out


def _about(paragraph: str, terms: list[str]) -> bool:
    lowered = paragraph.lower()
    return any((t.lower() in lowered) if not t.isupper() else (t in paragraph) for t in terms)


def _purpose_starts(sentence: str, terms: list[str]) -> list[int]:
    for m in _PURPOSE.finditer(sentence):
        if re.search(r"\b(?:which|that|who)\s+(?:\w+\s+)?$", sentence[max(0, m.start() - 20) : m.start()]):
            continue
        return [m.start("clause")]
    for m in _WILL.finditer(sentence):
        subject = sentence[: m.start()]
        if any(t in subject for t in terms if t.isupper()):
            return [m.start("clause")]
    return []


def _from_title(
    text: str, title: str, ctx: DocContext, speakers: Speakers, area: str | None
) -> list[ExtractedCommitment]:
    """ "Declaration of Intent on the establishment of X" -> the commitment "establish X"."""
    m = re.search(r"\bon\s+the\s+(?P<noun>" + "|".join(_NOMINAL) + r")\s+of\s+(?P<object>.+)$", title)
    at = text.find(title)
    if m is None or at < 0:
        return []
    reading = ItemReading(
        span=(at, at + len(title)),
        text=f"to {_NOMINAL[m.group('noun')]} {m.group('object')}",
        label=None,
        section=None,
        addressees=Addressees(countries=list(speakers.countries)),
        how="prose",
        clause="",
    )
    commitment = make_commitment(ctx, text, reading, ministries=_ministry_rule(speakers, None, ctx.registry), area=area)
    return [commitment] if commitment is not None else []


def _dedupe(items: list[ExtractedCommitment]) -> list[ExtractedCommitment]:
    """Drop a commitment whose words another one already covers."""
    kept: list[ExtractedCommitment] = []
    for item in sorted(items, key=lambda c: c.span[0]):
        w = set(words(clean_item(item.text)))
        if any(w and len(w & set(words(other.text))) / len(w) >= 0.8 for other in kept):
            continue
        kept.append(item)
    return kept
