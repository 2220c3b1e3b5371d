"""One settings base for every service, so the contract's RESOLUTE_* variables mean the same everywhere."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

_PLACEHOLDER_SECRETS = {"", "changeme", "change-me", "secret", "admin"}


def _env(name: str) -> AliasChoices:
    """Accept the field by its project-wide RESOLUTE_* name and by its own name (in code and tests)."""
    return AliasChoices(f"RESOLUTE_{name.upper()}", name)


def service_env(service: str, name: str) -> AliasChoices:
    """A service's own setting: RESOLUTE_<SERVICE>_<NAME> in the environment, `name` in code."""
    return AliasChoices(f"RESOLUTE_{service.upper()}_{name.upper()}", name)


class ServiceSettings(BaseSettings):
    """Settings every service shares; subclasses add their own under RESOLUTE_<SERVICE>_*."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    environment: Literal["development", "test", "production"] = Field(
        default="development", validation_alias=_env("environment")
    )
    data_dir: Path = Field(default=Path(".resolute"), validation_alias=_env("data_dir"))
    kafka_bootstrap_servers: str = Field(default="127.0.0.1:9092", validation_alias=_env("kafka_bootstrap_servers"))
    kafka_create_topics: bool = Field(
        default=True,
        validation_alias=_env("kafka_create_topics"),
        description="Create the declared topics at start-up (the embedded stack); production declares them.",
    )
    kafka_session_timeout_ms: int = Field(default=10_000, validation_alias=_env("kafka_session_timeout_ms"))
    kafka_commit_timeout_seconds: float = Field(
        default=5.0,
        gt=0,
        validation_alias=_env("kafka_commit_timeout_seconds"),
        description="An offset commit with no answer by then counts as failed; the consumer rejoins its group.",
    )
    broker_check_interval_seconds: float = Field(
        default=2.0,
        gt=0,
        validation_alias=_env("broker_check_interval_seconds"),
        description="How often the broker watch checks that the broker answers and still has its topics and data.",
    )
    broker_check_timeout_seconds: float = Field(
        default=3.0,
        gt=0,
        validation_alias=_env("broker_check_timeout_seconds"),
        description="A broker that does not answer a check within this is reported unavailable.",
    )
    outbox_retention_days: float = Field(
        default=7.0,
        gt=0,
        validation_alias=_env("outbox_retention_days"),
        description="Sent outbox rows are kept this long, to publish again what a broker lost; then pruned.",
    )
    outbox_prune_interval_seconds: float = Field(
        default=3600.0, gt=0, validation_alias=_env("outbox_prune_interval_seconds")
    )
    now: datetime | None = Field(
        default=None,
        validation_alias=_env("now"),
        description="The instant the service takes as 'now' at start-up; the clock runs on from it.",
    )
    log_level: str = Field(default="INFO", validation_alias=_env("log_level"))
    log_format: Literal["json", "console"] = Field(default="json", validation_alias=_env("log_format"))
    host: str = Field(default="127.0.0.1", validation_alias=_env("host"))
    port: int = 8100
    database_url: str = ""

    service_name: str = "service"

    @field_validator("now")
    @classmethod
    def _now_is_aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("RESOLUTE_NOW needs a time zone, e.g. 2026-11-20T09:00:00Z")
        return value

    @model_validator(mode="after")
    def _defaults_from_data_dir(self) -> ServiceSettings:
        if not self.database_url:
            self.database_url = f"sqlite+aiosqlite:///{self.data_dir.resolve() / (self.service_name + '.db')}"
        return self

    def refuse_placeholder(self, name: str, value: str) -> None:
        """Outside development a secret must be real (full-stack-fastapi-template's rule)."""
        if self.environment == "production" and value.strip().lower() in _PLACEHOLDER_SECRETS:
            raise ValueError(f"{name} must be set to a real secret in production")
