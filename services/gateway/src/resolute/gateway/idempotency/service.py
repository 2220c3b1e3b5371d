"""Keeping the answers of requests made with an Idempotency-Key: claim the key, keep the answer, or let the
key go when there is no answer worth replaying. Each step is its own short transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from resolute.gateway.idempotency import rules
from resolute.gateway.idempotency.models import IdempotentRequest
from resolute.shared.web.problems import ProblemError


@dataclass(frozen=True)
class Scope:
    """One key of one caller on one route, and the request's fingerprint."""

    principal_id: str
    route: str
    key: str
    fingerprint: str

    @property
    def identity(self) -> tuple[str, str, str]:
        return self.principal_id, self.route, self.key


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str | None
    body: bytes


def _in_flight() -> ProblemError:
    return ProblemError(
        409, f"a request with this {rules.HEADER} is still being answered; retry shortly",
        kind="idempotency-key-in-flight", headers={"Retry-After": "1"},
    )  # fmt: skip


async def claim(sessionmaker: async_sessionmaker[AsyncSession], scope: Scope, now: datetime) -> Answer | None:
    """The kept answer to replay, or None once this request holds the key (it goes on to the service).
    The same key with another payload is a 422; the same request still in flight a 409."""
    async with sessionmaker() as session, session.begin():
        row = await session.get(IdempotentRequest, scope.identity, with_for_update=True)
        kept = rules.Kept(row.fingerprint, row.status, row.created_at) if row is not None else None
        decision = rules.decide(kept, scope.fingerprint, now)
        if decision == "reused":
            raise ProblemError(
                422,
                f"this {rules.HEADER} was used for another request (another payload or route) in the last "
                f"{rules.KEPT_FOR.total_seconds() / 3600:g} hours; use a new key for a new request",
                kind="idempotency-key-reused",
            )
        if decision == "in_flight":
            raise _in_flight()
        if decision == "replay" and row is not None and row.status is not None:
            return Answer(row.status, row.content_type, row.body or b"")
        if row is not None:
            await session.delete(row)
            await session.flush()
        session.add(
            IdempotentRequest(
                principal_id=scope.principal_id, route=scope.route, key=scope.key,
                fingerprint=scope.fingerprint, created_at=now,
            )
        )  # fmt: skip
        try:
            await session.flush()
        except IntegrityError:  # the same key claimed a moment ago by a concurrent request
            raise _in_flight() from None
    return None


async def keep(sessionmaker: async_sessionmaker[AsyncSession], scope: Scope, answer: Answer, now: datetime) -> None:
    """Keep the answer for replay (a day); expired rows of the caller are cleared on the way."""
    async with sessionmaker() as session, session.begin():
        row = await session.get(IdempotentRequest, scope.identity, with_for_update=True)
        if row is None:
            return
        row.status = answer.status
        row.content_type = answer.content_type
        row.body = answer.body
        row.completed_at = now
        await session.execute(
            delete(IdempotentRequest).where(
                IdempotentRequest.principal_id == scope.principal_id,
                IdempotentRequest.created_at < now - rules.KEPT_FOR,
            )
        )


async def release(sessionmaker: async_sessionmaker[AsyncSession], scope: Scope) -> None:
    """Let the key go: the request got no answer worth replaying (refused, or the service failed)."""
    async with sessionmaker() as session, session.begin():
        await session.execute(
            delete(IdempotentRequest).where(
                IdempotentRequest.principal_id == scope.principal_id,
                IdempotentRequest.route == scope.route,
                IdempotentRequest.key == scope.key,
                IdempotentRequest.status.is_(None),
            )
        )
