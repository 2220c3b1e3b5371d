"""Opaque cursors for keyset pagination, the one convention every list endpoint follows."""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, or_

from resolute.shared.web.problems import ProblemError

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


def encode_cursor(values: dict[str, Any]) -> str:
    raw = json.dumps(values, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> dict[str, Any] | None:
    """The position after which the next page starts; a cursor that is not ours is a 400."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, json.JSONDecodeError) as exc:
        raise ProblemError(
            400, "the cursor is not valid; use next_cursor from a previous page", kind="bad-cursor"
        ) from exc
    if not isinstance(value, dict):
        raise ProblemError(400, "the cursor is not valid; use next_cursor from a previous page", kind="bad-cursor")
    return value


def keyset_after(columns: Sequence[tuple[ColumnElement[Any], bool]], values: Sequence[Any]) -> ColumnElement[bool]:
    """Rows strictly after `values` in the order given by (column, descending) pairs."""
    clauses: list[ColumnElement[bool]] = []
    for i, (column, descending) in enumerate(columns):
        equal_prefix = [columns[j][0] == values[j] for j in range(i)]
        step = column < values[i] if descending else column > values[i]
        clauses.append(and_(*equal_prefix, step))
    return or_(*clauses)
