"""Walking a service's cursor-paginated list to its end, page by page, as NDJSON."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

PageFetcher = Callable[[str | None], Awaitable[dict[str, Any]]]


def ndjson(items: list[Any]) -> bytes:
    """One compact JSON document a line (RFC 8259 text, `\\n`-terminated, as NDJSON readers expect)."""
    return b"".join(json.dumps(item, separators=(",", ":"), ensure_ascii=False).encode() + b"\n" for item in items)


async def export_lines(first_page: dict[str, Any], fetch: PageFetcher) -> AsyncIterator[bytes]:
    """The first page (already fetched, so its errors were answered as problems) and every page after it."""
    page = first_page
    while True:
        if page["items"]:
            yield ndjson(page["items"])
        cursor = page.get("next_cursor")
        if not cursor:
            return
        page = await fetch(cursor)
