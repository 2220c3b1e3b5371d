"""Gateway settings: where the services are, the bootstrap admin key, limits."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field

from resolute.shared.settings import ServiceSettings, service_env

MIGRATIONS_DIR = Path(__file__).resolve().parents[3] / "migrations"


class GatewaySettings(ServiceSettings):
    service_name: str = "gateway"
    port: int = Field(default=8000, validation_alias=AliasChoices("RESOLUTE_GATEWAY_PORT", "port"))
    database_url: str = Field(default="", validation_alias=service_env("gateway", "database_url"))
    admin_key: str | None = Field(
        default=None,
        validation_alias=AliasChoices("RESOLUTE_ADMIN_KEY", "admin_key"),
        description="bootstraps the first admin API key on a fresh stack",
    )
    ingest_url: str = Field(default="http://127.0.0.1:8101", validation_alias=service_env("gateway", "ingest_url"))
    tracker_url: str = Field(default="http://127.0.0.1:8102", validation_alias=service_env("gateway", "tracker_url"))
    notifier_url: str = Field(default="http://127.0.0.1:8103", validation_alias=service_env("gateway", "notifier_url"))
    upstream_timeout_seconds: float = Field(default=30.0, validation_alias=service_env("gateway", "upstream_timeout"))
    max_body_bytes: int = Field(default=20 * 1024 * 1024, validation_alias=service_env("gateway", "max_body_bytes"))

    @property
    def public_base_url(self) -> str:
        return f"http://{self.host}:{self.port}"
