"""The deadlines API's bodies: one item per assignment and date, self-describing (iCal feeds build on it)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel

from resolute.shared.events.catalogue import AssignmentStatus


class DeadlineOut(BaseModel):
    """When one assignment is due. `projected` dates hang on an occurrence nobody has dated yet; `kind`,
    `verbatim`, `series` and `ordinal` say what the text set (`ordinal` is a year for unnumbered series)."""

    assignment_id: str
    commitment_id: str
    document_id: str
    document_title: str | None
    country: str | None
    ministry: str | None
    body: str | None
    policy_area: str | None
    text: str
    date: date
    projected: bool
    kind: Literal["date", "month", "year", "event", "recurring"] | None
    verbatim: str | None
    series: str | None
    ordinal: int | None
    status: AssignmentStatus
    overdue: bool
    days_left: int


class DeadlinePage(BaseModel):
    items: list[DeadlineOut]
    next_cursor: str | None = None
