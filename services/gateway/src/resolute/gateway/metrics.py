"""The gateway's own metrics (the HTTP request metrics come from the shared app factory)."""

from __future__ import annotations

from prometheus_client import Counter

RATE_LIMITED = Counter(
    "resolute_gateway_rate_limited_total", "Requests refused with 429 because a key ran over its limit"
)
UPSTREAM_ERRORS = Counter(
    "resolute_gateway_upstream_errors_total",
    "Calls to a service that failed: not answering, timed out, or a 5xx answer",
    ["service"],
)
