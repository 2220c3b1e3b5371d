"""Notifier's settings: RESOLUTE_NOTIFIER_* plus the shared RESOLUTE_* ones and the contract's webhook knobs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import NoDecode

from resolute.notifier.subscriptions.address_policy import AddressPolicy, parse_networks
from resolute.shared.settings import ServiceSettings, service_env

MIGRATIONS_DIR = Path(__file__).resolve().parents[3] / "migrations"

DEFAULT_RETRY_SCHEDULE = (5, 300, 1800, 7200, 18000, 36000, 36000)
FIVE_DAYS = 5 * 24 * 3600.0


class NotifierSettings(ServiceSettings):
    service_name: str = "notifier"
    port: int = Field(default=8103, validation_alias=service_env("notifier", "port"))
    database_url: str = Field(default="", validation_alias=service_env("notifier", "database_url"))

    webhook_allow_private: bool = Field(
        default=False,
        validation_alias=AliasChoices("RESOLUTE_WEBHOOK_ALLOW_PRIVATE", "webhook_allow_private"),
        description="allow webhook URLs on loopback and private ranges (development only)",
    )
    webhook_allowed_cidrs: Annotated[tuple[str, ...], NoDecode] = Field(
        default=(),
        validation_alias=AliasChoices("RESOLUTE_WEBHOOK_ALLOWED_CIDRS", "webhook_allowed_cidrs"),
        description="comma-separated CIDRs webhooks may reach although they are not public (e.g. 10.20.0.0/16)",
    )
    webhook_retry_schedule: Annotated[tuple[float, ...], NoDecode] = Field(
        default=DEFAULT_RETRY_SCHEDULE,
        validation_alias=AliasChoices("RESOLUTE_WEBHOOK_RETRY_SCHEDULE", "webhook_retry_schedule"),
        description="seconds between delivery attempts, comma-separated; ±20 % jitter is added",
    )
    webhook_timeout_seconds: float = Field(
        default=15.0, gt=0, validation_alias=service_env("notifier", "webhook_timeout"),
        description="one attempt as a whole (DNS, connect, send, answer) is cut after this",
    )  # fmt: skip
    retry_after_max_seconds: float = Field(
        default=3600.0, ge=0, validation_alias=service_env("notifier", "retry_after_max"),
        description="a receiver's Retry-After is honoured up to this many seconds",
    )  # fmt: skip
    disable_after_seconds: float = Field(
        default=FIVE_DAYS, gt=0, validation_alias=service_env("notifier", "disable_after"),
        description="an endpoint failing without a success for this long is disabled and its owner told",
    )  # fmt: skip
    default_rate_limit: int = Field(
        default=50, ge=1, validation_alias=service_env("notifier", "default_rate_limit"),
        description="deliveries per second to one subscription unless it sets its own rate_limit",
    )  # fmt: skip
    delivery_concurrency: int = Field(default=64, ge=1, validation_alias=service_env("notifier", "concurrency"))
    max_in_flight_per_subscription: int = Field(
        default=8, ge=1, validation_alias=service_env("notifier", "max_in_flight_per_subscription"),
        description="so one slow endpoint cannot take every delivery slot",
    )  # fmt: skip
    delivery_poll_interval: float = Field(default=0.5, gt=0, validation_alias=service_env("notifier", "poll_interval"))
    secret_overlap_seconds: float = Field(
        default=24 * 3600.0, ge=0, validation_alias=service_env("notifier", "secret_overlap"),
        description="after a rotation the previous secret keeps signing this long",
    )  # fmt: skip
    digest_hour: int = Field(default=6, ge=0, le=23, validation_alias=service_env("notifier", "digest_hour"))
    digest_timezone: str = Field(default="UTC", validation_alias=service_env("notifier", "digest_timezone"))
    digest_interval: float = Field(default=30.0, gt=0, validation_alias=service_env("notifier", "digest_interval"))
    monitor_interval: float = Field(default=5.0, gt=0, validation_alias=service_env("notifier", "monitor_interval"))
    retention_days: int = Field(
        default=30, ge=1, validation_alias=service_env("notifier", "retention_days"),
        description="finished deliveries, their attempts and notices are kept this long",
    )  # fmt: skip

    @field_validator("webhook_retry_schedule", mode="before")
    @classmethod
    def _parse_schedule(cls, value: object) -> object:
        if isinstance(value, str):
            try:
                value = tuple(float(part) for part in value.split(",") if part.strip())
            except ValueError as exc:
                raise ValueError("RESOLUTE_WEBHOOK_RETRY_SCHEDULE must be comma-separated seconds") from exc
        if isinstance(value, tuple | list) and any(float(p) < 0 for p in value):
            raise ValueError("RESOLUTE_WEBHOOK_RETRY_SCHEDULE must not be negative")
        return value

    @field_validator("webhook_allowed_cidrs", mode="before")
    @classmethod
    def _parse_cidrs(cls, value: object) -> object:
        if isinstance(value, str):
            value = tuple(part.strip() for part in value.split(",") if part.strip())
        if isinstance(value, tuple | list):
            try:
                parse_networks(value)
            except ValueError as exc:
                raise ValueError(f"RESOLUTE_WEBHOOK_ALLOWED_CIDRS: {exc}") from exc
        return value

    @field_validator("digest_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"{value!r} is not an IANA time zone (e.g. Europe/Tallinn)") from exc
        return value

    def address_policy(self) -> AddressPolicy:
        return AddressPolicy(
            allow_private=self.webhook_allow_private, allowed_networks=parse_networks(self.webhook_allowed_cidrs)
        )
