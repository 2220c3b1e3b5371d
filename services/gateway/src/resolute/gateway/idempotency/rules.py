"""What a request with an Idempotency-Key is, compared with the one kept under that key. Pure rules, no I/O.

Following the IETF draft "The Idempotency-Key HTTP Header Field": the key is the client's (any printable
ASCII, up to 255 characters), scoped to its API key and the route; the request is fingerprinted so the same
key with another payload is refused rather than answered with someone else's answer. A multipart body is
fingerprinted without its boundary (a client retrying builds a new one) and a JSON body by its content.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

HEADER = "Idempotency-Key"
#: how long an answer is kept for replay, and how long a first request may stay in flight before its key is
#: taken over (the gateway answering it died)
KEPT_FOR = timedelta(hours=24)
IN_FLIGHT_FOR = timedelta(minutes=2)
_KEY = re.compile(r"[\x21-\x7e]{1,255}")
_BOUNDARY = re.compile(r'boundary="?([^";]+)"?', re.IGNORECASE)


class InvalidKey(ValueError):
    """Not an idempotency key: a 400."""


def checked_key(value: str) -> str:
    if not _KEY.fullmatch(value):
        raise InvalidKey(f"{HEADER} must be 1 to 255 printable ASCII characters without spaces (a UUID is typical)")
    return value


def fingerprint(method: str, path: str, content_type: str | None, body: bytes) -> str:
    """The request's identity: method, path, media type and payload (multipart without its boundary, JSON by
    its content whatever its spacing or key order)."""
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    payload = body
    if media_type == "multipart/form-data":
        found = _BOUNDARY.search(content_type or "")
        if found:
            payload = body.replace(found.group(1).encode("latin-1"), b"boundary")
    elif media_type == "application/json" or media_type.endswith("+json"):
        try:
            payload = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
        except ValueError:
            payload = body
    digest = hashlib.sha256()
    for part in (method.upper().encode(), path.encode(), media_type.encode(), payload):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


@dataclass(frozen=True)
class Kept:
    """What is kept under a key: the first request's fingerprint, its answer (None while in flight), when."""

    fingerprint: str
    status: int | None
    created_at: datetime


Decision = Literal["proceed", "replay", "in_flight", "reused"]


def decide(kept: Kept | None, fingerprint: str, now: datetime) -> Decision:
    """proceed: no live request under the key (none, expired, or abandoned in flight); replay: the same request
    answered before; in_flight: the same request still being answered; reused: another request's key."""
    if kept is None or kept.created_at < now - KEPT_FOR:
        return "proceed"
    if kept.fingerprint != fingerprint:
        return "reused"
    if kept.status is not None:
        return "replay"
    return "proceed" if kept.created_at < now - IN_FLIGHT_FOR else "in_flight"
