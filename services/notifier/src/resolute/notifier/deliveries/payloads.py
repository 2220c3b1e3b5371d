"""What a webhook carries: the Standard Webhooks body, and the types a subscription can ask for."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from resolute.shared.events.catalogue import EVENT_CATALOGUE
from resolute.shared.topics import NOTIFIER_GROUP

DELIVERY_NAMESPACE = uuid.UUID("0b8e3f3e-7d0a-4d55-9a57-1f0f5ac3c2d1")

TEST_TYPE = "webhook.test"
DIGEST_TYPE = "digest.daily"
SUBSCRIPTION_DISABLED_TYPE = "subscription.disabled"


def _version(event_type: str) -> tuple[str, int]:
    head, _, tail = event_type.rpartition(".")
    return (head, int(tail[1:])) if tail.startswith("v") and tail[1:].isdigit() else (event_type, 0)


def delivered_event_types() -> dict[str, str]:
    """Catalogue type -> webhook type, for the newest version of each type on the notifier's topics.

    When a `.v2` is published alongside `.v1`, subscribers get it once (from the newest), not twice.
    """
    newest: dict[str, tuple[int, str]] = {}
    for event_type, spec in EVENT_CATALOGUE.items():
        if spec.topic.name not in NOTIFIER_GROUP.topics:
            continue
        webhook_type, version = _version(event_type)
        if webhook_type not in newest or version > newest[webhook_type][0]:
            newest[webhook_type] = (version, event_type)
    return {event_type: webhook_type for webhook_type, (_, event_type) in newest.items()}


SUBSCRIBABLE_TYPES: tuple[str, ...] = tuple(sorted({*delivered_event_types().values(), SUBSCRIPTION_DISABLED_TYPE}))


def webhook_body(webhook_type: str, timestamp: datetime, data: dict[str, Any]) -> bytes:
    """The Standard Webhooks body; stored once so every retry sends (and signs) the very same bytes."""
    return json.dumps(
        {"type": webhook_type, "timestamp": timestamp.isoformat(), "data": data}, separators=(",", ":")
    ).encode()


def delivery_id(subscription_id: str, event_id: str) -> str:
    """webhook-id derived from (subscription, event): a re-consumed event can never get a second id."""
    return "msg_" + uuid.uuid5(DELIVERY_NAMESPACE, f"{subscription_id}|{event_id}").hex
