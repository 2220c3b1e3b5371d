"""Tracker's settings: RESOLUTE_TRACKER_* plus the shared RESOLUTE_* ones."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, field_validator
from pydantic_settings import NoDecode

from resolute.shared.settings import ServiceSettings, service_env

MIGRATIONS_DIR = Path(__file__).resolve().parents[3] / "migrations"


class TrackerSettings(ServiceSettings):
    service_name: str = "tracker"
    port: int = Field(default=8102, validation_alias=service_env("tracker", "port"))
    database_url: str = Field(default="", validation_alias=service_env("tracker", "database_url"))
    deadline_offsets: Annotated[tuple[int, ...], NoDecode] = Field(
        default=(90, 30, 7, 1),
        validation_alias=service_env("tracker", "deadline_offsets"),
        description="days before a deadline at which deadline.approaching fires, e.g. 90,30,7,1",
    )
    overdue_repeat_days: int = Field(
        default=7, ge=1, validation_alias=service_env("tracker", "overdue_repeat_days"),
        description="deadline.overdue repeats every this many days until the assignment is closed",
    )  # fmt: skip
    scheduler_interval_seconds: float = Field(
        default=30.0, gt=0, validation_alias=service_env("tracker", "scheduler_interval"),
        description="how often the deadline scheduler looks for due milestones (it is also woken by changes)",
    )  # fmt: skip
    scheduler_batch_size: int = Field(default=500, ge=1, validation_alias=service_env("tracker", "scheduler_batch"))
    gauges_interval_seconds: float = Field(
        default=15.0, gt=0, validation_alias=service_env("tracker", "gauges_interval")
    )
    registry_path: Path | None = Field(
        default=None,
        validation_alias=service_env("tracker", "registry_path"),
        description="a registry YAML to seed from instead of the one shipped with the code",
    )

    @field_validator("deadline_offsets", mode="before")
    @classmethod
    def _offsets(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [part for part in value.replace(" ", "").split(",") if part]
        offsets = tuple(int(v) for v in value)
        if any(v <= 0 for v in offsets):
            raise ValueError("deadline offsets are whole days before the deadline, each above 0")
        return tuple(sorted(set(offsets), reverse=True))
