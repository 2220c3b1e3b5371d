"""Deadlines as an iCalendar document: one all-day event per assignment, stable across fetches.

Calendar clients poll a subscribed feed and match events by UID, so an event's UID is the assignment's
own: when a projected date is confirmed (or a text moves it) the same event moves, it is not duplicated.
Projected dates (hanging on an occurrence nobody has dated yet) are TENTATIVE and say so in the title.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from icalendar import Calendar, Event

from resolute.shared.api.deadlines import DeadlineItem

PRODID = "-//Resolute//Commitment deadlines//EN"
REFRESH_INTERVAL = timedelta(hours=1)
SUMMARY_TEXT_LENGTH = 90
#: statuses after which a deadline no longer binds anyone: shown (when asked for) as cancelled events
FINISHED_STATUSES = frozenset({"completed", "not_implemented", "superseded"})


@dataclass(frozen=True)
class FeedTitle:
    """What the calendar is called in the client, and the address of its subject."""

    name: str
    description: str
    uid: str


def deadline_uid(item: DeadlineItem) -> str:
    return f"deadline-{item.assignment_id}@resolute"


def _summary(item: DeadlineItem) -> str:
    text = " ".join(item.text.split())
    if len(text) > SUMMARY_TEXT_LENGTH:
        text = text[: SUMMARY_TEXT_LENGTH - 1].rstrip() + "…"
    owner = " ".join(part for part in (item.country, item.ministry or item.body) if part)
    prefix = "(projected) " if item.projected else ""
    return f"{prefix}{text}" + (f" [{owner}]" if owner else "")


def _description(item: DeadlineItem, link: str) -> str:
    lines = [" ".join(item.text.split()), ""]
    if item.document_title:
        lines.append(f"Document: {item.document_title}")
    if item.verbatim:
        lines.append(f"Deadline in the text: {item.verbatim}")
    if item.projected:
        lines.append("Date: projected from the institution's calendar; it moves when the date is confirmed")
    owner = ", ".join(part for part in (item.country, item.ministry, item.body) if part)
    if owner:
        lines.append(f"Responsible: {owner}")
    lines.append(f"Status: {item.status.replace('_', ' ')}" + (" (overdue)" if item.overdue else ""))
    lines.append(f"Details: {link}")
    return "\n".join(lines)


def _categories(item: DeadlineItem) -> list[str]:
    found = [
        item.policy_area,
        item.series,
        "projected" if item.projected else None,
        "overdue" if item.overdue else None,
    ]
    return [c for c in found if c]


def deadline_event(item: DeadlineItem, *, link: str, stamp: datetime) -> Event:
    status = "CANCELLED" if item.status in FINISHED_STATUSES else "TENTATIVE" if item.projected else "CONFIRMED"
    return Event.new(
        uid=deadline_uid(item),
        stamp=stamp,
        start=item.date,
        end=item.date + timedelta(days=1),
        summary=_summary(item),
        description=_description(item, link),
        status=status,  # type: ignore[arg-type]
        transparency="TRANSPARENT",  # type: ignore[arg-type]
        categories=_categories(item),
        url=link,
    )


def deadline_calendar(items: Iterable[DeadlineItem], *, title: FeedTitle, link_base: str, stamp: datetime) -> Calendar:
    """The feed: every deadline once (the first seen wins), soonest first. `Calendar.new` also writes the
    X-WR-CALNAME and X-WR-CALDESC most clients still read for NAME and DESCRIPTION."""
    seen: dict[str, DeadlineItem] = {}
    for item in items:
        seen.setdefault(item.assignment_id, item)
    ordered = sorted(seen.values(), key=lambda item: (item.date, item.assignment_id))
    calendar = Calendar.new(
        prodid=PRODID,
        name=title.name,
        description=title.description,
        uid=title.uid,
        refresh_interval=REFRESH_INTERVAL,
        subcomponents=[
            deadline_event(item, link=f"{link_base}/v1/assignments/{item.assignment_id}", stamp=stamp)
            for item in ordered
        ],
    )
    calendar["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"  # RFC 7986 requires the parameter
    calendar.add("x-published-ttl", "PT1H")  # what Outlook reads (RFC 7986's REFRESH-INTERVAL is newer)
    if ordered:  # RFC 5545 wants a component; a feed with nothing due is served empty, as clients expect
        calendar.validate()
    return calendar


def feed_version(title: FeedTitle, items: Sequence[DeadlineItem]) -> str:
    """What the feed says, without when it was generated: the same deadlines give the same (weak) ETag."""
    content = [title.name, *(item.model_dump(mode="json", exclude={"days_left"}) for item in items)]
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[:32]
