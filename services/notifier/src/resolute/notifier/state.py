"""What the notifier's app holds, typed: its runtime, settings and the workers behind the API."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from resolute.notifier.deliveries.worker import DeliveryWorker
from resolute.notifier.digests.scheduler import DigestScheduler
from resolute.notifier.monitoring import NotifierMonitor
from resolute.notifier.settings import NotifierSettings
from resolute.shared.web.state import ServiceState, state_of


@dataclass
class NotifierState(ServiceState):
    settings: NotifierSettings
    delivery_worker: DeliveryWorker
    digest_scheduler: DigestScheduler
    monitor: NotifierMonitor


def notifier_state(request: Request) -> NotifierState:
    return state_of(request, NotifierState)
