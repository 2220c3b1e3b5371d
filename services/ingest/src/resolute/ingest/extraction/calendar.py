"""Calendar facts: institutional events a document dates ("the 42nd Session of the Baltic Assembly and
the 29th Baltic Council held in Tallinn on 23-24 November 2023").

The tracker learns each series' occurrences and cadence from these, and projects
event-anchored deadlines ("at the 32nd Baltic Council") from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from resolute.ingest.extraction.actors import per_registry
from resolute.ingest.extraction.dates import find_dates
from resolute.ingest.extraction.models import CalendarFact
from resolute.ingest.extraction.ordinals import ORDINAL, parse_ordinal
from resolute.ingest.extraction.text import sentence_spans, strip_markup
from resolute.shared.actors import ActorRegistry

_ORDINAL = rf"(?P<ordinal>{ORDINAL})"
_PLACE = re.compile(
    r"\b(?:held\s+in|hosted\s+(?:by\s+the\s+(?:City|city|Government|government)\s+of|in)|"
    r"took\s+place\s+in|convened\s+in|met\s+in|in|at)\s+"
    r"(?P<place>(?:The\s+)?[A-Z][\w'\u2019.-]+(?:[ -][A-Z][\w'\u2019.-]+){0,2})"
)
_NOT_PLACES = re.compile(
    r"^(?:January|February|March|April|May|June|July|August|September|October|November|December|Monday|Tuesday|"
    r"Wednesday|Thursday|Friday|Saturday|Sunday|The|This|That|Session|Summit|Council|Assembly|Plenary|Spring|"
    r"Annual|Baltic|Nordic|European|NATO|EU|Article|Section|Paragraph|Parliament|Government|Committee)\b"
)


_GENERIC_WORDS = {"summit", "meeting", "annual", "spring", "autumn", "session", "plenary"}


@dataclass(frozen=True)
class _SeriesPatterns:
    named: re.Pattern[str]
    own_session: re.Pattern[str]
    names: dict[str, str]
    generic: frozenset[str]
    body_names: dict[str, tuple[str, ...]]
    numbered: frozenset[str]


def is_generic_name(name: str) -> bool:
    """A series name that says nothing of whose event it is ("Summit", "Spring Session")."""
    return all(w in _GENERIC_WORDS for w in name.lower().split())


@per_registry
def _series_patterns(registry: ActorRegistry) -> _SeriesPatterns:
    names: dict[str, str] = {}
    generic: set[str] = set()
    body_names: dict[str, tuple[str, ...]] = {}
    for series in registry.series:
        body = registry.body(series.body) if series.body else None
        body_names[series.id] = (body.name, *body.aliases) if body else ()
        for name in series.names:
            names.setdefault(name.lower(), series.id)
            if is_generic_name(name):
                generic.add(name.lower())
    alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    named = re.compile(rf"(?:\b{_ORDINAL}\s+)?\b(?P<name>{alternation})(?!\s+of\s+Ministers)\b", re.I)
    own_session = re.compile(rf"\b(?:its|the)\s+{_ORDINAL}\s+(?P<name>(?:Annual\s+|annual\s+)?[Ss]ession)\b(?!\s+of)")
    numbered = frozenset(s.id for s in registry.series if s.numbered)
    return _SeriesPatterns(named, own_session, names, frozenset(generic), body_names, numbered)


def _generic_allowed(series: str, sentence: str, patterns: _SeriesPatterns, context: frozenset[str]) -> bool:
    if series in context:
        return True
    return any(n and n in sentence for n in patterns.body_names.get(series, ()))


@dataclass(frozen=True, slots=True)
class _Mention:
    series: str
    ordinal: int | None
    start: int
    end: int


def _place_near(sentence: str, anchor: int) -> str | None:
    """The place named nearest after `anchor` in the sentence (else the nearest before)."""
    candidates: list[tuple[int, str]] = []
    for m in _PLACE.finditer(sentence):
        place = m.group("place").rstrip(".")
        if _NOT_PLACES.match(place):
            continue
        candidates.append((m.start(), place))
    after = [c for c in candidates if c[0] >= anchor]
    if after:
        return after[0][1]
    return candidates[-1][1] if candidates else None


def calendar_facts(
    text: str,
    registry: ActorRegistry,
    *,
    own_session_series: str | None = None,
    context_series: frozenset[str] = frozenset(),
    paragraphs: list[tuple[int, int]] | None = None,
    default_year: int | None = None,
) -> list[CalendarFact]:
    """Dated occurrences of registry series in text, one per (series, ordinal, start).

    Generic names ("Summit", "Spring Session") count only for series in
    `context_series` (the document's own family) or where the sentence names the body.
    """
    patterns = _series_patterns(registry)
    facts: list[CalendarFact] = []
    seen: set[tuple[str, int | None, object]] = set()
    for sentence in _sentences(text, paragraphs):
        dates = [d for d in find_dates(sentence, default_year=default_year) if d.precision == "day"]
        if not dates:
            continue
        mentions: list[_Mention] = []
        for m in patterns.named.finditer(sentence):
            name = m.group("name").lower()
            series = patterns.names.get(name)
            if series is None:
                continue
            if name in patterns.generic and not _generic_allowed(series, sentence, patterns, context_series):
                continue
            ordinal = _ordinal(m.group("ordinal")) if m.group("ordinal") else None
            if ordinal is None and series in patterns.numbered:
                continue
            mentions.append(_Mention(series, ordinal, m.start(), m.end()))
        if own_session_series:
            for m in patterns.own_session.finditer(sentence):
                if not any(x.start <= m.start("name") < x.end for x in mentions):
                    mentions.append(_Mention(own_session_series, _ordinal(m.group("ordinal")), m.start(), m.end()))
        mentions = _drop_unnumbered_duplicates(mentions)
        for mention in sorted(mentions, key=lambda x: x.start):
            after = [d for d in dates if d.start >= mention.end]
            chosen = after[0] if after else dates[-1]
            place = _place_near(sentence, mention.end)
            key = (mention.series, mention.ordinal, chosen.first)
            if key in seen:
                continue
            seen.add(key)
            facts.append(
                CalendarFact(
                    series=mention.series,
                    ordinal=mention.ordinal,
                    start=chosen.first,
                    end=chosen.last,
                    place=place,
                )
            )
    return facts


def _drop_unnumbered_duplicates(mentions: list[_Mention]) -> list[_Mention]:
    """ "The 42nd Session ... the Session" names one event: keep the numbered mention."""
    numbered = {m.series for m in mentions if m.ordinal is not None}
    return [m for m in mentions if m.ordinal is not None or m.series not in numbered]


def _sentences(text: str, paragraphs: list[tuple[int, int]] | None) -> list[str]:
    """Clauses of each paragraph (markup removed); without paragraphs, of the whole text."""
    spans = paragraphs if paragraphs is not None else [(0, len(text))]
    out: list[str] = []
    for start, end in spans:
        plain = strip_markup(text[start:end])
        out.extend(plain[s:e] for s, e in _clause_spans(plain))
    return out


def _clause_spans(text: str) -> list[tuple[int, int]]:
    """Sentences, further cut at semicolons: one list item's date must not date the next item's event."""
    out: list[tuple[int, int]] = []
    for s, e in sentence_spans(text):
        start = s
        for m in re.finditer(r";", text[s:e]):
            out.append((start, s + m.start()))
            start = s + m.end()
        out.append((start, e))
    return out


def latest_ordinals(facts: list[CalendarFact], reference: date | None) -> dict[str, int]:
    """Per series, the highest ordinal already begun by `reference` (all facts when it is unknown)."""
    out: dict[str, int] = {}
    for f in facts:
        if f.ordinal is None or (
            reference is not None and f.start is not None and date.fromisoformat(f.start) > reference
        ):
            continue
        out[f.series] = max(out.get(f.series, 0), f.ordinal)
    return out


def occurrence_dates(facts: list[CalendarFact]) -> dict[tuple[str, int], date]:
    """Start dates of the numbered occurrences a document dates."""
    return {
        (f.series, f.ordinal): date.fromisoformat(f.start)
        for f in facts
        if f.ordinal is not None and f.start is not None
    }


def _ordinal(word: str) -> int:
    value = parse_ordinal(word)
    if value is None:
        raise ValueError(f"not an ordinal: {word!r}")
    return value
