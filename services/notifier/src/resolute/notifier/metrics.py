"""Notifier metrics (names agreed with the ops dashboards): resolute_notifier_<what>_<unit>."""

from prometheus_client import Counter, Gauge, Histogram

WEBHOOK_ATTEMPTS = Counter(
    "resolute_notifier_webhook_attempts_total",
    "Webhook delivery attempts by outcome: success (2xx), failure, timeout, refused (address policy)",
    ["outcome"],
)
for _outcome in ("success", "failure", "timeout", "refused"):
    WEBHOOK_ATTEMPTS.labels(_outcome)  # every series exists from the start, so rate() sees the first one

DELIVERY_LATENCY = Histogram(
    "resolute_notifier_delivery_latency_seconds",
    "From the event's time to the receiver's 2xx answer",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 7200, 21600, 86400),
)
QUEUE_DEPTH = Gauge("resolute_notifier_queue_depth", "Deliveries pending (due now or waiting for a retry)")
DEAD_DELIVERIES = Counter(
    "resolute_notifier_dead_deliveries_total",
    "Deliveries given up: the last scheduled attempt failed, 410, or their subscription was disabled",
)
DISABLED_SUBSCRIPTIONS = Gauge("resolute_notifier_disabled_subscriptions", "Subscriptions currently disabled")
DIGESTS_MADE = Counter("resolute_notifier_digests_total", "Daily digests put in the delivery queue")
