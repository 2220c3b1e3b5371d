"""The delivery log's bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator


class AttemptOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    attempt: int
    attempted_at: datetime
    outcome: Literal["success", "failure", "timeout", "refused"]
    status_code: int | None
    duration_ms: float | None
    response_body: str | None = Field(description="the start of the receiver's answer (truncated)")
    error: str | None
    next_attempt_at: datetime | None


class DeliveryOut(BaseModel):
    id: str = Field(description="the webhook-id: the same on every attempt and replay")
    subscription_id: str
    event_id: str
    event_type: str
    status: Literal["pending", "succeeded", "dead"]
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    event_time: datetime
    created_at: datetime
    delivered_at: datetime | None
    dead_at: datetime | None
    attempt_log: list[AttemptOut]


class DeliveryDetail(DeliveryOut):
    payload: dict[str, Any] = Field(description="the body as sent (and signed)")


class DeliveryPage(BaseModel):
    items: list[DeliveryOut]
    next_cursor: str | None = None


class DeliveryQueued(BaseModel):
    delivery_id: str
    status: str


class RecoverIn(BaseModel):
    """Re-send every dead delivery created in [since, until)."""

    model_config = ConfigDict(extra="forbid")

    since: AwareDatetime
    until: AwareDatetime | None = None

    @model_validator(mode="after")
    def _ordered(self) -> RecoverIn:
        if self.until is not None and self.until <= self.since:
            raise ValueError("until must be after since")
        return self


class RecoverOut(BaseModel):
    requeued: int
