"""The subscriptions API's bodies."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from resolute.notifier.deliveries.payloads import SUBSCRIBABLE_TYPES

Mode = Literal["immediate", "daily_digest"]
_MINISTRY = re.compile(r"^([A-Z]{2}:)?[a-z][a-z0-9-]*$")


class SubscriptionFilter(BaseModel):
    """Only events matching every given dimension are delivered; a dimension an event type lacks does not apply."""

    model_config = ConfigDict(extra="forbid")

    countries: list[str] = Field(default_factory=list, max_length=100, description="ISO 3166-1 alpha-2, e.g. EE")
    ministries: list[str] = Field(
        default_factory=list, max_length=200, description="'defence' (any country) or 'EE:defence'"
    )
    policy_areas: list[str] = Field(default_factory=list, max_length=100)
    documents: list[str] = Field(default_factory=list, max_length=1000, description="document ids")

    @field_validator("countries")
    @classmethod
    def _countries(cls, value: list[str]) -> list[str]:
        for code in value:
            if len(code) != 2 or not code.isalpha():
                raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 country code")
        return sorted({c.upper() for c in value})

    @field_validator("ministries")
    @classmethod
    def _ministries(cls, value: list[str]) -> list[str]:
        normalised = []
        for ministry in value:
            country, _, slug = ministry.rpartition(":")
            candidate = f"{country.upper()}:{slug}" if country else slug
            if not _MINISTRY.match(candidate):
                raise ValueError(f"{ministry!r} is not a ministry; use a slug like 'defence' or 'EE:defence'")
            normalised.append(candidate)
        return sorted(set(normalised))


def _known_types(value: list[str]) -> list[str]:
    unknown = sorted(set(value) - set(SUBSCRIBABLE_TYPES))
    if unknown:
        raise ValueError(f"unknown event types {unknown}; known: {list(SUBSCRIBABLE_TYPES)}")
    return sorted(set(value))


class SubscriptionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(max_length=2000, description="http(s) endpoint; internal addresses are refused")
    event_types: list[str] = Field(default_factory=list, description="empty means every event type")
    filter: SubscriptionFilter = Field(default_factory=SubscriptionFilter)
    mode: Mode = Field(default="immediate", description="one message per event, or one daily digest")
    enabled: bool = True
    rate_limit: int | None = Field(
        default=None, ge=1, le=10_000, description="deliveries per second at most (default: the service's)"
    )
    description: str | None = Field(default=None, max_length=500)

    @field_validator("event_types")
    @classmethod
    def _types(cls, value: list[str]) -> list[str]:
        return _known_types(value)


class SubscriptionUpdate(BaseModel):
    """A partial update: only the fields given change. Enabling a disabled subscription clears its failure."""

    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(default=None, max_length=2000)
    event_types: list[str] | None = None
    filter: SubscriptionFilter | None = None
    mode: Mode | None = None
    enabled: bool | None = None
    rate_limit: int | None = Field(default=None, ge=1, le=10_000)
    description: str | None = Field(default=None, max_length=500)

    @field_validator("event_types")
    @classmethod
    def _types(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _known_types(value)


class SubscriptionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    url: str
    event_types: list[str]
    filter: SubscriptionFilter
    mode: Mode
    owner: str | None
    enabled: bool
    disabled_reason: str | None
    disabled_at: datetime | None
    failing_since: datetime | None
    rate_limit: int | None
    description: str | None
    created_at: datetime
    updated_at: datetime


class SubscriptionCreated(SubscriptionOut):
    secret: str = Field(description="whsec_ secret; shown once, keep it to verify signatures")


class SubscriptionPage(BaseModel):
    items: list[SubscriptionOut]
    next_cursor: str | None = None


class SecretRotated(BaseModel):
    secret: str = Field(description="the new whsec_ secret; shown once")
    previous_secret_expires_at: datetime | None = Field(
        description="until then deliveries carry a signature with the previous secret too"
    )


class NoticeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    owner: str | None
    subscription_id: str
    kind: str
    detail: str
    created_at: datetime


class NoticePage(BaseModel):
    items: list[NoticeOut]
    next_cursor: str | None = None
