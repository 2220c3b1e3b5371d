"""Notifier metrics: resolute_notifier_<what>_<unit>."""

from prometheus_client import Counter, Histogram

WEBHOOK_ATTEMPTS = Counter(
    "resolute_notifier_webhook_attempts_total", "Webhook delivery attempts by outcome", ["outcome"]
)
WEBHOOK_LATENCY = Histogram(
    "resolute_notifier_delivery_latency_seconds",
    "From the event's time to a 2xx answer",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 7200, 86400),
)
WEBHOOK_DEAD_LETTERS = Counter(
    "resolute_notifier_dead_deliveries_total", "Deliveries given up after the last scheduled attempt"
)
