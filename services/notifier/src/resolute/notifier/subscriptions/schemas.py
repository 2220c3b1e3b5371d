"""The subscriptions API's bodies. The public models live in `resolute.shared.api.subscriptions`, so the
gateway documents and validates exactly what is served."""

from __future__ import annotations

from resolute.shared.api.subscriptions import (
    Mode,
    NoticeOut,
    NoticePage,
    SecretRotated,
    SubscriptionCreated,
    SubscriptionFilter,
    SubscriptionIn,
    SubscriptionOut,
    SubscriptionPage,
    SubscriptionUpdate,
)

__all__ = [
    "Mode",
    "NoticeOut",
    "NoticePage",
    "SecretRotated",
    "SubscriptionCreated",
    "SubscriptionFilter",
    "SubscriptionIn",
    "SubscriptionOut",
    "SubscriptionPage",
    "SubscriptionUpdate",
]
