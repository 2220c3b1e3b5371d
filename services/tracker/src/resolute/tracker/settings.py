"""Tracker's settings: RESOLUTE_TRACKER_* plus the shared RESOLUTE_* ones."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from resolute.shared.settings import ServiceSettings, service_env

MIGRATIONS_DIR = Path(__file__).resolve().parents[3] / "migrations"


class TrackerSettings(ServiceSettings):
    service_name: str = "tracker"
    port: int = Field(default=8102, validation_alias=service_env("tracker", "port"))
    database_url: str = Field(default="", validation_alias=service_env("tracker", "database_url"))
