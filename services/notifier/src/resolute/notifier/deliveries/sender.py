"""One HTTP attempt: POST the signed body, no redirects, bounded time; report what happened."""

from __future__ import annotations

import time
from dataclasses import dataclass

import httpx

from resolute.notifier.deliveries.signing import signed_headers
from resolute.shared.clock import utcnow

RESPONSE_BODY_LIMIT = 1024


@dataclass
class AttemptResult:
    ok: bool
    status_code: int | None
    duration_ms: float
    response_body: str | None
    error: str | None
    retry_after: float | None = None


def parse_retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        from email.utils import parsedate_to_datetime

        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return max(0.0, (when - utcnow()).total_seconds())


async def send_webhook(
    client: httpx.AsyncClient, *, url: str, message_id: str, body: bytes, secrets: list[str]
) -> AttemptResult:
    headers = signed_headers(secrets=secrets, message_id=message_id, timestamp=utcnow(), body=body)
    started = time.perf_counter()
    try:
        response = await client.post(url, content=body, headers=headers, follow_redirects=False)
    except httpx.TimeoutException:
        return AttemptResult(False, None, (time.perf_counter() - started) * 1000, None, "timeout")
    except httpx.HTTPError as exc:
        return AttemptResult(False, None, (time.perf_counter() - started) * 1000, None, f"{type(exc).__name__}: {exc}")
    duration = (time.perf_counter() - started) * 1000
    text = response.text[:RESPONSE_BODY_LIMIT] if response.content else None
    return AttemptResult(
        ok=200 <= response.status_code < 300,
        status_code=response.status_code,
        duration_ms=duration,
        response_body=text,
        error=None,
        retry_after=parse_retry_after(response.headers.get("retry-after")),
    )
