"""Deadlines: when a commitment is due, if its text says so.

Kinds: an explicit date or month, a year, an institutional event (a numbered
council, the next session, a summit), or a recurring obligation. A year is a
deadline only where a preposition makes it one ("in 2027", "by 2035", "planned
for 2026"): years inside names ("the 2017 Agreement", "Strategy for 2030",
"Readiness 2030"), past references ("signed in September 2021") and anything
before the document's own date are not deadlines.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from resolute.ingest.extraction.actors import per_registry
from resolute.ingest.extraction.dates import DateMention, find_dates, month_end
from resolute.ingest.extraction.models import Deadline
from resolute.ingest.extraction.ordinals import ORDINAL, ORDINAL_WORDS, parse_ordinal
from resolute.ingest.extraction.text import prefix_alternation
from resolute.shared.actors import ActorRegistry


@dataclass(frozen=True)
class DeadlineContext:
    """What a document tells about "now": its date and the latest occurrence of each series it dates."""

    registry: ActorRegistry
    reference: date | None = None
    current: dict[str, int] = field(default_factory=dict)
    own_session_series: str | None = None
    summit_series: str | None = None
    occurrences: dict[tuple[str, int], date] = field(default_factory=dict)


# Words right before a time expression that make it a past reference, not a deadline.
_PAST = re.compile(
    r"\b(?:(?:signed|held|adopted|agreed|established|launched|concluded|took\s+place|started|began|founded|created|"
    r"set\s+up|introduced|issued|decided|reached|endorsed|reaffirmed|made|taken|since|dated|last|previous|"
    r"recent|earlier|approved|published|hosted|convened|celebrated|organised|organized)"
    r"|(?:made|taken|agreed|adopted|reached|decided|endorsed)\s+by\s+(?:the\s+)?[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)"
    r"(?:\s+(?:to|on|upon|in|at|by|during|from|for))*(?:\s+the)?\s*$",
    re.I,
)
_DEADLINE_PREPOSITION = re.compile(
    r"(?:\b(?:by|before|until|till|in|on|during|no\s+later\s+than|not\s+later\s+than|at\s+the\s+latest\s+by|"
    r"by\s+the\s+end\s+of|before\s+the\s+end\s+of|until\s+the\s+end\s+of|at\s+the\s+end\s+of|"
    r"in\s+the\s+course\s+of|planned\s+for|scheduled\s+for|foreseen\s+for|envisaged\s+for|expected\s+(?:in|by)|"
    r"due\s+(?:in|by|on)|set\s+for|targeted\s+for|starting\s+(?:in|on)|as\s+of|from)\s+(?:the\s+)?$)",
    re.I,
)
_YEAR = re.compile(
    r"(?P<prep>\b(?:by\s+the\s+end\s+of|before\s+the\s+end\s+of|until\s+the\s+end\s+of|at\s+the\s+end\s+of|"
    r"no\s+later\s+than|not\s+later\s+than|at\s+the\s+latest\s+(?:by|in)|in\s+the\s+course\s+of|"
    r"(?:planned|scheduled|foreseen|envisaged|expected|targeted|set|due)\s+(?:for|in|by)|"
    r"by|before|until|till|in|during|throughout)\s+(?:the\s+year\s+)?"
    r"(?:(?:the\s+(?:first|second)\s+half|the\s+(?:first|second|third|fourth)\s+quarter|the\s+course|"
    r"the\s+(?:beginning|start|middle|end))\s+of\s+|(?:early|mid|late|spring|summer|autumn|fall|winter)[\s-]+)?)"
    r"(?P<year>(?:19|20)\d{2})\b(?![-\u2013/]\d)(?!\s*[%(])"
)
_BARE_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}\b")
_RELATIVE_YEAR = re.compile(
    r"\b(?P<phrase>(?:by|before|until)\s+the\s+end\s+of\s+(?:this|the\s+current|the)\s+year|this\s+year|"
    r"(?:in\s+the\s+)?(?P<next>next|coming|following)\s+year)\b",
    re.I,
)
_NAME_AFTER = re.compile(r"^\s+(?!(?:The|In|By|At|On|And|As|For|With)\b)[A-Z]")
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18, "twenty-four": 24,
}  # fmt: skip
_COUNT = r"(?P<count>\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|twenty-four)"
_UNIT = r"(?P<unit>years?|months?|weeks?|days?)"
_UNIT_LETTER = {"year": "Y", "month": "M", "week": "W", "day": "D"}
_RECURRING: tuple[tuple[re.Pattern[str], str | None], ...] = (
    (
        re.compile(
            r"\b(?:biannual(?:ly)?|semi-annual(?:ly)?|semiannual(?:ly)?|twice\s+(?:a|per|each|every)\s+year|"
            r"every\s+six\s+months|half-yearly)\b"
        ),
        "P6M",
    ),
    (re.compile(r"\b(?:biennial(?:ly)?|every\s+other\s+year)\b"), "P2Y"),
    (re.compile(r"\b(?:triennial(?:ly)?)\b"), "P3Y"),
    (re.compile(r"\b(?:quarterly|every\s+quarter|four\s+times\s+a\s+year)\b"), "P3M"),
    (re.compile(r"\b(?:monthly|every\s+month)\b"), "P1M"),
    (re.compile(r"\b(?:weekly|every\s+week)\b"), "P1W"),
    (
        re.compile(
            r"\b(?:annually|annual(?:\s+(?!(?:and|or|the|of|to|in)\b)[a-z][\w-]*)?|yearly|every\s+year|each\s+year|"
            r"once\s+a\s+year|per\s+annum)\b"
        ),
        "P1Y",
    ),
    (re.compile(r"\b(?:regularly|on\s+a\s+regular\s+basis|periodically|on\s+a\s+periodic\s+basis)\b"), None),
)
# "every two years", "every 18 months", "every three weeks": any period.
_EVERY = re.compile(rf"\bevery\s+{_COUNT}\s+{_UNIT}\b", re.I)
_TIMES_A_YEAR = re.compile(r"\b(?P<count>three|four|3|4)\s+times\s+(?:a|per)\s+year\b", re.I)
# "starting from 2015", "as of 2026", "from 2025 onwards", "beginning in 2027": where a recurrence starts.
_STARTING = re.compile(
    r"\b(?:start(?:ing)?|beginning|commencing)\s+(?:in|from|with)?\s*(?:the\s+year\s+)?(?P<year>(?:19|20)\d{2})\b"
    r"|\b(?:from|as\s+of|since)\s+(?P<year2>(?:19|20)\d{2})\b(?:\s+onwards?)?",
    re.I,
)
# "within two years", "within six months of the adoption of this resolution": counted from the document's date.
_WITHIN = re.compile(
    rf"\b(?:within|no\s+later\s+than|not\s+later\s+than|in\s+the\s+next|over\s+the\s+next)\s+{_COUNT}\s+{_UNIT}"
    r"(?:\s+(?:of|from|after|following)\s+(?:the\s+|its\s+|this\s+)?"
    r"(?:adoption|signing|signature|entry\s+into\s+force|date)(?:\s+of\s+(?:this|the)\s+[\w\s]{1,40}?(?=[,;.]|\s+(?:an?|the)\b|$))?)?",
    re.I,
)
_PERIOD = re.compile(
    r"\b(?P<prep>in|by|before|during|until|till|by\s+the\s+end\s+of|before\s+the\s+end\s+of|at\s+the\s+end\s+of)\s+"
    r"(?:the\s+)?(?P<which>first|second|third|fourth|last|1st|2nd|3rd|4th)\s+(?P<part>quarter|half)\s+of\s+"
    r"(?:the\s+year\s+)?(?P<year>(?:19|20)\d{2})\b"
    r"|\b(?P<q>Q[1-4]|H[12])\s+(?P<qyear>(?:19|20)\d{2})\b",
    re.I,
)
_WHICH = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "last": 4}
_ORDINAL = rf"(?P<ordinal>{ORDINAL})"
_EVENT_PREP = (
    r"(?:at|by|before|until|for|during|to|in|on|ahead\s+of|prior\s+to|in\s+time\s+for|"
    r"no\s+later\s+than|not\s+later\s+than|(?:in|on|into)\s+the\s+agenda\s+of)"
)
_NEXT = r"(?:next|upcoming|forthcoming|coming)"
_UPCOMING_EVENT = re.compile(
    rf"\b{_EVENT_PREP}\s+the\s+{_NEXT}\s+(?P<name>(?:[A-Z][\w'-]*\s+){{0,6}}"
    r"(?:[A-Za-z][\w-]*\s+)?(?:negotiations|summit|Summit|session|Session|conference|Conference|meeting|"
    r"elections?|presidency|Presidency|review|round|Council|Framework|framework|[Pp]rogramme|[Pp]rogramming\s+period|"
    r"budget|cycle))\b"
)
_SUMMIT_IN_PLACE = re.compile(
    rf"\b(?P<prep>{_EVENT_PREP})\s+(?:the|their|its|our)\s+(?:(?P<qual>NATO|EU|[A-Z][\w-]+)\s+)?"
    r"(?P<kind>Summit|summit)(?:\s+meeting)?\s+in\s+(?P<place>(?:The\s+)?[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?)"
)
_PLACE_SUMMIT = re.compile(
    rf"\b(?P<prep>{_EVENT_PREP})\s+(?:the\s+)?(?P<place>The\s+Hague|[A-Z][\w'-]+)\s+(?P<kind>Summit)\b"
    r"(?!\s+(?:Declaration|declaration|decisions?|Communiqu|communiqu|commitments?|pledge|Pledge))"
)
_YEAR_SUMMIT = re.compile(
    rf"\b{_EVENT_PREP}\s+the\s+(?P<year>20\d{{2}})\s+(?:(?P<qual>NATO|EU)\s+)?(?:Summit|summit)\b"
    r"(?!\s+(?:Declaration|declaration|decisions?|Communiqu|communiqu|commitments?|[Pp]ledge))"
)
_MONTHS_OR_WEEKDAYS = re.compile(
    r"^(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)$"
)


_HAS_ORDINAL = re.compile(rf"\b{ORDINAL}\b")
_REPORT_WORD = re.compile(r"\b(?:return|report|revert|come\s+back|submit|present)")
_HAS_NEXT = re.compile(r"\b(?:next|upcoming|forthcoming|coming)\b", re.I)


@dataclass(frozen=True)
class _EventPatterns:
    ordinal_series: re.Pattern[str]
    next_series: re.Pattern[str]
    report_to_body: re.Pattern[str] | None
    names: dict[str, str]
    bodies: dict[str, str]


@per_registry
def _event_patterns(registry: ActorRegistry) -> _EventPatterns:
    names: dict[str, str] = {}
    for series in registry.series:
        for name in series.names:
            names.setdefault(name.lower(), series.id)
    alternation = "|".join(re.escape(n) for n in sorted({*names}, key=len, reverse=True))
    ordinal_series = re.compile(
        rf"\b{_EVENT_PREP}\s+(?:the|its|their)\s+{_ORDINAL}\s+(?P<name>{alternation}|[Ss]ession)"
        r"(?!\s+of\s+Ministers)\b",
        re.I,
    )
    next_series = re.compile(
        rf"\b{_EVENT_PREP}\s+(?:the|its|their|our)\s+{_NEXT}\s+(?P<name>{alternation}|[Ss]ession|meeting)"
        r"(?!\s+of\s+Ministers)\b"
        # "the next meeting of the Baltic Council of Ministers", "of the ministers": another format's meeting
        r"(?P<of>\s+of\s+(?:the\s+)?(?P<format>(?-i:(?:[A-Z][\w'-]*(?:\s+(?:of|for|and)\s+(?:the\s+)?)?\s*){1,7})|"
        r"(?:[a-z]+\s+)?(?:ministers|governments|parties|participants)|heads\s+of\s+(?:state\s+and\s+)?government))?",
        re.I,
    )
    bodies: dict[str, str] = {}
    for body in registry.bodies:
        if body.session_series:
            for name in (body.name, *body.aliases):
                if len(name) > 4:
                    bodies[name.lower()] = body.session_series
    report_to_body = None
    if bodies:
        body_alt = "|".join(re.escape(b) for b in sorted(bodies, key=len, reverse=True))
        report_to_body = re.compile(
            r"\b(?:return|report(?:\s+back)?|revert|come\s+back|(?:submit|present)\s+(?:\w+\s+){1,6}?to)"
            rf"\s+(?:to\s+)?(?:the\s+)?(?P<body>{body_alt})\b",
            re.I,
        )
    return _EventPatterns(ordinal_series, next_series, report_to_body, names, bodies)


def _before(text: str, start: int, width: int = 40) -> str:
    return text[max(0, start - width) : start]


def _is_past(text: str, start: int) -> bool:
    return bool(_PAST.search(_before(text, start)))


def _explicit(text: str, ctx: DeadlineContext) -> Deadline | None:
    """A date or month the text sets as a deadline."""
    for mention in find_dates(text):
        if not _date_is_deadline(text, mention, ctx):
            continue
        prep = _DEADLINE_PREPOSITION.search(_before(text, mention.start, 45))
        verbatim = (prep.group(0) if prep else "") + text[mention.start : mention.end]
        if mention.precision == "month":
            return Deadline(verbatim=verbatim.strip(), kind="month", date=mention.first, year=mention.first.year)
        return Deadline(verbatim=verbatim.strip(), kind="date", date=mention.last, year=mention.last.year)
    return None


def _date_is_deadline(text: str, mention: DateMention, ctx: DeadlineContext) -> bool:
    before = _before(text, mention.start)
    if re.search(r"\bthe\s+$", before) or _is_past(text, mention.start):
        return False
    if not _DEADLINE_PREPOSITION.search(_before(text, mention.start, 45)):
        return False
    if _NAME_AFTER.match(text[mention.end : mention.end + 12]):
        return False
    last = month_end(mention.last) if mention.precision == "month" else mention.last
    return ctx.reference is None or last >= ctx.reference


def _year(text: str, ctx: DeadlineContext) -> Deadline | None:
    """A year the text sets as a deadline ("in 2027", "by 2035", "planned for 2026")."""
    dated = [(m.start, m.end) for m in find_dates(text)]
    for candidate in _BARE_YEAR.finditer(text):
        # The preposition stands just before the year: look for it there only, not along the whole text.
        m = _YEAR.search(text, max(0, candidate.start() - 80), candidate.end())
        if m is None or m.start("year") != candidate.start():
            continue
        if any(s <= m.start("year") < e for s, e in dated):
            continue
        year = int(m.group("year"))
        if ctx.reference is not None and year < ctx.reference.year:
            continue
        if _is_past(text, m.start()):
            continue
        if _NAME_AFTER.match(text[m.end() : m.end() + 12]):
            continue
        return Deadline(verbatim=m.group(0).strip(), kind="year", year=year)
    if ctx.reference is not None and "year" in text.lower():
        r = _RELATIVE_YEAR.search(text)
        if r is not None:
            year = ctx.reference.year + (1 if r.group("next") else 0)
            return Deadline(verbatim=r.group("phrase"), kind="year", year=year)
    return None


def _series_for(name: str, patterns: _EventPatterns, ctx: DeadlineContext) -> str | None:
    key = name.lower()
    if key in ("session", "meeting"):
        return ctx.own_session_series
    series = patterns.names.get(key)
    if series is not None and key in ("summit", "summit meeting"):
        return ctx.summit_series or series
    return series


def _next_meeting_series(m: re.Match[str], patterns: _EventPatterns, ctx: DeadlineContext) -> str | None:
    """The series of "the next session", "their next meeting", "the next meeting of the ministers".

    A meeting of a named format is that format's: a body with sessions gives its series, any other a series
    of its own ("the next meeting of the Baltic Council of Ministers" -> baltic-council-of-ministers-meeting).
    Without one it is the issuer's own session, or, where the speakers are ministers in prose (no session
    series), the next meeting of the same format ("we will review it at our next meeting").
    """
    name = m.group("name")
    format_name = (m.group("format") or "").strip()
    if name.lower() in ("session", "meeting") and format_name:
        known = patterns.bodies.get(format_name.lower()) or patterns.names.get(f"{name} of the {format_name}".lower())
        return known or _slug(f"{format_name} {name}")
    series = _series_for(name, patterns, ctx)
    if series is None and name.lower() == "meeting":
        return "meeting"
    return series


def find_event_deadline(text: str, ctx: DeadlineContext) -> Deadline | None:
    """An institutional event the text makes the deadline ("at the 32nd Baltic Council", "return to ...")."""
    patterns = _event_patterns(ctx.registry)
    has_ordinal = _HAS_ORDINAL.search(text) is not None
    has_next = _HAS_NEXT.search(text) is not None
    for m in patterns.ordinal_series.finditer(text) if has_ordinal else ():
        series = _series_for(m.group("name"), patterns, ctx)
        if series is None or _is_past(text, m.start()):
            continue
        ordinal = _ordinal(m.group("ordinal"))
        if series in ctx.current and ordinal <= ctx.current[series]:
            continue
        if re.match(r"\s*(?:,\s*)?(?:held|which\s+took\s+place|that\s+took\s+place)\b", text[m.end() :]):
            continue
        return Deadline(verbatim=m.group(0), kind="event", series=series, ordinal=ordinal)
    for m in patterns.next_series.finditer(text) if has_next else ():
        series = _next_meeting_series(m, patterns, ctx)
        if series is not None:
            return Deadline(verbatim=m.group(0).rstrip(), kind="event", series=series, ordinal="next")
    if patterns.report_to_body is not None and _REPORT_WORD.search(text.lower()):
        m2 = patterns.report_to_body.search(text)
        if m2 is not None:
            series = patterns.bodies.get(m2.group("body").lower())
            if series is not None:
                return Deadline(verbatim=m2.group(0), kind="event", series=series, ordinal="next")
    for m in _YEAR_SUMMIT.finditer(text) if "ummit" in text else ():
        year = int(m.group("year"))
        if _is_past(text, m.start()) or (ctx.reference is not None and year < ctx.reference.year):
            continue
        series = "nato-summit" if m.group("qual") == "NATO" else (ctx.summit_series or _summit_series(m.group("qual")))
        if series is not None:
            return Deadline(verbatim=m.group(0), kind="event", series=series, year=year)
    for pattern in (_SUMMIT_IN_PLACE, _PLACE_SUMMIT) if "ummit" in text else ():
        for m in pattern.finditer(text):
            if _is_past(text, m.start()) or _MONTHS_OR_WEEKDAYS.match(m.group("place").split()[-1]):
                continue
            qual = m.groupdict().get("qual")
            series = "nato-summit" if qual == "NATO" else (ctx.summit_series or _summit_series(qual))
            if series is None:
                continue
            return Deadline(verbatim=m.group(0), kind="event", series=series, ordinal="next")
    m3 = _UPCOMING_EVENT.search(text) if has_next else None
    if m3 is not None:
        name = m3.group("name")
        series = patterns.names.get(name.lower()) or _slug(name)
        return Deadline(verbatim=m3.group(0), kind="event", series=series, ordinal="next")
    return None


def _summit_series(qualifier: str | None) -> str | None:
    if qualifier is None:
        return None
    if qualifier == "EU":
        return "eu-summit"
    return None


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def find_recurring(text: str) -> Deadline | None:
    """A recurring obligation ("annual conferences", "every two years", "regularly"), with its period if the
    text gives one and the year it starts in ("every year starting in 2020")."""
    found: tuple[int, int, str | None] | None = None
    m = _EVERY.search(text)
    if m is not None:
        count = _count(m.group("count"))
        unit = _UNIT_LETTER[m.group("unit").lower().rstrip("s")]
        found = (m.start(), m.end(), f"P{count}{unit}")
    if found is None and (t := _TIMES_A_YEAR.search(text)) is not None:
        found = (t.start(), t.end(), "P4M" if t.group("count") in ("three", "3") else "P3M")
    if found is None:
        for pattern, every in _RECURRING:
            r = pattern.search(text)
            if r is not None:
                found = (r.start(), r.end(), every)
                break
    if found is None:
        return None
    start, end, every = found
    year = None
    after = _STARTING.search(text, end, end + 40) or _STARTING.search(text, max(0, start - 40), start)
    if after is not None:
        year = int(after.group("year") or after.group("year2"))
    return Deadline(verbatim=text[start:end], kind="recurring", every=every, year=year)


def _dates_the_event(text: str, event: Deadline, dated: Deadline) -> bool:
    """Whether a date or year is written right after the event phrase, as its date."""
    at = text.find(event.verbatim)
    if at < 0:
        return False
    tail = text[at + len(event.verbatim) : at + len(event.verbatim) + 60]
    where = tail.find(dated.verbatim.split(" ", 1)[-1] if " " in dated.verbatim else dated.verbatim)
    return 0 <= where <= 25 and re.match(r"^[\s,]*(?:(?:held\s+)?(?:on|in|of)\b|\()", tail) is not None


def _bounded(text: str, recurring: Deadline) -> bool:
    at = text.find(recurring.verbatim)
    tail = text[at + len(recurring.verbatim) : at + len(recurring.verbatim) + 30] if at >= 0 else ""
    return re.match(r"^\s*(?:\w+\s+){0,2}?(?:until|till|through|up\s+to)\s+(?:19|20)\d{2}\b", tail) is not None


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word.lower()]


def _relative(text: str, ctx: DeadlineContext) -> Deadline | None:
    """ "within two years", "within six months of the adoption of this resolution": a date from the document's."""
    if ctx.reference is None:
        return None
    m = _WITHIN.search(text)
    if m is None:
        return None
    count = _count(m.group("count"))
    unit = m.group("unit").lower().rstrip("s")
    due = _add(ctx.reference, count, unit)
    return Deadline(verbatim=m.group(0).strip(), kind="date", date=due, year=due.year)


