"""The subscriptions API's bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from resolute.shared.events.catalogue import WEBHOOK_EVENT_TYPES


class SubscriptionFilter(BaseModel):
    """Only events matching every given dimension are delivered; a dimension an event lacks does not exclude it."""

    model_config = ConfigDict(extra="forbid")

    countries: list[str] = Field(default_factory=list)
    ministries: list[str] = Field(default_factory=list, description="'defence' (any country) or 'EE:defence'")
    policy_areas: list[str] = Field(default_factory=list)
    documents: list[str] = Field(default_factory=list)

    @field_validator("countries")
    @classmethod
    def _countries(cls, value: list[str]) -> list[str]:
        for code in value:
            if len(code) != 2 or not code.isalpha():
                raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 country code")
        return [c.upper() for c in value]


class SubscriptionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(max_length=2000)
    event_types: list[str] = Field(default_factory=list, description="empty means every event type")
    filter: SubscriptionFilter = Field(default_factory=SubscriptionFilter)
    mode: Literal["immediate", "daily_digest"] = "immediate"
    description: str | None = Field(default=None, max_length=500)

    @field_validator("event_types")
    @classmethod
    def _known_types(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(WEBHOOK_EVENT_TYPES))
        if unknown:
            raise ValueError(f"unknown event types {unknown}; known: {list(WEBHOOK_EVENT_TYPES)}")
        return value


class SubscriptionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    url: str
    event_types: list[str]
    filter: SubscriptionFilter
    mode: str
    owner: str | None
    enabled: bool
    description: str | None
    created_at: datetime
    updated_at: datetime


class SubscriptionCreated(SubscriptionOut):
    secret: str = Field(description="whsec_ secret; shown once, keep it to verify signatures")
