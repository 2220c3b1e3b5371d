"""The commitments API's response bodies."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel

from resolute.tracker.assignments.schemas import AssignmentOut


class CommitmentOut(BaseModel):
    """A commitment as extracted, with its deadline: `deadline` is what the text says, `due_date` the date it
    resolves to (`due_projected` when it hangs on an occurrence nobody has dated yet; null while unknown)."""

    id: str
    document_id: str
    document_title: str | None
    document_kind: str
    document_number: str | None
    issuing_body: str | None
    adopted: date | None
    position: int
    label: str | None
    section: str | None
    text: str
    span: list[int] | None
    countries: list[str]
    bodies: list[str]
    ministries: list[dict[str, str]]
    policy_area: str | None
    deadline: dict[str, Any] | None
    due_date: date | None
    due_projected: bool
    deadline_series: str | None
    deadline_ordinal: int | None
    withdrawn: bool
    withdrawn_reason: str | None
    published_at: datetime
    created_at: datetime
    updated_at: datetime


class CommitmentDetail(CommitmentOut):
    assignments: list[AssignmentOut]


class CommitmentPage(BaseModel):
    items: list[CommitmentOut]
    next_cursor: str | None = None
