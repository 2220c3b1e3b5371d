"""Calendar facts: institutional events a document dates ("the 42nd Session of the Baltic Assembly and
the 29th Baltic Council held in Tallinn on 23-24 November 2023").

The tracker learns each series' occurrences and cadence from these, and projects
event-anchored deadlines ("at the 32nd Baltic Council") from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from resolute.ingest.extraction.actors import per_registry
from resolute.ingest.extraction.dates import find_dates
from resolute.ingest.extraction.models import CalendarFact
from resolute.ingest.extraction.ordinals import ORDINAL, ORDINAL_WORDS, parse_ordinal
from resolute.ingest.extraction.text import prefix_alternation, sentence_spans, strip_markup
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
    summits: frozenset[str]
    place_summit: re.Pattern[str] = re.compile(
        r"\b(?:the\s+)?(?P<place>(?:The\s+)?[A-Z][\w'\u2019-]+)\s+(?P<kind>Summit)\b"
        r"(?!\s+(?:Declaration|declaration|decisions?|Communiqu|communiqu|commitments?|[Pp]ledge))"
    )


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
    summits = frozenset(s.id for s in registry.series if "summit" in s.id)
    return _SeriesPatterns(named, own_session, names, frozenset(generic), body_names, numbered, summits)


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
    place: str | None = None


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


_MAY_DATE = re.compile(rf"\d|\b{prefix_alternation(sorted(ORDINAL_WORDS))}", re.I)
_HEAD_NOUNS = ("session", "council", "summit", "meeting", "conference")
# "The Session will take place ...", "It was held ...": a later sentence dating an event named before.
_BACK_REFERENCE = re.compile(
    rf"^(?:On\s+[^,]{{3,40}},\s*)?(?:The|This|That|It|the)\s*(?P<head>{'|'.join(_HEAD_NOUNS)})?s?\b", re.I
)
_MEETS = re.compile(
    r"\b(?:take\s+place|took\s+place|held|hold|met|meet|meets|gather|gathered|convene|convened|opened|open|"
    r"will\s+be|was|were|hosted|host)\b",
    re.I,
)
_NTH_DAY = re.compile(r"\bon\s+(?:the|its)\s+(?P<which>first|second|third|last|final|closing|opening)\s+day\b", re.I)
_SAME_DAYS = re.compile(r"\b(?:on\s+the\s+same\s+days?|at\s+the\s+same\s+time)\s+as\b", re.I)
# "held together with the 30th Baltic Council": the event right after shares the dates of the one before.
_JOINED = re.compile(
    r"\b(?:held\s+|met\s+|took\s+place\s+)?(?:alongside|together\s+with|in\s+conjunction\s+with|jointly\s+with|"
    r"back-to-back\s+with)\s+(?:the\s+)?$",
    re.I,
)


@dataclass
class _Pending:
    series: str
    ordinal: int | None
    sentence: int
    paragraph: int
    place: str | None
    provisional: int | None = None  # index of a fact dated only by its company ("held together with ...")


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

    Assembled over the whole document, not sentence by sentence: an event named in one sentence
    ("Vilnius to host the 43rd Session of the Baltic Assembly") is dated by a later one that refers back
    to it ("The Session will take place ... on 17-18 October"), by "on the second day" of the event
    before it, or by "on the same days as the Session". Generic names ("Summit", "Spring Session") count
    only for series in `context_series` (the issuer's) or whose body the document names.
    """
    patterns = _series_patterns(registry)
    units = _sentences(text, paragraphs)
    context = context_series | _named_in(text, patterns)
    facts: list[CalendarFact] = []
    seen: set[tuple[str, int | None, object]] = set()
    pending: list[_Pending] = []

    def add(series: str, ordinal: int | None, first: date, last: date, place: str | None) -> None:
        key = (series, ordinal, first)
        if key in seen:
            return
        seen.add(key)
        facts.append(CalendarFact(series=series, ordinal=ordinal, start=first, end=last, place=place))

    for index, (paragraph, sentence) in enumerate(units):
        if _MAY_DATE.search(sentence) is None:
            continue  # no digit and no ordinal: neither an event to date nor a date
        dates = [d for d in find_dates(sentence, default_year=default_year) if d.precision == "day"]
        mentions = _mentions(sentence, patterns, context, own_session_series)
        numbered = [m for m in mentions if m.ordinal is not None or m.series not in patterns.numbered]
        for mention in numbered:
            place = _place_near(sentence, mention.end)
            if dates:
                after = [d for d in dates if d.start >= mention.end]
                chosen = after[0] if after else dates[-1]
                add(mention.series, mention.ordinal, chosen.first, chosen.last, place)
                continue
            relative = _relative_to(sentence, sentence[: mention.start], facts)
            if relative is not None:
                add(mention.series, mention.ordinal, relative[0], relative[1], place or relative[2])
                if mention.ordinal is not None and facts[-1].series == mention.series:
                    pending.append(_Pending(mention.series, mention.ordinal, index, paragraph, place, len(facts) - 1))
                continue
            if mention.ordinal is not None:
                pending.append(_Pending(mention.series, mention.ordinal, index, paragraph, place))
        if numbered or not dates or not pending:
            continue
        target = _referred(sentence, mentions, pending, index, paragraph, patterns)
        if target is not None:
            pending.remove(target)
            chosen = dates[0]
            place = _place_near(sentence, 0) or target.place
            if target.provisional is not None:  # "The Council met on 18 October 2024": more precise than its company
                old = facts[target.provisional]
                facts[target.provisional] = CalendarFact(
                    series=old.series,
                    ordinal=old.ordinal,
                    start=chosen.first,
                    end=chosen.last,
                    place=place or old.place,
                )
            else:
                add(target.series, target.ordinal, chosen.first, chosen.last, place)
    return facts


