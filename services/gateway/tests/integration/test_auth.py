"""Who may do what: API keys (shown once, hashed, named, revocable), scopes, OIDC tokens, feed tokens, rate limits."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import jwt
import pytest
from fastapi import APIRouter
from prometheus_client import REGISTRY
from sqlalchemy import select

from resolute.gateway.api_keys.models import ApiKey
from resolute.gateway.api_keys.service import issue_key
from resolute.gateway.auth.dependencies import FeedReaderDep
from resolute.gateway.state import GatewayState
from resolute.shared.clock import utcnow
from resolute.shared.testing.fixtures import serving
from resolute.shared.web.state import state_of

from .conftest import ADMIN_KEY, Gateway, GatewayFactory, IdentityProvider

pytestmark = pytest.mark.integration


def _is_problem(response: Any, status: int, kind: str | None = None) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["request_id"] == response.headers["x-request-id"]
    if kind:
        assert body["type"].endswith("/" + kind), body


@pytest.fixture
async def gw(make_gateway: GatewayFactory) -> AsyncIterator[Gateway]:
    async with make_gateway() as gateway:
        yield gateway


@pytest.mark.parametrize("key", [None, "rsk_wrong", "not-even-a-prefix", "a.b.c"])
async def test_missing_or_bad_credentials_are_401(gw: Gateway, key: str | None) -> None:
    for path in ("/v1/documents", "/v1/commitments", "/v1/api-keys", "/v1/me", "/v1/export/commitments"):
        response = await gw.client.get(path, headers=gw.as_key(key))
        _is_problem(response, 401, "unauthenticated")
        assert response.headers["www-authenticate"].startswith("Bearer")
    assert (await gw.client.get("/v1/me", headers={"Authorization": f"Basic {ADMIN_KEY}"})).status_code == 401


async def test_each_role_reaches_exactly_its_routes(gw: Gateway) -> None:
    keys = {scope: await gw.new_key(scope) for scope in ("editor", "reader", "ministry:EE:defence")}
    admin_only = [
        ("GET", "/v1/services", None),
        ("GET", "/v1/api-keys", None),
        ("POST", "/v1/api-keys", {"scope": "reader"}),
        ("GET", f"/v1/api-keys/{uuid.uuid4()}", None),
        ("DELETE", f"/v1/api-keys/{uuid.uuid4()}", None),
    ]
    for key in keys.values():
        for method, path, body in admin_only:
            response = await gw.client.request(method, path, json=body, headers=gw.as_key(key))
            _is_problem(response, 403, "forbidden")
    for scope in ("reader", "ministry:EE:defence"):
        upload = await gw.client.post("/v1/documents", json={"text": "- to act;"}, headers=gw.as_key(keys[scope]))
        _is_problem(upload, 403, "forbidden")
    # the editor passes the role check; the ingest service is down in this test, so the answer is its 503
    upload = await gw.client.post("/v1/documents", json={"text": "- to act;"}, headers=gw.as_key(keys["editor"]))
    _is_problem(upload, 503, "service-unavailable")
    for scope, key in keys.items():
        me = (await gw.get("/v1/me", key)).json()
        assert me["scope"] == scope
    assert (await gw.get("/v1/me", keys["ministry:EE:defence"])).json() | {"id": None} == {
        "id": None, "name": None, "scope": "ministry:EE:defence", "role": "ministry", "country": "EE",
        "ministry": "defence",
    }  # fmt: skip


async def test_a_key_is_shown_once_stored_hashed_and_revocable(gw: Gateway) -> None:
    created = await gw.client.post(
        "/v1/api-keys", json={"scope": "reader", "name": "transparency portal"}, headers=gw.as_key(ADMIN_KEY)
    )
    assert created.status_code == 201
    record = created.json()
    key, key_id = record["key"], record["id"]
    assert record["name"] == "transparency portal" and record["last_used_at"] is None
    assert key.startswith(record["prefix"])

    listed = (await gw.get("/v1/api-keys", params={"scope": "reader"})).json()["items"]
    assert [k["id"] for k in listed] == [key_id]
    assert "key" not in listed[0]
    one = (await gw.get(f"/v1/api-keys/{key_id}")).json()
    assert "key" not in one
    async with state_of(gw.app, GatewayState).sessionmaker() as session:
        stored = await session.get(ApiKey, key_id)
        assert stored is not None and key not in (stored.key_hash, stored.prefix) and len(stored.key_hash) == 64

    assert (await gw.get("/v1/me", key)).status_code == 200
    assert (await gw.get(f"/v1/api-keys/{key_id}")).json()["last_used_at"] is not None

    revoked = await gw.client.delete(f"/v1/api-keys/{key_id}", headers=gw.as_key(ADMIN_KEY))
    assert revoked.status_code == 204
    _is_problem(await gw.get("/v1/me", key), 401)  # at once, although the key was cached a moment ago
    assert (await gw.get(f"/v1/api-keys/{key_id}")).json()["revoked_at"] is not None
    assert [k["id"] for k in (await gw.get("/v1/api-keys", params={"revoked": "true"})).json()["items"]] == [key_id]
    _is_problem(await gw.client.delete(f"/v1/api-keys/{uuid.uuid4()}", headers=gw.as_key(ADMIN_KEY)), 404)


async def test_invalid_scopes_and_key_bodies_are_refused_and_store_nothing(gw: Gateway) -> None:
    before = len((await gw.get("/v1/api-keys")).json()["items"])
    admin = gw.as_key(ADMIN_KEY)
    _is_problem(await gw.client.post("/v1/api-keys", json={"scope": "root"}, headers=admin), 422, "invalid-scope")
    _is_problem(await gw.client.post("/v1/api-keys", json={"scope": "ministry:EE"}, headers=admin), 422)
    _is_problem(await gw.client.post("/v1/api-keys", json={"scope": "reader", "x": 1}, headers=admin), 422)
    _is_problem(await gw.client.post("/v1/api-keys", json={}, headers=admin), 422, "validation")
    _is_problem(
        await gw.client.post("/v1/api-keys", content=b'{"scope": "reader"', headers=admin | _json()),
        400,
        "malformed-json",
    )
    _is_problem(
        await gw.client.post("/v1/api-keys", content=b"scope=reader", headers=admin | {"content-type": "text/plain"}),
        415,
        "unsupported-media-type",
    )
    _is_problem(
        await gw.client.post("/v1/api-keys", data={"scope": "reader"}, headers=admin),
        415,
        "unsupported-media-type",
    )
    assert len((await gw.get("/v1/api-keys")).json()["items"]) == before


def _json() -> dict[str, str]:
    return {"content-type": "application/json"}


async def test_rate_limit_per_key_is_a_429_with_retry_after(make_gateway: GatewayFactory) -> None:
    def refused() -> float:
        return REGISTRY.get_sample_value("resolute_gateway_rate_limited_total") or 0.0

    async with make_gateway(rate_limit="3/minute") as gw:
        other = await gw.new_key("reader")  # the admin's first request
        for _ in range(2):
            assert (await gw.get("/v1/me")).status_code == 200
        before = refused()
        limited = await gw.get("/v1/me")
        _is_problem(limited, 429, "rate-limited")
        assert 1 <= int(limited.headers["retry-after"]) <= 60
        assert refused() == before + 1
        assert (await gw.get("/v1/me", other)).status_code == 200  # another key has its own budget


# --- OIDC -------------------------------------------------------------------------------------------------------


async def test_oidc_tokens_are_verified_against_the_providers_keys(make_gateway: GatewayFactory) -> None:
    provider = IdentityProvider()
    kid = provider.new_key()
    async with serving(provider.app) as idp_url:
        settings = {
            "oidc_issuer": provider.issuer,
            "oidc_audience": provider.audience,
            "oidc_jwks_url": f"{idp_url}/jwks",
            "oidc_scope_claim": "roles",
        }
        async with make_gateway(**settings) as gw:
            ministry = provider.token(kid, roles="openid ministry:LV:defence", name="Alice")
            me = await gw.get("/v1/me", ministry)
            assert me.status_code == 200, me.text
            assert me.json() | {"id": None} == {
                "id": None, "name": "Alice", "scope": "ministry:LV:defence", "role": "ministry", "country": "LV",
                "ministry": "defence",
            }  # fmt: skip
            assert me.json()["id"] == "oidc:alice"
            _is_problem(await gw.get("/v1/services", ministry), 403, "forbidden")
            admin = provider.token(kid, roles=["reader", "admin"])
            assert (await gw.get("/v1/me", admin)).json()["scope"] == "admin"  # the most privileged listed

            rotated = provider.new_key()  # the provider rotates: a new key id makes the gateway fetch again
            fetches = provider.fetches
            assert (await gw.get("/v1/me", provider.token(rotated, roles="editor"))).json()["scope"] == "editor"
            assert provider.fetches == fetches + 1

            bad = {
                "expired": provider.token(kid, roles="reader", exp=int(time.time()) - 3600),
                "wrong audience": provider.token(kid, roles="reader", aud="someone-else"),
                "wrong issuer": provider.token(kid, roles="reader", iss="https://evil.example"),
                "no subject": provider.token(kid, roles="reader", sub=None),
                "unpublished key": provider.token(provider.new_key(publish=False), roles="reader"),
                "tampered": provider.token(kid, roles="reader")[:-4] + "AAAA",
                "unsigned": jwt.encode({"iss": provider.issuer, "sub": "x", "roles": "admin"}, None, algorithm="none"),
            }
            for case, token in bad.items():
                response = await gw.get("/v1/me", token)
                assert response.status_code == 401, case
                assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"', case
            _is_problem(await gw.get("/v1/me", provider.token(kid, roles="openid profile")), 403)


async def test_jwts_are_refused_when_no_provider_is_configured(gw: Gateway) -> None:
    provider = IdentityProvider()
    token = provider.token(provider.new_key(), roles="admin")
    _is_problem(await gw.get("/v1/me", token), 401, "unauthenticated")


# --- feed tokens ------------------------------------------------------------------------------------------------


async def test_feed_tokens_read_feeds_only_and_belong_to_their_owner(gw: Gateway) -> None:
    probe = APIRouter()

    @probe.get("/v1/feeds/probe")
    async def feed_probe(principal: FeedReaderDep) -> dict[str, str]:
        return {"caller": principal.key_id, "scope": principal.scope}

    gw.app.include_router(probe)  # stands in for the calendar feeds of phase 2, which take this dependency

    estonia = await gw.new_key("ministry:EE:defence")
    latvia = await gw.new_key("ministry:LV:defence")
    created = await gw.client.post("/v1/feed-tokens", json={"name": "Outlook"}, headers=gw.as_key(estonia))
    assert created.status_code == 201, created.text
    token, token_id = created.json()["token"], created.json()["id"]
    assert created.json()["owner"] == "ministry:EE:defence"

    feed = await gw.client.get("/v1/feeds/probe", params={"token": token})
    assert feed.json() == {"caller": f"feed:{token_id}", "scope": "feed"}
    assert (await gw.client.get("/v1/feeds/probe", params={"key": latvia})).json()["scope"] == "ministry:LV:defence"
    assert (await gw.get("/v1/feeds/probe", latvia)).status_code == 200
    _is_problem(await gw.client.get("/v1/feeds/probe"), 401)
    _is_problem(await gw.client.get("/v1/feeds/probe", params={"token": "rsf_forged"}), 401)
    _is_problem(await gw.client.get("/v1/feeds/probe", params={"key": token}), 401)
    _is_problem(await gw.get("/v1/documents", token), 401)  # a feed token is no API key
    _is_problem(await gw.client.get("/v1/documents", params={"token": token}), 401)

    assert [t["id"] for t in (await gw.get("/v1/feed-tokens", estonia)).json()["items"]] == [token_id]
    assert (await gw.get("/v1/feed-tokens", latvia)).json()["items"] == []
    assert "token" not in (await gw.get("/v1/feed-tokens", ADMIN_KEY)).json()["items"][0]
    _is_problem(await gw.client.delete(f"/v1/feed-tokens/{token_id}", headers=gw.as_key(latvia)), 403, "forbidden")
    assert (await gw.client.get("/v1/feeds/probe", params={"token": token})).status_code == 200
    assert (await gw.client.delete(f"/v1/feed-tokens/{token_id}", headers=gw.as_key(estonia))).status_code == 204
    _is_problem(await gw.client.get("/v1/feeds/probe", params={"token": token}), 401)


async def test_a_thousand_keys_walk_exactly_once_in_either_order(make_gateway: GatewayFactory) -> None:
    async with make_gateway(rate_limit="") as gw:
        await _walk_a_thousand_keys(gw)


async def _walk_a_thousand_keys(gw: Gateway) -> None:
    same_instant = datetime(2026, 11, 1, tzinfo=UTC)
    async with state_of(gw.app, GatewayState).sessionmaker() as session, session.begin():
        for n in range(999):  # many share a timestamp, so pages must break inside runs of equal created_at
            await issue_key(session, scope="reader", name=f"key {n}", now=same_instant if n % 2 else utcnow())
    all_ids = {k.id for k in (await _all_keys(gw))}
    assert len(all_ids) == 1000  # 999 + the bootstrap admin
    for sort in ("-created_at", "created_at"):
        seen: list[str] = []
        cursor = None
        while True:
            params = {"limit": 37, "sort": sort} | ({"cursor": cursor} if cursor else {})
            page = (await gw.get("/v1/api-keys", params=params)).json()
            seen += [item["id"] for item in page["items"]]
            cursor = page["next_cursor"]
            if not cursor:
                break
        assert len(seen) == len(set(seen)) == 1000
        assert set(seen) == all_ids
    first = (await gw.get("/v1/api-keys", params={"limit": 5})).json()["next_cursor"]
    _is_problem(await gw.get("/v1/api-keys", params={"cursor": first, "sort": "created_at"}), 400, "bad-cursor")
    _is_problem(await gw.get("/v1/api-keys", params={"cursor": "garbage!"}), 400, "bad-cursor")


async def _all_keys(gw: Gateway) -> list[ApiKey]:
    async with state_of(gw.app, GatewayState).sessionmaker() as session:
        return list((await session.scalars(select(ApiKey))).all())
