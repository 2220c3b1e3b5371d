"""The delivery log's bodies. The public models live in `resolute.shared.api.subscriptions`, so the gateway
documents and validates exactly what is served."""

from __future__ import annotations

from resolute.shared.api.subscriptions import (
    AttemptOut,
    DeliveryDetail,
    DeliveryOut,
    DeliveryPage,
    DeliveryQueued,
    RecoverIn,
    RecoverOut,
)

__all__ = ["AttemptOut", "DeliveryDetail", "DeliveryOut", "DeliveryPage", "DeliveryQueued", "RecoverIn", "RecoverOut"]