def _add(day: date, count: int, unit: str) -> date:
    if unit == "day":
        return day + timedelta(days=count)
    if unit == "week":
        return day + timedelta(weeks=count)
    months = count * 12 if unit == "year" else count
    year, month = divmod(day.month - 1 + months, 12)
    target_year, target_month = day.year + year, month + 1
    last = calendar.monthrange(target_year, target_month)[1]
    return date(target_year, target_month, min(day.day, last))


def _period(text: str, ctx: DeadlineContext) -> Deadline | None:
    """ "in the first quarter of 2028", "by the end of the first half of 2026", "Q3 2027": the period's last day."""
    for m in _PERIOD.finditer(text):
        if m.group("q"):
            kind, n, year = m.group("q")[0].upper(), int(m.group("q")[1]), int(m.group("qyear"))
            part = "quarter" if kind == "Q" else "half"
        else:
            part, n, year = m.group("part").lower(), _WHICH[m.group("which").lower()], int(m.group("year"))
            if part == "half" and n > 2:
                n = 2
        if _is_past(text, m.start()) or (ctx.reference is not None and year < ctx.reference.year):
            continue
        last_month = n * 3 if part == "quarter" else n * 6
        due = month_end(date(year, last_month, 1))
        return Deadline(verbatim=m.group(0).strip(), kind="date", date=due, year=year)
    return None


