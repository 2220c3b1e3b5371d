"""Signing in and out of the console: a random session token in an HttpOnly cookie, a CSRF token per session.

The token is 32 random bytes, so (as for API keys) its SHA-256 is all that is stored. A session is a
principal as the API knows it (an API key's id and scope, or an OIDC subject and its scope): the console's
requests to /v1 authenticate with the cookie, and unsafe ones must also carry the session's CSRF token.
A revoked API key ends its sessions (the principal is checked again on every request).
"""

from __future__ import annotations

import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from resolute.gateway.api_keys.scopes import Principal
from resolute.gateway.api_keys.service import hash_key
from resolute.gateway.console.models import ConsoleSession

SESSION_COOKIE = "resolute_session"
PRE_SESSION_COOKIE = "resolute_presession"  # the sign-in form's CSRF token, before any session exists
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
TOKEN_PREFIX = "rss_"


@dataclass(frozen=True)
class SignedIn:
    """A live session: whom it stands for, and the CSRF token its forms and unsafe requests carry."""

    session_id: str
    principal: Principal
    csrf_token: str
    expires_at: datetime


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def is_session_token(token: str) -> bool:
    return token.startswith(TOKEN_PREFIX)


async def start_session(
    session: AsyncSession, principal: Principal, *, now: datetime, lifetime: timedelta
) -> tuple[SignedIn, str]:
    """A new session for a principal: the record as SignedIn, and the token for its cookie (shown only here)."""
    token = new_token()
    record = ConsoleSession(
        id=str(uuid.uuid4()),
        token_hash=hash_key(token),
        principal_id=principal.key_id,
        scope=principal.scope,
        name=principal.name,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        expires_at=now + lifetime,
    )
    session.add(record)
    await session.flush()
    return _signed_in(record), token


async def find_session(session: AsyncSession, token: str, *, now: datetime) -> SignedIn | None:
    """The live session a cookie's token opens, or None (unknown, ended or expired)."""
    record = (
        await session.execute(select(ConsoleSession).where(ConsoleSession.token_hash == hash_key(token)))
    ).scalar_one_or_none()
    if record is None or record.ended_at is not None or record.expires_at <= now:
        return None
    return _signed_in(record)


async def end_session(session: AsyncSession, token: str, *, now: datetime) -> None:
    await session.execute(
        update(ConsoleSession)
        .where(ConsoleSession.token_hash == hash_key(token), ConsoleSession.ended_at.is_(None))
        .values(ended_at=now)
    )


async def end_sessions_of(session: AsyncSession, principal_id: str, *, now: datetime) -> None:
    """Every session of a principal ends (its API key was revoked)."""
    await session.execute(
        update(ConsoleSession)
        .where(ConsoleSession.principal_id == principal_id, ConsoleSession.ended_at.is_(None))
        .values(ended_at=now)
    )


def csrf_matches(expected: str, presented: str | None) -> bool:
    return presented is not None and hmac.compare_digest(expected, presented)


def _signed_in(record: ConsoleSession) -> SignedIn:
    principal = Principal(key_id=record.principal_id, scope=record.scope, name=record.name)
    return SignedIn(record.id, principal, record.csrf_token, record.expires_at)
