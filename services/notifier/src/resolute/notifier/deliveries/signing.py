"""Standard Webhooks headers for a delivery: the raw body is what is signed."""

from __future__ import annotations

from datetime import datetime

from standardwebhooks.webhooks import Webhook


def signed_headers(*, secrets: list[str], message_id: str, timestamp: datetime, body: bytes) -> dict[str, str]:
    """webhook-id, webhook-timestamp and one v1 signature per active secret (a rotation signs with both)."""
    text = body.decode()
    signatures = " ".join(Webhook(secret).sign(message_id, timestamp, text) for secret in secrets)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(timestamp.timestamp())),
        "webhook-signature": signatures,
        "content-type": "application/json",
        "user-agent": "Resolute-Webhooks/1.0",
    }
