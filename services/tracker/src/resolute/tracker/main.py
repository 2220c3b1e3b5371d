"""Tracker's app factory: its API, the consumer that records commitments, the deadline scheduler, the relay."""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from resolute.shared.actors import ActorRegistry, default_registry, load_registry
from resolute.shared.runtime import build_runtime
from resolute.shared.topics import TRACKER_GROUP
from resolute.shared.web.app import create_service_app
from resolute.shared.web.state import attach
from resolute.tracker import registry_changes
from resolute.tracker.actors.router import router as actors_router
from resolute.tracker.actors.service import ActorDirectory, ensure_registry
from resolute.tracker.assignments.router import router as assignments_router
from resolute.tracker.calendar.router import router as calendar_router
from resolute.tracker.commitments.router import router as commitments_router
from resolute.tracker.commitments.service import roll_due_dates
from resolute.tracker.context import TrackerContext
from resolute.tracker.database import messaging_tables
from resolute.tracker.deadlines.milestones import MilestonePolicy
from resolute.tracker.deadlines.router import router as deadlines_router
from resolute.tracker.deadlines.scheduler import DeadlineScheduler
from resolute.tracker.messaging import build_handlers
from resolute.tracker.metrics import GaugeRefresher
from resolute.tracker.reassignments.router import router as reassignments_router
from resolute.tracker.scorecards.router import router as scorecards_router
from resolute.tracker.settings import TrackerSettings
from resolute.tracker.state import TrackerState


def create_app(settings: TrackerSettings | None = None) -> FastAPI:
    settings = settings or TrackerSettings()
    runtime = build_runtime(settings, messaging_tables)
    seed = load_registry(settings.registry_path) if settings.registry_path else default_registry()
    ctx = TrackerContext(
        outbox=runtime.outbox,
        directory=ActorDirectory(seed),
        clock=runtime.clock,
        policy=MilestonePolicy(settings.deadline_offsets, settings.overdue_repeat_days),
    )
    scheduler = DeadlineScheduler(
        runtime.sessionmaker,
        ctx,
        roll_due_dates=roll_due_dates,
        interval=settings.scheduler_interval_seconds,
        batch_size=settings.scheduler_batch_size,
    )
    runtime.consume(TRACKER_GROUP, build_handlers(ctx))
    runtime.workers += [
        scheduler,
        GaugeRefresher(runtime.sessionmaker, runtime.clock, settings.gauges_interval_seconds),
    ]

    async def follow_seed(session: AsyncSession, before: ActorRegistry, after: ActorRegistry, revision: int) -> None:
        await registry_changes.follow_registry(session, ctx, before, after, revision, runtime.clock.now())

    async def seed_registry() -> None:
        await ensure_registry(runtime.sessionmaker, seed, now=runtime.clock.now(), follow=follow_seed)

    async def scheduler_readiness() -> dict[str, object]:
        return {
            "deadline_scheduler": "ok" if scheduler.last_error is None else f"failing: {scheduler.last_error}",
            "deadline_backlog": await scheduler.backlog(runtime.read_sessionmaker),
        }

    app = create_service_app(
        title="Resolute tracker",
        description="Commitment state per country and ministry, institutional calendar, deadline scheduler.",
        engine=runtime.engine,
        routers=[
            commitments_router,
            assignments_router,
            deadlines_router,
            calendar_router,
            actors_router,
            reassignments_router,
            scorecards_router,
        ],
        components=runtime.components,
        readiness_checks=[runtime.readiness, scheduler_readiness],
        on_startup=[seed_registry],
    )
    attach(app, TrackerState(runtime=runtime, settings=settings, context=ctx, scheduler=scheduler))
    return app
