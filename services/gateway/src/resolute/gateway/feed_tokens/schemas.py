"""Feed token bodies."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from resolute.shared.api.lists import ListQuery, Page


class FeedTokenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, max_length=200, examples=["Outlook calendar, EE defence"])


class FeedTokenOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str | None
    owner: str = Field(description="who made it: a ministry scope, or `key:<id>` for other keys")
    prefix: str = Field(description="the token's first characters, to tell tokens apart")
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class FeedTokenCreated(FeedTokenOut):
    token: str = Field(description="the token itself, for `?token=` in feed URLs; shown only now")


class FeedTokenPage(Page[FeedTokenOut]):
    """Feed tokens, newest first."""


class FeedTokenQuery(ListQuery):
    """`GET /v1/feed-tokens`: the caller's own tokens (an admin sees all)."""