# Every deadline expression holds a digit or one of these words; most items hold neither, and skip the rest.
# Every deadline expression holds a digit, an ordinal or one of these words; most items hold none of them
# and skip every other search. (A gate may let too much through, never too little.)
_DEADLINE_WORDS = (
    "next",
    "upcoming",
    "forthcoming",
    "coming",
    "summit",
    "year",
    "within",
    "later",
    "return",
    "report",
    "revert",
    "come",
    "submit",
    "present",
    "annual",
    "every",
    "each year",
    "once",
    "per annum",
    "biennial",
    "triennial",
    "biannual",
    "semi",
    "half",
    "quarter",
    "month",
    "week",
    "regular",
    "periodic",
    "twice",
    "times",
    "agenda",
    "session",
    "council",
    "meeting",
    "conference",
    *ORDINAL_WORDS,
)
_DIGIT = re.compile(r"\d")
# Searched in the lower-cased text: a case-sensitive prefix tree is several times faster than re.I.
_DEADLINE_WORD = re.compile(rf"\b{prefix_alternation(sorted(set(_DEADLINE_WORDS)))}")
_RECURRENCE_WORDS = (
    "annual", "yearly", "every", "each", "once", "twice", "times", "biennial", "triennial", "biannual", "semi",
    "half-yearly", "quarterly", "monthly", "weekly", "regularly", "regular basis", "periodic", "per annum",
)  # fmt: skip
_RECURRENCE_WORD = re.compile(rf"\b{prefix_alternation(sorted(_RECURRENCE_WORDS))}")
_RELATIVE_WORD = re.compile(r"\b(?:within|later than|in the next|over the next)\b")


