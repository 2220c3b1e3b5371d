"""Tracker's app factory: commitments API, the consumer that records commitments, the outbox relay."""

from __future__ import annotations

from fastapi import FastAPI

from resolute.shared.runtime import build_runtime
from resolute.shared.topics import TRACKER_GROUP
from resolute.shared.web.app import create_service_app
from resolute.tracker.commitments.router import router as commitments_router
from resolute.tracker.database import messaging_tables
from resolute.tracker.messaging import build_handlers
from resolute.tracker.settings import TrackerSettings


def create_app(settings: TrackerSettings | None = None) -> FastAPI:
    settings = settings or TrackerSettings()
    runtime = build_runtime(settings, messaging_tables)
    runtime.consume(TRACKER_GROUP, build_handlers(runtime))
    app = create_service_app(
        title="Resolute tracker",
        description="Commitment state per country and ministry, institutional calendar, deadline scheduler.",
        engine=runtime.engine,
        routers=[commitments_router],
        components=runtime.components,
        readiness_checks=[runtime.readiness],
    )
    app.state.runtime = runtime
    return app
