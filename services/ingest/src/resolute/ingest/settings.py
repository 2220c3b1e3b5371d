"""Ingest's settings: RESOLUTE_INGEST_* plus the shared RESOLUTE_* ones."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from resolute.shared.settings import ServiceSettings, service_env

MIGRATIONS_DIR = Path(__file__).resolve().parents[3] / "migrations"


class IngestSettings(ServiceSettings):
    service_name: str = "ingest"
    port: int = Field(default=8101, validation_alias=service_env("ingest", "port"))
    database_url: str = Field(default="", validation_alias=service_env("ingest", "database_url"))
    max_document_bytes: int = Field(
        default=20 * 1024 * 1024, validation_alias=service_env("ingest", "max_document_bytes")
    )
