"""Ingest's settings: RESOLUTE_INGEST_* plus the shared RESOLUTE_* ones."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field

from resolute.ingest.formats.limits import DEFAULT_LIMITS, ReadLimits
from resolute.shared.settings import ServiceSettings, service_env

MIGRATIONS_DIR = Path(__file__).resolve().parents[3] / "migrations"


def default_processes() -> int:
    """One extraction worker per core the service may use, at least one and at most four."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(4, usable))


class IngestSettings(ServiceSettings):
    service_name: str = "ingest"
    port: int = Field(default=8101, validation_alias=service_env("ingest", "port"))
    database_url: str = Field(default="", validation_alias=service_env("ingest", "database_url"))
    max_document_bytes: int = Field(
        default=20 * 1024 * 1024, validation_alias=service_env("ingest", "max_document_bytes")
    )
    max_pages: int = Field(default=DEFAULT_LIMITS.max_pages, gt=0, validation_alias=service_env("ingest", "max_pages"))
    max_decompressed_bytes: int = Field(
        default=DEFAULT_LIMITS.max_decompressed_bytes,
        gt=0,
        validation_alias=service_env("ingest", "max_decompressed_bytes"),
    )
    max_compression_ratio: int = Field(
        default=DEFAULT_LIMITS.max_compression_ratio,
        gt=0,
        validation_alias=service_env("ingest", "max_compression_ratio"),
    )
    max_text_chars: int = Field(
        default=DEFAULT_LIMITS.max_text_chars, gt=0, validation_alias=service_env("ingest", "max_text_chars")
    )
    max_nesting_depth: int = Field(
        default=DEFAULT_LIMITS.max_nesting_depth, gt=0, validation_alias=service_env("ingest", "max_nesting_depth")
    )
    extraction_time_budget_seconds: float = Field(
        default=20.0,
        gt=0,
        le=600,
        validation_alias=service_env("ingest", "extraction_time_budget_seconds"),
        description="an upload whose reading and extraction run longer is stopped: a 422, nothing stored",
    )
    extraction_processes: int = Field(
        default_factory=default_processes,
        ge=1,
        le=64,
        validation_alias=service_env("ingest", "extraction_processes"),
        description="worker processes reading and extracting uploads (default: one per usable core, at most 4)",
    )

    @property
    def read_limits(self) -> ReadLimits:
        """The bounds on what an upload may expand to while it is read (pages, inflated bytes, text, nesting)."""
        return ReadLimits(
            max_pages=self.max_pages,
            max_decompressed_bytes=self.max_decompressed_bytes,
            max_compression_ratio=self.max_compression_ratio,
            max_text_chars=self.max_text_chars,
            max_nesting_depth=self.max_nesting_depth,
        )
