"""Webhook subscriptions and their delivery logs as the public API shows them (served by notifier)."""

from __future__ import annotations

import ipaddress
import re
from datetime import datetime
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

from resolute.shared.api.lists import Filters, ListQuery, Page
from resolute.shared.events.catalogue import WEBHOOK_EVENT_TYPES

Mode = Literal["immediate", "daily_digest"]
DeliveryStatus = Literal["pending", "succeeded", "dead"]
SUBSCRIPTION_DISABLED_TYPE = "subscription.disabled"
_MINISTRY = re.compile(r"^([A-Z]{2}:)?[a-z][a-z0-9-]*$")

#: the webhook types a subscription may ask for (the gateway and the notifier refuse any other): the catalogue's
#: public events, and the notifier's own notice that a subscription was disabled
SUBSCRIBABLE_TYPES: tuple[str, ...] = tuple(sorted({*WEBHOOK_EVENT_TYPES, SUBSCRIPTION_DISABLED_TYPE}))


def _known_types(value: list[str]) -> list[str]:
    unknown = sorted(set(value) - set(SUBSCRIBABLE_TYPES))
    if unknown:
        raise ValueError(f"unknown event types {unknown}; known: {list(SUBSCRIBABLE_TYPES)}")
    return sorted(set(value))


_EVENT_TYPES_DESCRIPTION = f"empty means every event type; known: {', '.join(SUBSCRIBABLE_TYPES)}"


_HOST_LABEL = re.compile(r"(?!-)[a-z0-9_-]{1,63}(?<!-)")


def _canonical_host(host: str) -> None:
    """A host as a person reads it: an IP literal, or dot-separated labels of letters, digits and hyphens (an
    international name in its IDNA form); percent-escapes, spaces and empty labels are refused."""
    if host.startswith("["):
        try:
            ipaddress.IPv6Address(host[1:-1] if host.endswith("]") else "not")
        except ValueError:
            raise ValueError(f"{host!r} is not an IPv6 address") from None
        return
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise ValueError(f"{host!r} is not a host name") from None
    labels = ascii_host.lower().rstrip(".").split(".")
    if not all(_HOST_LABEL.fullmatch(label) for label in labels):
        raise ValueError(
            f"{host!r} is not a host name: letters, digits, hyphens, underscores and dots only (no escapes)"
        )


def webhook_url(url: str) -> str:
    """A webhook URL read the same by every parser: http(s), a canonical host, no credentials, no fragment, no
    space or control character anywhere. Where the host resolves is the notifier's check, when saving and
    before each delivery."""
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        raise ValueError("the webhook URL holds a space or a control character; percent-encode it in the path")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"the webhook URL cannot be read: {exc}") from None
    if parts.scheme not in ("http", "https"):
        raise ValueError("webhook URLs use http or https")
    if "@" in parts.netloc:
        raise ValueError("webhook URLs must not carry credentials")
    if parts.fragment or url.endswith("#"):
        raise ValueError("a webhook URL has no fragment (`#...`): a server never sees it")
    host = parts.netloc.rsplit(":", 1)[0] if port is not None or parts.netloc.endswith(":") else parts.netloc
    if not host:
        raise ValueError("the webhook URL has no host")
    _canonical_host(host)
    if port == 0:
        raise ValueError("port 0 is not a port")
    return url


WebhookUrl = Annotated[
    str,
    Field(min_length=1, max_length=2000, description="http(s) endpoint; internal addresses are refused"),
    AfterValidator(webhook_url),
]


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


class SubscriptionIn(BaseModel):
    """A new webhook subscription."""

    model_config = ConfigDict(extra="forbid")

    url: WebhookUrl
    event_types: list[str] = Field(default_factory=list, description=_EVENT_TYPES_DESCRIPTION)
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

    url: WebhookUrl | None = None
    event_types: list[str] | None = Field(default=None, description=_EVENT_TYPES_DESCRIPTION)
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
    """A subscription (its secret is never shown again after creation or rotation)."""

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
    """A new subscription, with the secret its deliveries are signed with."""

    secret: str = Field(description="whsec_ secret; shown once, keep it to verify signatures")


class SubscriptionPage(Page[SubscriptionOut]):
    """Subscriptions, oldest first."""


class SecretRotated(BaseModel):
    """A new signing secret; the previous one signs alongside it for a while."""

    secret: str = Field(description="the new whsec_ secret; shown once")
    previous_secret_expires_at: datetime | None = Field(
        description="until then deliveries carry a signature with the previous secret too"
    )


class NoticeOut(BaseModel):
    """Something the owner should know about a subscription (e.g. it was disabled after failing for long)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    owner: str | None
    subscription_id: str
    kind: str
    detail: str
    created_at: datetime


class NoticePage(Page[NoticeOut]):
    """Notices, newest first."""


class DigestPreview(BaseModel):
    """What the next daily digest holds so far, and when it is sent."""

    mode: Mode
    waiting: int = Field(description="events waiting for the next digest")
    next_send_at: datetime


class AttemptOut(BaseModel):
    """One attempt to deliver: its outcome and the receiver's answer."""

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
    """One event delivered (or being delivered) to one subscription, with every attempt."""

    id: str = Field(description="the webhook-id: the same on every attempt and replay")
    subscription_id: str
    event_id: str
    event_type: str
    status: DeliveryStatus
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
    """One delivery with the body it sends."""

    payload: dict[str, Any] = Field(description="the body as sent (and signed)")


class DeliveryPage(Page[DeliveryOut]):
    """Deliveries, newest first."""


class DeliveryQueued(BaseModel):
    """A delivery queued to be sent now."""

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
    """How many dead deliveries were queued again."""

    requeued: int


OwnerFilter = Annotated[
    str | None, Field(max_length=200, description="admins: only this owner's (`key:<id>` or `ministry:CC:slug`)")
]


class SubscriptionQuery(ListQuery):
    """`GET /v1/subscriptions`: your subscriptions (an admin's: everyone's, or one owner's)."""

    owner: OwnerFilter = None
    enabled: bool | None = None


class NoticeQuery(ListQuery):
    """`GET /v1/subscriptions/notices`: notices about your subscriptions, newest first."""

    owner: OwnerFilter = None


class DeliveryFilters(Filters):
    """Which deliveries of a subscription."""

    status: DeliveryStatus | None = None
    event_type: str | None = Field(default=None, max_length=100, description="one of the subscribable types")

    @field_validator("event_type")
    @classmethod
    def _known_type(cls, value: str | None) -> str | None:
        return value if value is None else _known_types([value])[0]


class DeliveryQuery(DeliveryFilters, ListQuery):
    """`GET /v1/subscriptions/{id}/deliveries`: the delivery log, newest first."""


class DeadLetterQuery(ListQuery):
    """`GET /v1/subscriptions/{id}/dead-letters`: deliveries given up, newest first."""
