"""The pure parts of authentication and limits: scope claims, token shapes, rate windows, export paging."""

from __future__ import annotations

from typing import Any

import pytest

from resolute.gateway.exports.service import export_lines, ndjson
from resolute.gateway.oidc.verifier import looks_like_jwt, scope_from_claim
from resolute.gateway.rate_limits import RateLimiter


@pytest.mark.parametrize(
    ("claim", "scope"),
    [
        ("reader", "reader"),
        ("openid profile ministry:EE:defence", "ministry:EE:defence"),
        (["reader", "editor"], "editor"),
        (["ministry:LV:health", "admin", "reader"], "admin"),
        (["reader", "ministry:LT:energy"], "ministry:LT:energy"),
        ("openid profile", None),
        ("ministry:EE", None),
        (["ROOT", 7], None),
        (None, None),
        ({"scope": "admin"}, None),
    ],
)
def test_the_most_privileged_valid_scope_wins(claim: Any, scope: str | None) -> None:
    assert scope_from_claim(claim) == scope


def test_token_shapes() -> None:
    assert looks_like_jwt("eyJ.eyJ.sig")
    assert not looks_like_jwt("rsk_abc.def.ghi")  # an API key with dots is still a key
    assert not looks_like_jwt("rsf_abc")
    assert not looks_like_jwt("just-a-key")


async def test_each_identity_has_its_own_windows() -> None:
    limiter = RateLimiter("2/second;3/minute")
    assert [await limiter.acquire("a") for _ in range(3)] == [None, None, 1]
    assert await limiter.acquire("b") is None
    unlimited = RateLimiter("")
    assert not unlimited.enabled and await unlimited.acquire("a") is None


async def test_export_walks_pages_until_there_is_no_cursor() -> None:
    pages = {"p2": {"items": [{"n": 3}], "next_cursor": "p3"}, "p3": {"items": [], "next_cursor": None}}
    fetched: list[str | None] = []

    async def fetch(cursor: str | None) -> dict[str, Any]:
        fetched.append(cursor)
        return pages[str(cursor)]

    first = {"items": [{"n": 1}, {"n": "zwei ü"}], "next_cursor": "p2"}
    chunks = [chunk async for chunk in export_lines(first, fetch)]
    assert b"".join(chunks) == b'{"n":1}\n{"n":"zwei \xc3\xbc"}\n{"n":3}\n'
    assert fetched == ["p2", "p3"]
    assert ndjson([]) == b""
