"""What a webhook carries: the Standard Webhooks body, and the types a subscription can ask for."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from resolute.shared.api.subscriptions import SUBSCRIBABLE_TYPES, SUBSCRIPTION_DISABLED_TYPE

__all__ = [
    "DELIVERY_NAMESPACE",
    "DIGEST_TYPE",
    "SUBSCRIBABLE_TYPES",
    "SUBSCRIPTION_DISABLED_TYPE",
    "TEST_TYPE",
    "delivery_id",
    "webhook_body",
]

DELIVERY_NAMESPACE = uuid.UUID("0b8e3f3e-7d0a-4d55-9a57-1f0f5ac3c2d1")

TEST_TYPE = "webhook.test"
DIGEST_TYPE = "digest.daily"


def webhook_body(webhook_type: str, timestamp: datetime, data: dict[str, Any]) -> bytes:
    """The Standard Webhooks body; stored once so every retry sends (and signs) the very same bytes."""
    return json.dumps(
        {"type": webhook_type, "timestamp": timestamp.isoformat(), "data": data}, separators=(",", ":")
    ).encode()


def delivery_id(subscription_id: str, event_id: str) -> str:
    """webhook-id derived from (subscription, event): a re-consumed event can never get a second id."""
    return "msg_" + uuid.uuid5(DELIVERY_NAMESPACE, f"{subscription_id}|{event_id}").hex
