"""Cursors and keyset conditions."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, select
from sqlalchemy.dialects import sqlite

from resolute.shared.pagination import Keyset, decode_cursor, encode_cursor, keyset_after
from resolute.shared.web.problems import ProblemError


def test_cursor_round_trip() -> None:
    value = {"c": "2026-11-20T09:00:00+00:00", "i": "abc"}
    assert decode_cursor(encode_cursor(value)) == value
    assert decode_cursor(None) is None


@pytest.mark.parametrize("bad", ["%%%", "bm90IGpzb24", "WzEsMl0"])
def test_foreign_cursor_is_a_400_problem(bad: str) -> None:
    with pytest.raises(ProblemError) as info:
        decode_cursor(bad)
    assert info.value.status == 400


def test_keyset_after_mixes_directions() -> None:
    table = Table("t", MetaData(), Column("a", Integer), Column("b", String))
    condition = keyset_after([(table.c.a, True), (table.c.b, False)], [5, "x"])
    sql = str(select(table).where(condition).compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
    assert "t.a < 5" in sql
    assert "t.a = 5 AND t.b > 'x'" in sql


def test_a_named_order_refuses_another_orders_cursor() -> None:
    table = Table("t", MetaData(), Column("a", Integer), Column("b", String))

    @dataclass
    class Row:
        a: int
        b: str

    newest, oldest = Keyset((table.c.a, True), (table.c.b, True), name="-a"), Keyset((table.c.a, False), name="a")
    _, cursor = newest.page([Row(3, "x"), Row(2, "y"), Row(1, "z")], 2)
    assert cursor is not None
    newest.apply(select(table), cursor, 2)  # its own cursor is fine
    with pytest.raises(ProblemError) as info:
        oldest.apply(select(table), cursor, 2)
    assert info.value.status == 400 and info.value.kind == "bad-cursor"
    _, unnamed = Keyset((table.c.a, True), (table.c.b, True)).page([Row(3, "x"), Row(2, "y")], 1)
    Keyset((table.c.a, True), (table.c.b, True)).apply(select(table), unnamed, 1)  # unnamed lists work as before
