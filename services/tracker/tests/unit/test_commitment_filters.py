"""Every filter of the public commitments query is applied by the tracker: by name for the ones that name a
column, by hand for the rest, and a stale or unapplied one cannot hide (checked without a database, on the
SQL the filters make)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects import sqlite

from resolute.shared.api.commitments import CommitmentFilters
from resolute.tracker.commitments import queries
from resolute.tracker.commitments.models import Commitment


def _sql(wanted: CommitmentFilters) -> str:
    statement = queries._filtered(select(Commitment), wanted, None)
    return str(statement.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))


def test_every_filter_is_applied_by_name_or_by_hand() -> None:
    assert set(queries._EQUAL) | queries._BY_HAND == set(CommitmentFilters.model_fields)
    assert not set(queries._EQUAL) & queries._BY_HAND


def test_a_filter_named_after_a_column_compares_that_column() -> None:
    sql = _sql(CommitmentFilters(document_id="d-1", policy_area="defence"))
    assert "commitments.document_id = 'd-1'" in sql and "commitments.policy_area = 'defence'" in sql
    assert "WHERE" not in _sql(CommitmentFilters())


def test_the_filters_applied_by_hand_make_their_conditions() -> None:
    sql = _sql(CommitmentFilters(due_after="2026-01-01", withdrawn=False, country="ee", q="Rail Baltica"))
    assert "commitments.due_date >= '2026-01-01'" in sql
    assert "commitments.withdrawn_at IS NULL" in sql
    assert "'EE'" in sql  # some assignment of the country (upper-cased)
    assert "LIKE '%' || 'rail' || '%'" in sql and "LIKE '%' || 'baltica' || '%'" in sql  # every word