def find_deadline(text: str, ctx: DeadlineContext, *, inherited: Deadline | None = None) -> Deadline | None:
    """The deadline a commitment's text sets.

    Precedence: a recurrence its own year bounds ("every year starting in 2020"); an event dated in the
    same phrase ("at the Prague Summit in 2002"); an explicit date or month; a quarter or half; a period
    counted from the document's date; a year; an event named in the item; an event inherited from the
    clause that introduces the list ("URGES ... at their Summit meeting in The Hague:"); a recurrence.
    """
    lowered = text.lower()
    digits = _DIGIT.search(text) is not None
    if not digits and _DEADLINE_WORD.search(lowered) is None:
        return _dated_occurrence(inherited, ctx)
    recurring = find_recurring(text) if _RECURRENCE_WORD.search(lowered) else None
    if recurring is not None and (recurring.year is not None or _bounded(text, recurring)):
        # "every year starting in 2020", "annually until 2030": the year bounds the recurrence, it is no deadline
        return recurring
    event = find_event_deadline(text, ctx)
    explicit = _explicit(text, ctx) if digits else None
    year = _year(text, ctx) if digits or "year" in lowered else None
    dated = explicit or year
    if event is not None and dated is not None and _dates_the_event(text, event, dated):
        # "at the Washington Summit on 9-11 July 2024", "at the Prague Summit in 2002": the event, dated
        return event.model_copy(update={"date": dated.date, "year": dated.year})
    period = _period(text, ctx) if digits else None
    relative = _relative(text, ctx) if _RELATIVE_WORD.search(lowered) else None
    deadline = explicit or period or relative or year or event or inherited or recurring
    return _dated_occurrence(deadline, ctx)


def _dated_occurrence(deadline: Deadline | None, ctx: DeadlineContext) -> Deadline | None:
    """An event the document itself dates ("the 30th Baltic Council held on 18 October 2024") gets that date."""
    if deadline is not None and deadline.kind == "event" and isinstance(deadline.ordinal, int):
        known = ctx.occurrences.get((deadline.series or "", deadline.ordinal))
        if known is not None:
            return deadline.model_copy(update={"date": known.isoformat(), "year": known.year})
    return deadline


def _ordinal(word: str) -> int:
    value = parse_ordinal(word)
    if value is None:
        raise ValueError(f"not an ordinal: {word!r}")
    return value
