"""Plumbing metrics every service exports; `job`/`service` come from the scrape config, so names stay generic.

Service-specific metrics follow `resolute_<service>_<what>_<unit>` and live in their service.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

HTTP_REQUESTS = Counter("resolute_http_requests_total", "HTTP requests served", ["method", "route", "status"])
HTTP_LATENCY = Histogram(
    "resolute_http_request_duration_seconds",
    "HTTP request latency",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
EVENTS_PUBLISHED = Counter(
    "resolute_events_published_total", "Events the outbox relay published to Kafka", ["topic", "type"]
)
OUTBOX_PUBLISH_FAILURES = Counter(
    "resolute_outbox_publish_failures_total", "Outbox relay batches that failed to publish"
)
OUTBOX_BACKLOG = Gauge("resolute_outbox_backlog_messages", "Outbox rows not yet published")
OUTBOX_OLDEST_AGE = Gauge("resolute_outbox_oldest_unsent_age_seconds", "Age of the oldest outbox row not yet published")
EVENTS_CONSUMED = Counter(
    "resolute_events_consumed_total",
    "Messages a consumer finished with, by outcome (processed, duplicate, ignored, dead_lettered)",
    ["group", "topic", "outcome"],
)
EVENT_PROCESSING = Histogram(
    "resolute_event_processing_seconds",
    "Time to handle one event, database commit included",
    ["group", "type"],
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)
CONSUMER_LAG = Gauge("resolute_consumer_lag_messages", "Messages behind the end of the topic", ["group", "topic"])
DEAD_LETTERS = Counter("resolute_dead_letters_total", "Messages sent to a dead-letter topic", ["group", "topic"])
HANDLER_RETRIES = Counter(
    "resolute_event_handler_retries_total", "Handler attempts that failed and were retried", ["group", "type"]
)
OUTBOX_REPUBLISHED = Counter(
    "resolute_outbox_republished_total", "Retained outbox rows queued again because the broker lost them"
)
CONSUMER_COMMIT_FAILURES = Counter(
    "resolute_consumer_commit_failures_total", "Offset commits that failed or got no answer in time", ["group"]
)
BROKER_LOSSES = Counter(
    "resolute_broker_data_losses_total",
    "Times the broker was found to have lost data it had (came back empty, topics gone, offsets behind)",
    ["reason"],
)
BROKER_UP = Gauge("resolute_broker_up", "1 while the broker answers the service's checks in time, else 0")
