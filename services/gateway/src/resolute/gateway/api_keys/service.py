"""Issuing, listing, checking and revoking API keys."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from resolute.gateway.api_keys.models import ApiKey
from resolute.gateway.api_keys.scopes import Principal, validate_scope
from resolute.shared.pagination import both_ways

KEY_PREFIX = "rsk_"
LAST_USED_RESOLUTION_SECONDS = 60

KEY_ORDERS = both_ways(ApiKey.created_at, ApiKey.id)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def generate_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


async def issue_key(
    session: AsyncSession, *, scope: str, name: str | None, now: datetime, key: str | None = None
) -> tuple[ApiKey, str]:
    """Create a key; the plain key is returned once and never stored."""
    validate_scope(scope)
    plain = key or generate_key()
    record = ApiKey(
        id=str(uuid.uuid4()),
        name=name,
        scope=scope,
        key_hash=hash_key(plain),
        prefix=plain[:8],
        created_at=now,
    )
    session.add(record)
    await session.flush()
    return record, plain


async def ensure_bootstrap_admin(session: AsyncSession, key: str, *, now: datetime) -> None:
    """RESOLUTE_ADMIN_KEY becomes an admin key on a fresh stack; once revoked it stays revoked across restarts."""
    existing = await session.scalar(select(ApiKey).where(ApiKey.key_hash == hash_key(key)))
    if existing is None:
        await issue_key(session, scope="admin", name="bootstrap admin (RESOLUTE_ADMIN_KEY)", now=now, key=key)


async def authenticate(session: AsyncSession, key: str, *, now: datetime) -> Principal | None:
    record = await session.scalar(select(ApiKey).where(ApiKey.key_hash == hash_key(key)))
    if record is None or record.revoked_at is not None:
        return None
    if record.last_used_at is None or (now - record.last_used_at).total_seconds() > LAST_USED_RESOLUTION_SECONDS:
        record.last_used_at = now  # at most one write a minute per key, not one per request
    return Principal(key_id=record.id, scope=record.scope, name=record.name)


async def list_keys(
    session: AsyncSession,
    *,
    scope: str | None,
    revoked: bool | None,
    sort: str,
    cursor: str | None,
    limit: int,
) -> tuple[Sequence[ApiKey], str | None]:
    keyset = KEY_ORDERS[sort]
    query = select(ApiKey)
    if scope is not None:
        query = query.where(ApiKey.scope == scope)
    if revoked is not None:
        query = query.where(ApiKey.revoked_at.is_not(None) if revoked else ApiKey.revoked_at.is_(None))
    rows = (await session.scalars(keyset.apply(query, cursor, limit))).all()
    return keyset.page(rows, limit)


async def revoke_key(session: AsyncSession, key_id: str, *, now: datetime) -> ApiKey | None:
    """Revoke a key (again revoking is a no-op); None if there is no such key."""
    record = await session.get(ApiKey, key_id)
    if record is not None and record.revoked_at is None:
        record.revoked_at = now
    return record
