"""Notifier's app factory: subscriptions API, the consumer that queues deliveries, the workers that send them."""

from __future__ import annotations

from fastapi import FastAPI

from resolute.notifier.database import messaging_tables
from resolute.notifier.deliveries.router import router as deliveries_router
from resolute.notifier.deliveries.worker import DeliveryWorker
from resolute.notifier.digests.scheduler import DigestScheduler
from resolute.notifier.messaging import build_handlers
from resolute.notifier.monitoring import NotifierMonitor
from resolute.notifier.settings import NotifierSettings
from resolute.notifier.state import NotifierState
from resolute.notifier.subscriptions.router import router as subscriptions_router
from resolute.shared.runtime import build_runtime
from resolute.shared.topics import NOTIFIER_GROUP
from resolute.shared.web.app import create_service_app
from resolute.shared.web.state import attach


def create_app(settings: NotifierSettings | None = None) -> FastAPI:
    settings = settings or NotifierSettings()
    runtime = build_runtime(settings, messaging_tables)
    runtime.consume(NOTIFIER_GROUP, build_handlers(runtime.clock))
    worker = DeliveryWorker(runtime.sessionmaker, settings, runtime.clock)
    digests = DigestScheduler(runtime.sessionmaker, settings, runtime.clock)
    monitor = NotifierMonitor(runtime.sessionmaker, settings, runtime.clock)
    runtime.workers.extend([worker, digests, monitor])
    app = create_service_app(
        title="Resolute notifier",
        description="Webhook subscriptions and signed, retried delivery (Standard Webhooks).",
        engine=runtime.engine,
        routers=[subscriptions_router, deliveries_router],
        components=runtime.components,
        readiness_checks=[runtime.readiness, monitor.readiness],
    )
    state = NotifierState(
        runtime=runtime, settings=settings, delivery_worker=worker, digest_scheduler=digests, monitor=monitor
    )
    attach(app, state)
    return app
