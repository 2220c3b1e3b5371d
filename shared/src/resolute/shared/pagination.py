"""Opaque cursors for keyset pagination, the one convention every list endpoint follows."""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_

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


def keyset_after(columns: Sequence[tuple[Any, bool]], values: Sequence[Any]) -> ColumnElement[bool]:
    """Rows strictly after `values` in the order given by (column, descending) pairs."""
    clauses: list[ColumnElement[bool]] = []
    for i, (column, descending) in enumerate(columns):
        equal_prefix = [columns[j][0] == values[j] for j in range(i)]
        step = column < values[i] if descending else column > values[i]
        clauses.append(and_(*equal_prefix, step))
    return or_(*clauses)


class Keyset:
    """One list's sort order and its opaque cursor: every list endpoint pages the same way.

    The last column must make the order total (an id), so no row is skipped or repeated between pages.
    A list with several sort orders names each Keyset (`name="-created_at"`): its cursors carry the name, so
    a cursor from one order is refused by another instead of silently skipping rows.
    """

    def __init__(self, *order: tuple[Any, bool], name: str | None = None) -> None:
        self.order = order
        self.name = name

    def _python_types(self) -> list[type]:
        types: list[type] = []
        for column, _ in self.order:
            try:
                types.append(column.type.python_type)
            except NotImplementedError:
                types.append(str)
        return types

    def apply(self, query: Select[Any], cursor: str | None, limit: int) -> Select[Any]:
        """Add the cursor's position, the order and a limit one beyond the page (to know if more follow)."""
        position = decode_cursor(cursor)
        if position is not None:
            if self.name is not None and position.get("s") != self.name:
                raise ProblemError(
                    400, f"the cursor belongs to another sort order than {self.name!r}", kind="bad-cursor"
                )
            raw = position.get("k")
            if not isinstance(raw, list) or len(raw) != len(self.order):
                raise ProblemError(400, "the cursor does not belong to this list", kind="bad-cursor")
            try:
                values = [
                    kind.fromisoformat(v) if kind in (datetime, date) else kind(v)  # type: ignore[attr-defined]
                    for v, kind in zip(raw, self._python_types(), strict=True)
                ]
            except (TypeError, ValueError) as exc:
                raise ProblemError(400, "the cursor does not belong to this list", kind="bad-cursor") from exc
            query = query.where(keyset_after(self.order, values))
        return query.order_by(*[c.desc() if desc else c.asc() for c, desc in self.order]).limit(limit + 1)

    def page(self, rows: Sequence[Any], limit: int) -> tuple[list[Any], str | None]:
        """The page's rows and the cursor for the next page (None at the end)."""
        items = list(rows[:limit])
        if len(rows) <= limit:
            return items, None
        last = items[-1]
        values = []
        for column, _ in self.order:
            value = getattr(last, column.key)
            values.append(value.isoformat() if isinstance(value, datetime | date) else value)
        position: dict[str, Any] = {"k": values}
        if self.name is not None:
            position["s"] = self.name
        return items, encode_cursor(position)


def both_ways(column: Any, tiebreak: Any) -> dict[str, Keyset]:
    """A list that sorts by one column either way: `-name` descending and `name` ascending (ties by `tiebreak`)."""
    name = column.key
    return {
        f"-{name}": Keyset((column, True), (tiebreak, True), name=f"-{name}"),
        name: Keyset((column, False), (tiebreak, False), name=name),
    }
