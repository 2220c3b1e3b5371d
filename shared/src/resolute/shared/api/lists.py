"""The one list convention: `limit` and `cursor` in, `{"items", "next_cursor"}` out, unknown parameters refused."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from resolute.shared.pagination import DEFAULT_LIMIT, MAX_LIMIT

Item = TypeVar("Item")


class Filters(BaseModel):
    """Base of every list's filters: a parameter the list does not know is a 422, never silently ignored."""

    model_config = ConfigDict(extra="forbid")


class ListQuery(Filters):
    """Cursor pagination: pass `next_cursor` from one page as `cursor` to get the next."""

    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="items per page")
    cursor: str | None = Field(
        default=None, max_length=2000, description="`next_cursor` of the previous page; omit for the first page"
    )


class Page(BaseModel, Generic[Item]):
    """One page of a list; `next_cursor` is null on the last page."""

    items: list[Item]
    next_cursor: str | None = Field(default=None, description="pass as `cursor` for the next page; null at the end")
