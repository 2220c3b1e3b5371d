"""Notifier's settings: RESOLUTE_NOTIFIER_* plus the shared RESOLUTE_* ones and the contract's webhook knobs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import NoDecode

from resolute.shared.settings import ServiceSettings, service_env

MIGRATIONS_DIR = Path(__file__).resolve().parents[3] / "migrations"

DEFAULT_RETRY_SCHEDULE = (5, 300, 1800, 7200, 18000, 36000, 36000)


class NotifierSettings(ServiceSettings):
    service_name: str = "notifier"
    port: int = Field(default=8103, validation_alias=service_env("notifier", "port"))
    database_url: str = Field(default="", validation_alias=service_env("notifier", "database_url"))
    webhook_allow_private: bool = Field(
        default=False,
        validation_alias=AliasChoices("RESOLUTE_WEBHOOK_ALLOW_PRIVATE", "webhook_allow_private"),
        description="allow webhook URLs on loopback and private ranges (development only)",
    )
    webhook_retry_schedule: Annotated[tuple[float, ...], NoDecode] = Field(
        default=DEFAULT_RETRY_SCHEDULE,
        validation_alias=AliasChoices("RESOLUTE_WEBHOOK_RETRY_SCHEDULE", "webhook_retry_schedule"),
        description="seconds between delivery attempts, comma-separated",
    )
    webhook_timeout_seconds: float = Field(default=15.0, validation_alias=service_env("notifier", "webhook_timeout"))
    delivery_poll_interval: float = Field(default=0.5, validation_alias=service_env("notifier", "poll_interval"))

    @field_validator("webhook_retry_schedule", mode="before")
    @classmethod
    def _parse_schedule(cls, value: object) -> object:
        if isinstance(value, str):
            try:
                parsed = tuple(float(part) for part in value.split(",") if part.strip())
            except ValueError as exc:
                raise ValueError("RESOLUTE_WEBHOOK_RETRY_SCHEDULE must be comma-separated seconds") from exc
            if any(p < 0 for p in parsed):
                raise ValueError("RESOLUTE_WEBHOOK_RETRY_SCHEDULE must not be negative")
            return parsed
        return value