def _mentions(
    sentence: str, patterns: _SeriesPatterns, context: frozenset[str], own_session_series: str | None
) -> list[_Mention]:
    mentions: list[_Mention] = []
    for m in patterns.named.finditer(sentence):
        name = m.group("name").lower()
        series = patterns.names.get(name)
        if series is None:
            continue
        if name in patterns.generic and not _generic_allowed(series, sentence, patterns, context):
            continue
        ordinal = _ordinal(m.group("ordinal")) if m.group("ordinal") else None
        mentions.append(_Mention(series, ordinal, m.start(), m.end()))
    for m in patterns.place_summit.finditer(sentence):
        series = next((s for s in sorted(context) if s in patterns.summits), None)
        if series is not None and not any(x.start <= m.start("kind") < x.end for x in mentions):
            mentions.append(_Mention(series, None, m.start(), m.end(), m.group("place")))
    if own_session_series:
        for m in patterns.own_session.finditer(sentence):
            if not any(x.start <= m.start("name") < x.end for x in mentions):
                mentions.append(_Mention(own_session_series, _ordinal(m.group("ordinal")), m.start(), m.end()))
    return sorted(_drop_unnumbered_duplicates(mentions), key=lambda x: x.start)


def _named_in(text: str, patterns: _SeriesPatterns) -> frozenset[str]:
    """Series whose body the document names anywhere: "the Summit" of a text about NATO is NATO's."""
    return frozenset(
        series for series, names in patterns.body_names.items() if any(len(n) > 2 and n in text for n in names)
    )


def _relative_to(sentence: str, before: str, facts: list[CalendarFact]) -> tuple[date, date, str | None] | None:
    """ "on the second day" of the event dated just before; "on the same days as the Session"; "held together
    with the 30th Baltic Council"."""
    if not facts:
        return None
    last = facts[-1]
    first_day, last_day = date.fromisoformat(str(last.start)), date.fromisoformat(str(last.end or last.start))
    nth = _NTH_DAY.search(sentence)
    if nth is not None:
        which = nth.group("which").lower()
        offset = {"first": 0, "opening": 0, "second": 1, "third": 2}.get(which)
        day = last_day if offset is None else min(first_day + timedelta(days=offset), last_day)
        return day, day, last.place
    if _SAME_DAYS.search(sentence) or _JOINED.search(before[-60:]):
        return first_day, last_day, last.place
    return None


def _referred(
    sentence: str,
    mentions: list[_Mention],
    pending: list[_Pending],
    index: int,
    paragraph: int,
    patterns: _SeriesPatterns,
) -> _Pending | None:
    """The undated event a dating sentence refers back to, if it clearly does."""
    same_series = {m.series for m in mentions}
    for candidate in reversed(pending):
        if candidate.series in same_series:
            return candidate  # "The 43rd Session ... The Session will take place on 17-18 October"
    if not _MEETS.search(sentence):
        return None
    back = _BACK_REFERENCE.match(sentence)
    head = (back.group("head") or "").lower() if back else ""
    for candidate in reversed(pending):
        if head and head in candidate.series.replace("-", " "):
            return candidate  # "The Session will take place ...": the last undated session
    latest = pending[-1]
    if latest.paragraph == paragraph and index - latest.sentence <= 2:
        return latest  # "It will be the 44th Session ... Parliamentarians will gather in Riga on 13-14 November"
    return None


def _drop_unnumbered_duplicates(mentions: list[_Mention]) -> list[_Mention]:
    """ "The 42nd Session ... the Session" names one event: keep the numbered mention."""
    numbered = {m.series for m in mentions if m.ordinal is not None}
    return [m for m in mentions if m.ordinal is not None or m.series not in numbered]


def _sentences(text: str, paragraphs: list[tuple[int, int]] | None) -> list[tuple[int, str]]:
    """Clauses of each paragraph (markup removed) with the paragraph's index; without paragraphs, of the text."""
    spans = paragraphs if paragraphs is not None else [(0, len(text))]
    out: list[tuple[int, str]] = []
    for number, (start, end) in enumerate(spans):
        plain = strip_markup(text[start:end])
        out.extend((number, plain[s:e]) for s, e in _clause_spans(plain))
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
