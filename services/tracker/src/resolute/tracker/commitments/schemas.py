"""The commitments API's response bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class AssignmentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    commitment_id: str
    country: str | None
    ministry: str | None
    body: str | None
    role: str
    status: str
    created_at: datetime
    updated_at: datetime


class CommitmentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    document_id: str
    document_title: str | None
    document_kind: str
    document_number: str | None
    position: int
    label: str | None
    section: str | None
    text: str
    countries: list[str]
    bodies: list[str]
    ministries: list[dict[str, str]]
    policy_area: str | None
    deadline: dict[str, Any] | None
    published_at: datetime
    created_at: datetime


class CommitmentDetail(CommitmentOut):
    assignments: list[AssignmentOut]


class CommitmentPage(BaseModel):
    items: list[CommitmentOut]
    next_cursor: str | None = None


class AssignmentPage(BaseModel):
    items: list[AssignmentOut]
    next_cursor: str | None = None
