"""What pages show, computed from API answers: a document's text with its commitments marked, the progress
chart, a ministry's inbox in deadline order. Plain functions over JSON, tested without a server."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from markupsafe import Markup, escape

Json = dict[str, Any]

STATUSES = (
    "not_reported",
    "not_started",
    "in_progress",
    "partially_completed",
    "completed",
    "not_implemented",
    "superseded",
)
# Colours with at least 3:1 contrast against white between neighbours in the chart, labelled in its legend.
STATUS_COLOURS = {
    "not_reported": "#8a8f98",
    "not_started": "#b35900",
    "in_progress": "#1f5fbf",
    "partially_completed": "#6b3fa0",
    "completed": "#1e7b34",
    "not_implemented": "#a1262b",
    "superseded": "#4a4a4a",
}
WEAK_BELOW = 0.75


@dataclass
class Segment:
    """A stretch of a document's text: plain (`commitment` None) or one commitment's span."""

    start: int
    text: str
    commitment: Json | None = None

    @property
    def weak(self) -> bool:
        return self.commitment is not None and float(self.commitment.get("confidence", 1.0)) < WEAK_BELOW


def marked_text(text: str, commitments: list[Json]) -> list[Segment]:
    """The text cut at every commitment's span, in order; a span overlapping an earlier one is left plain."""
    spans = sorted(
        ((c["span"][0], c["span"][1], c) for c in commitments if c.get("span") and c["span"][0] < c["span"][1]),
        key=lambda s: (s[0], -s[1]),
    )
    segments: list[Segment] = []
    cursor = 0
    for start, end, commitment in spans:
        start, end = max(start, 0), min(end, len(text))
        if start < cursor or start >= end:
            continue
        if start > cursor:
            segments.append(Segment(cursor, text[cursor:start]))
        segments.append(Segment(start, text[start:end], commitment))
        cursor = end
    if cursor < len(text):
        segments.append(Segment(cursor, text[cursor:]))
    return segments


def month_ends(today: date, months: int) -> list[date]:
    """The last day of each of the past `months` months, oldest first, ending with today."""
    points = [today]
    day = today.replace(day=1) - timedelta(days=1)
    while len(points) < months:
        points.append(day)
        day = day.replace(day=1) - timedelta(days=1)
    return list(reversed(points))


