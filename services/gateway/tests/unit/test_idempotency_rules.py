"""Idempotency-Key rules: what a retried request is, against what was kept under its key."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from resolute.gateway.idempotency.rules import (
    IN_FLIGHT_FOR,
    KEPT_FOR,
    InvalidKey,
    Kept,
    checked_key,
    decide,
    fingerprint,
)

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


def test_a_multipart_retry_with_a_new_boundary_is_the_same_request() -> None:
    def body(boundary: str) -> bytes:
        return (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="r.txt"\r\n\r\n'
            f"- to act;\r\n--{boundary}--\r\n"
        ).encode()

    first = fingerprint("POST", "/v1/documents", "multipart/form-data; boundary=aaa111", body("aaa111"))
    retry = fingerprint("POST", "/v1/documents", 'multipart/form-data; boundary="bbb222"', body("bbb222"))
    other = fingerprint(
        "POST", "/v1/documents", "multipart/form-data; boundary=ccc", body("ccc").replace(b"act", b"go")
    )
    assert first == retry != other


def test_json_is_compared_by_its_content_and_the_route_counts() -> None:
    a = fingerprint("POST", "/v1/subscriptions", "application/json", b'{"url": "https://a.example", "mode": "x"}')
    b = fingerprint("POST", "/v1/subscriptions", "application/json", b'{"mode":"x","url":"https://a.example"}')
    elsewhere = fingerprint("POST", "/v1/documents", "application/json", b'{"mode":"x","url":"https://a.example"}')
    assert a == b != elsewhere


@pytest.mark.parametrize(
    ("kept", "given", "decision"),
    [
        (None, "f", "proceed"),
        (Kept("f", 201, NOW - timedelta(minutes=1)), "f", "replay"),
        (Kept("f", 201, NOW - timedelta(minutes=1)), "g", "reused"),
        (Kept("f", None, NOW - timedelta(seconds=5)), "f", "in_flight"),
        (Kept("f", None, NOW - IN_FLIGHT_FOR - timedelta(seconds=1)), "f", "proceed"),  # its gateway died
        (Kept("f", 201, NOW - KEPT_FOR - timedelta(seconds=1)), "g", "proceed"),  # expired: a new request
    ],
)
def test_what_a_request_under_a_kept_key_is(kept: Kept | None, given: str, decision: str) -> None:
    assert decide(kept, given, NOW) == decision


@pytest.mark.parametrize("key", ["", "has space", "x" * 256, "tab\there", "ключ"])
def test_a_key_is_printable_ascii_up_to_255(key: str) -> None:
    with pytest.raises(InvalidKey):
        checked_key(key)
    assert checked_key("8e0f4a52-1b7c-4d8e-9f00-3c2b1a0d9e87") == "8e0f4a52-1b7c-4d8e-9f00-3c2b1a0d9e87"
