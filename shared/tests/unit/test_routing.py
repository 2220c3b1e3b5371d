"""Binding a service handler to its route table entry: a handler that does not take the entry's query or
body model is refused at import, and a bound handler serves the entry's method, path, name and answer."""

from __future__ import annotations

from typing import Annotated

import pytest
from fastapi import APIRouter, Query

from resolute.shared.api.commitments import CommitmentFilters, CommitmentQuery, StatusReportIn
from resolute.shared.api.routes import PUBLIC_ROUTES, route
from resolute.shared.web.routing import RouteMismatch, check_handler, serve


async def _right(query: Annotated[CommitmentQuery, Query()]) -> None: ...


async def _no_query() -> None: ...


async def _query_without_query_marker(query: CommitmentQuery) -> None: ...


async def _another_model(query: Annotated[CommitmentFilters, Query()]) -> None: ...


async def _with_body(commitment_id: str, body: StatusReportIn) -> None: ...


async def _body_where_none_is_taken(body: StatusReportIn, query: Annotated[CommitmentQuery, Query()]) -> None: ...


def test_a_handler_must_take_the_entrys_query_model() -> None:
    entry = route("list_commitments")
    check_handler(entry, _right)
    for wrong in (_no_query, _query_without_query_marker, _another_model):
        with pytest.raises(RouteMismatch, match="list_commitments"):
            check_handler(entry, wrong)
    with pytest.raises(RouteMismatch, match="takes no body"):
        check_handler(entry, _body_where_none_is_taken)


def test_a_handler_must_take_the_entrys_body_and_nothing_else() -> None:
    check_handler(route("report_status"), _with_body)
    with pytest.raises(RouteMismatch, match="StatusReportIn"):
        check_handler(route("report_status"), _no_query)
    with pytest.raises(RouteMismatch, match="takes no query"):
        check_handler(route("assignment_history"), _right)


def test_serve_registers_the_entry_as_declared() -> None:
    router = APIRouter()
    entry = route("list_commitments")
    serve(router, entry)(_right)
    (registered,) = router.routes
    assert (registered.path, registered.methods, registered.name) == (  # type: ignore[attr-defined]
        "/commitments", {"GET"}, "list_commitments",
    )  # fmt: skip
    assert registered.response_model is entry.answer  # type: ignore[attr-defined]
    assert registered.summary == entry.summary  # type: ignore[attr-defined]


def test_every_entry_is_named_once_and_every_path_parameter_is_typed() -> None:
    assert len({r.name for r in PUBLIC_ROUTES}) == len(PUBLIC_ROUTES)
    assert route("get_occurrence").path_parameters == ("series", "ordinal")
    assert route("get_delivery").public_path == "/v1/subscriptions/{subscription_id}/deliveries/{delivery_id}"
    assert route("list_commitments").is_list and not route("get_commitment").is_list
