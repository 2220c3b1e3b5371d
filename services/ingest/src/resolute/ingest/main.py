"""Ingest's app factory: the documents and review API, the extraction workers, the outbox relay that publishes
what was extracted."""

from __future__ import annotations

from fastapi import FastAPI

from resolute.ingest.database import messaging_tables
from resolute.ingest.documents.router import router as documents_router
from resolute.ingest.review.router import router as review_router
from resolute.ingest.settings import IngestSettings
from resolute.ingest.state import IngestState
from resolute.ingest.workers import ExtractionWorkers
from resolute.shared.runtime import build_runtime
from resolute.shared.web.app import create_service_app
from resolute.shared.web.state import attach


def create_app(settings: IngestSettings | None = None) -> FastAPI:
    settings = settings or IngestSettings()
    runtime = build_runtime(settings, messaging_tables)
    workers = ExtractionWorkers(settings.extraction_processes, settings.extraction_time_budget_seconds)
    app = create_service_app(
        title="Resolute ingest",
        description=(
            "Reads resolutions and declarations, extracts their commitments and publishes them; editors review "
            "and correct them."
        ),
        engine=runtime.engine,
        routers=[documents_router, review_router],
        components=[workers, *runtime.components],
        readiness_checks=[runtime.readiness],
    )
    attach(app, IngestState(runtime=runtime, settings=settings, workers=workers))
    return app
