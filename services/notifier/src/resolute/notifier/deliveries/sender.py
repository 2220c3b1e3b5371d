"""One HTTP attempt: POST the signed bytes, never follow a redirect, cut it at the timeout, say what happened."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Literal

import httpx

from resolute.notifier.deliveries.signing import signed_headers
from resolute.notifier.subscriptions.address_policy import RefusedAddress, UnsafeWebhookUrl
from resolute.shared.clock import utcnow

RESPONSE_BODY_LIMIT = 2048

Outcome = Literal["success", "failure", "timeout", "refused"]


@dataclass(frozen=True)
class AttemptResult:
    """What one attempt did; `outcome` is the metric's label (refused = the address policy said no)."""

    outcome: Outcome
    status_code: int | None
    duration_ms: float
    response_body: str | None = None
    error: str | None = None
    retry_after: float | None = None
    started_at: datetime | None = None  # on the service's clock; the worker stamps it

    @property
    def ok(self) -> bool:
        return self.outcome == "success"


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Retry-After as seconds (delta-seconds or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - now).total_seconds())


async def _read_limited(response: httpx.Response, limit: int) -> bytes:
    body = b""
    async for chunk in response.aiter_raw():
        body += chunk
        if len(body) >= limit:
            break
    return body[:limit]


async def send_webhook(
    client: httpx.AsyncClient,
    *,
    url: str,
    message_id: str,
    body: bytes,
    secrets: list[str],
    timeout: float,
) -> AttemptResult:
    """POST once. The whole attempt (DNS, connect, send, answer) gets `timeout` seconds, no more."""
    now = utcnow()  # the signature's timestamp is real time: receivers compare it with their own clocks
    headers = signed_headers(secrets=secrets, message_id=message_id, timestamp=now, body=body)
    started = time.perf_counter()

    def elapsed() -> float:
        return round((time.perf_counter() - started) * 1000, 2)

    try:
        async with asyncio.timeout(timeout):
            request = client.build_request("POST", url, content=body, headers=headers)
            response = await client.send(request, stream=True, follow_redirects=False)
            try:
                raw = await _read_limited(response, RESPONSE_BODY_LIMIT)
            finally:
                await response.aclose()
    except TimeoutError:
        return AttemptResult("timeout", None, elapsed(), error=f"no answer within {timeout:g} s")
    except httpx.TimeoutException as exc:
        return AttemptResult("timeout", None, elapsed(), error=f"{type(exc).__name__}: {exc}")
    except RefusedAddress as exc:
        return AttemptResult("refused", None, elapsed(), error=str(exc))
    except UnsafeWebhookUrl as exc:  # the host does not resolve (any more)
        return AttemptResult("failure", None, elapsed(), error=str(exc))
    except httpx.HTTPError as exc:
        return AttemptResult("failure", None, elapsed(), error=f"{type(exc).__name__}: {exc}"[:500])
    except Exception as exc:  # e.g. httpx.InvalidURL, a resolver failure below httpx: a failed attempt, logged
        return AttemptResult("failure", None, elapsed(), error=f"{type(exc).__name__}: {exc}"[:500])
    text = raw.decode("utf-8", errors="replace") if raw else None
    status = response.status_code
    return AttemptResult(
        outcome="success" if 200 <= status < 300 else "failure",
        status_code=status,
        duration_ms=elapsed(),
        response_body=text,
        error=None if 200 <= status < 300 else _status_error(status),
        retry_after=parse_retry_after(response.headers.get("retry-after"), utcnow()),
    )


def _status_error(status: int) -> str:
    if 300 <= status < 400:
        return f"HTTP {status}: redirects are not followed; only 2xx counts as delivered"
    return f"HTTP {status}"
