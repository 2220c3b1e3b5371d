"""Issuing, checking and revoking feed tokens."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from resolute.gateway.api_keys.scopes import Principal
from resolute.gateway.feed_tokens.models import FeedToken

TOKEN_PREFIX = "rsf_"
FEED_SCOPE = "feed"
LAST_USED_RESOLUTION_SECONDS = 60


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue_token(session: AsyncSession, *, owner: str, name: str | None, now: datetime) -> tuple[FeedToken, str]:
    """Create a token; the plain token is returned once and never stored."""
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = FeedToken(
        id=str(uuid.uuid4()), name=name, owner=owner, token_hash=hash_token(plain), prefix=plain[:8], created_at=now
    )
    session.add(record)
    await session.flush()
    return record, plain


async def authenticate_token(session: AsyncSession, token: str, *, now: datetime) -> Principal | None:
    """A feed reader for a live token; None for an unknown or revoked one."""
    record = await session.scalar(select(FeedToken).where(FeedToken.token_hash == hash_token(token)))
    if record is None or record.revoked_at is not None:
        return None
    if record.last_used_at is None or (now - record.last_used_at).total_seconds() > LAST_USED_RESOLUTION_SECONDS:
        record.last_used_at = now
    return Principal(key_id=f"feed:{record.id}", scope=FEED_SCOPE, name=record.name)
