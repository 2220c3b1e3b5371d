"""API key bodies and list parameters."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from resolute.shared.api.lists import ListQuery, Page


class ApiKeyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scope: str = Field(
        max_length=100,
        description="admin, editor, reader or ministry:<CC>:<ministry>",
        examples=["ministry:EE:defence"],
    )
    name: str | None = Field(default=None, max_length=200, description="what the key is for, e.g. who holds it")


class ApiKeyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str | None
    scope: str
    prefix: str = Field(description="the key's first characters, to tell keys apart")
    created_at: datetime
    last_used_at: datetime | None = Field(description="last authenticated use, to the minute")
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyOut):
    key: str = Field(description="the key itself; shown only now, stored only as a hash")


class ApiKeyPage(Page[ApiKeyOut]):
    """API keys in the order asked for."""


class ApiKeyQuery(ListQuery):
    """`GET /v1/api-keys`."""

    scope: str | None = Field(default=None, max_length=100, description="only keys with exactly this scope")
    revoked: bool | None = Field(default=None, description="only revoked keys (true) or live ones (false)")
    sort: Literal["-created_at", "created_at"] = Field(default="-created_at", description="newest first by default")