def progress_chart(points: list[tuple[date, dict[str, int]]], title: str, labels: dict[str, str]) -> Markup:
    """Assignments by status at each date, as stacked bars in SVG (the page gives the same figures as a table)."""
    width, height, left, bottom, bar = 640, 240, 48, 28, 56
    top = max((sum(counts.values()) for _, counts in points), default=0) or 1
    step = (width - left) / max(len(points), 1)
    parts = [
        f'<svg role="img" aria-labelledby="chart-title" viewBox="0 0 {width} {height + 60}" class="chart">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" stroke="#333" />',
        f'<text x="4" y="16" class="axis">{top}</text><text x="4" y="{height - bottom}" class="axis">0</text>',
    ]
    scale = (height - bottom - 20) / top
    for index, (day, counts) in enumerate(points):
        x = left + index * step + (step - bar) / 2
        y = float(height - bottom)
        for status in STATUSES:
            value = counts.get(status, 0)
            if not value:
                continue
            h = value * scale
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar}" height="{h:.1f}" fill="{STATUS_COLOURS[status]}">'
                f"<title>{escape(labels.get(status, status))}: {value}</title></rect>"
            )
        parts.append(f'<text x="{x:.1f}" y="{height - 8}" class="axis">{day.strftime("%b %Y")}</text>')
    for index, status in enumerate(STATUSES):
        lx, ly = left + (index % 4) * 150, height + 14 + (index // 4) * 20
        parts.append(f'<rect x="{lx}" y="{ly - 10}" width="12" height="12" fill="{STATUS_COLOURS[status]}" />')
        parts.append(f'<text x="{lx + 16}" y="{ly}" class="legend">{escape(labels.get(status, status))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def format_day(value: str | date | None) -> str:
    """An ISO date (or the date of a timestamp) as people read it: 3 Dec 2026."""
    if not value:
        return ""
    day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    return f"{day.day} {day.strftime('%b %Y')}"


def format_when(value: str | datetime | None) -> str:
    """A timestamp to the minute, in UTC: 3 Dec 2026 14:05 UTC."""
    if not value:
        return ""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return f"{format_day(moment.date())} {moment.strftime('%H:%M')} UTC"


def status_class(status: str | None) -> str:
    """The CSS class of a status badge (only known statuses, so a class name never comes from data)."""
    return f"status-{status}" if status in STATUSES else "status-unknown"


def inbox_order(assignments: list[Json], deadlines: list[Json]) -> list[Json]:
    """A ministry's open assignments by deadline: dated ones soonest first (overdue at the top), then the rest."""
    due = {d["assignment_id"]: d for d in deadlines}
    rows = [{**a, "deadline": due.get(a["id"])} for a in assignments]
    return sorted(rows, key=lambda r: (r["deadline"] is None, str((r["deadline"] or {}).get("date", "")), r["id"]))


def history_rows(entries: list[Json]) -> list[Json]:
    """An assignment's history as shown: each entry carries the state after it, so a note or evidence is shown
    only where it changed (a verification does not repeat the ministry's note)."""
    rows: list[Json] = []
    note: object = None
    evidence: object = []
    for entry in entries:
        rows.append(
            {
                **entry,
                "new_note": entry.get("note") if entry.get("note") != note else None,
                "new_evidence": entry.get("evidence_urls") if entry.get("evidence_urls") != evidence else [],
            }
        )
        note, evidence = entry.get("note"), entry.get("evidence_urls") or []
    return rows


def owns(principal_ministry: tuple[str, str] | None, assignment: Json) -> bool:
    """Whether a ministry principal answers for an assignment (as lead or supporting ministry)."""
    if principal_ministry is None:
        return True
    country, ministry = principal_ministry
    if assignment.get("country") != country:
        return False
    return assignment.get("ministry") == ministry or ministry in (assignment.get("supporting_ministries") or [])


# --- corrections: what an editor changed in a commitment's form ---------------------------------------------

DEADLINE_KINDS = ("date", "month", "year", "event", "recurring")
DEADLINE_PARTS = ("verbatim", "kind", "series", "ordinal", "date", "year", "every")
CORRECTION_FIELDS = ("countries", "ministries", "policy_area", *(f"deadline_{part}" for part in DEADLINE_PARTS))


class FormRefused(ValueError):
    """A correction form whose values cannot be a correction (the page says which field and why)."""


def _codes(text: str | None) -> list[str]:
    return sorted({code.upper() for code in (text or "").replace(",", " ").split() if code})


def _ministry_refs(text: str | None) -> list[Json]:
    """`EE defence` or `EE: defence`, one a line (as the form shows them)."""
    refs = []
    for line in (text or "").splitlines():
        words = line.replace(":", " ").split()
        if not words:
            continue
        if len(words) != 2:
            raise FormRefused(f"ministry {line.strip()!r}: write a country code and a portfolio, e.g. 'EE defence'")
        refs.append({"country": words[0].upper(), "ministry": words[1].lower()})
    return sorted(refs, key=lambda ref: (ref["country"], ref["ministry"]))


def _deadline_from(form: dict[str, str | None]) -> Json | None:
    kind = form.get("deadline_kind")
    if not kind:
        return None
    if kind not in DEADLINE_KINDS:
        raise FormRefused(f"deadline kind {kind!r} is not one of {', '.join(DEADLINE_KINDS)}")
    deadline: Json = {"kind": kind, "verbatim": form.get("deadline_verbatim") or ""}
    for part in ("series", "date", "every"):
        if value := form.get(f"deadline_{part}"):
            deadline[part] = value
    for part in ("year", "ordinal"):
        value = form.get(f"deadline_{part}")
        if not value:
            continue
        if part == "ordinal" and value == "next":
            deadline[part] = "next"
        elif value.isdigit():
            deadline[part] = int(value)
        else:
            raise FormRefused(f"deadline {part} {value!r} is not a number")
    if not deadline["verbatim"]:
        raise FormRefused("a deadline needs its words as the text says them (e.g. 'by the 32nd Baltic Council')")
    return deadline


def _same_deadline(current: Json | None, wanted: Json | None) -> bool:
    if current is None or wanted is None:
        return current is wanted
    return all(current.get(part) == wanted.get(part) for part in DEADLINE_PARTS)


def correction_body(current: Json, form: dict[str, str | None]) -> Json:
    """The body of `PATCH .../commitments/{id}` from the correction form: only the fields whose value differs
    from the commitment as shown, so a correction records what the editor changed and nothing else."""
    body: Json = {}
    text = form.get("text")
    if text is not None and text != (current.get("text") or "").strip():
        body["text"] = text
    countries = _codes(form.get("countries"))
    if countries != sorted(current.get("countries") or []):
        body["countries"] = countries
    ministries = _ministry_refs(form.get("ministries"))
    shown = sorted(({"country": m["country"], "ministry": m["ministry"]} for m in current.get("ministries") or []),
                   key=lambda ref: (ref["country"], ref["ministry"]))  # fmt: skip
    if ministries != shown:
        body["ministries"] = ministries
    area = form.get("policy_area")
    if area != current.get("policy_area"):
        body["policy_area"] = area
    deadline = _deadline_from(form)
    if not _same_deadline(current.get("deadline"), deadline):
        body["deadline"] = deadline
    return body


def ministry_lines(refs: list[Json] | None) -> str:
    """A commitment's ministries as the correction form's textarea shows them, one a line."""
    return "\n".join(f"{ref['country']} {ref['ministry']}" for ref in refs or [])


def change_rows(correction: Json) -> list[Json]:
    """A correction's changes as rows (what, field, before, after) for a page: each commitment it touched."""
    rows: list[Json] = []
    for item in correction.get("commitments") or []:
        changes = item.get("changes") or []
        if not changes:
            rows.append({"commitment_id": item["commitment_id"], "effect": item["effect"], "field": None})
        for change in changes:
            rows.append({"commitment_id": item["commitment_id"], "effect": item["effect"], **change})
    return rows


def shown_value(value: Any) -> str:
    """A before/after value as a person reads it: lists joined, a deadline by its words, nothing as a dash."""
    if value is None or value == [] or value == "":
        return "—"
    if isinstance(value, dict):
        if "verbatim" in value:
            extra = value.get("date") or value.get("year") or value.get("every")
            return f"{value['verbatim']} ({extra})" if extra else str(value["verbatim"])
        if "country" in value and "ministry" in value:
            return f"{value['country']}: {value['ministry']}"
        return ", ".join(f"{k}: {shown_value(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(shown_value(item) for item in value)
    return str(value)


# --- split, merge and a document's facts: what the editor's forms ask for --------------------------------------

SPLIT_MARK = "---"
_SPLIT_LINE = re.compile(r"^[ \t]*-{3,}[ \t]*$", re.M)


def split_spans(source: str, offset: int, submitted: str) -> list[tuple[int, int]]:
    """The spans of a split from the split form: the commitment's words as the document has them (`source`,
    starting at `offset` in the text), with a line of `---` where each new part begins. The words must stay as
    they are (line breaks and spaces may move), so each part's span is exactly where its words stand."""
    pieces = [piece for piece in _SPLIT_LINE.split(submitted.replace("\r\n", "\n")) if piece.strip()]
    if len(pieces) < 2:
        raise FormRefused(f"put a line with only {SPLIT_MARK} where each new part begins (two parts at least)")
    spans: list[tuple[int, int]] = []
    cursor = 0
    for number, piece in enumerate(pieces, start=1):
        start: int | None = None
        for char in (c for c in piece if not c.isspace()):
            while cursor < len(source) and source[cursor].isspace():
                cursor += 1
            if cursor >= len(source) or source[cursor] != char:
                raise FormRefused(
                    f"part {number} is not the commitment's words as the text has them: "
                    f"only add {SPLIT_MARK} lines between them"
                )
            start = cursor if start is None else start
            cursor += 1
        assert start is not None  # a piece has a character that is not a space
        spans.append((offset + start, offset + cursor))
    if source[cursor:].strip():
        raise FormRefused(f"the words after part {len(pieces)} are missing: only add {SPLIT_MARK} lines between them")
    return spans


def merge_neighbours(commitments: list[Json], selected_id: str, reach: int = 3) -> list[Json]:
    """The commitments standing next to the selected one in text order (up to `reach` each side): the ones it
    can be merged with (the API refuses a merge over a commitment left standing between)."""
    index = next((i for i, c in enumerate(commitments) if c["id"] == selected_id), None)
    if index is None:
        return []
    return [c for c in commitments[max(0, index - reach) : index + reach + 1] if c["id"] != selected_id]


DOCUMENT_KINDS = ("resolution", "declaration", "declaration_of_intent", "press_release", "other")
_FACTS = ("title", "kind", "issuing_body", "number", "session", "adopted", "place")
_CALENDAR_PARTS = ("series", "ordinal", "start", "end", "place")


def _whole(value: str | None, name: str) -> int | None:
    if value is None:
        return None
    if not value.isdigit():
        raise FormRefused(f"{name} {value!r} is not a number")
    return int(value)


def calendar_rows(part: Json) -> list[Json]:
    """The calendar facts of a part as the facts form shows them: one row each, and an empty one to add."""
    return [*(part.get("calendar_facts") or []), {}]


def _calendar_from(form: dict[str, str | None], rows: int) -> list[Json]:
    facts: list[Json] = []
    for row in range(rows):
        if form.get(f"cf{row}_remove"):
            continue
        values = {name: form.get(f"cf{row}_{name}") for name in _CALENDAR_PARTS}
        if not any(values.values()):
            continue
        if not values["series"] or not values["start"]:
            raise FormRefused(f"calendar fact {row + 1}: give its meeting series and the day it starts")
        fact: Json = {"series": values["series"], "start": values["start"]}
        if (ordinal := _whole(values["ordinal"], f"calendar fact {row + 1}: ordinal")) is not None:
            fact["ordinal"] = ordinal
        for name in ("end", "place"):
            if values[name]:
                fact[name] = values[name]
        facts.append(fact)
    return facts


def _same_facts(current: list[Json], wanted: list[Json]) -> bool:
    def key(fact: Json) -> tuple[str, ...]:
        return tuple(str(fact.get(name) or "") for name in _CALENDAR_PARTS)

    return [key(f) for f in current] == [key(f) for f in wanted]


def facts_body(part: Json, form: dict[str, str | None], rows: int) -> Json:
    """The body of `PATCH /v1/documents/{id}/facts` from the facts form: only the facts the editor changed
    (an emptied number, session, date or place clears it), and the calendar facts when any row changed."""
    body: Json = {}
    for name in _FACTS:
        value = form.get(name)
        current = part.get(name)
        if value == (None if current is None else str(current)):
            continue
        if name in ("title", "kind") and value is None:
            raise FormRefused(f"the {name.replace('_', ' ')} cannot be left empty")
        if name == "kind" and value not in DOCUMENT_KINDS:
            raise FormRefused(f"kind {value!r} is not one of {', '.join(DOCUMENT_KINDS)}")
        body[name] = _whole(value, name) if name in ("number", "session") else value
    facts = _calendar_from(form, rows)
    if not _same_facts(part.get("calendar_facts") or [], facts):
        body["calendar_facts"] = facts
    return body
