"""The OpenAPI document describes the tracker's and notifier's routes fully: every query parameter of the
shared query models, every JSON body and every answer's schema (the 204 of a delete excepted)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel

from resolute.shared.api.actors import ActorsQuery
from resolute.shared.api.calendar import OccurrenceQuery
from resolute.shared.api.commitments import AssignmentQuery, CommitmentQuery, PointInTimeQuery
from resolute.shared.api.reassignments import ProposalQuery
from resolute.shared.api.review import CorrectionQuery
from resolute.shared.api.scorecards import CountryScorecardQuery, MinistryScorecardQuery
from resolute.shared.api.subscriptions import DeadLetterQuery, DeliveryQuery, NoticeQuery, SubscriptionQuery

from .conftest import GatewayFactory

pytestmark = pytest.mark.integration

PREFIXES = (
    "/v1/commitments", "/v1/assignments", "/v1/calendar", "/v1/actors", "/v1/reassignments", "/v1/scorecards",
    "/v1/subscriptions",
)  # fmt: skip
QUERIES: dict[str, type[BaseModel]] = {
    "GET /v1/commitments": CommitmentQuery,
    "GET /v1/commitments/{commitment_id}": PointInTimeQuery,
    "GET /v1/commitments/{commitment_id}/corrections": CorrectionQuery,  # ingest's, on the commitments prefix
    "GET /v1/assignments": AssignmentQuery,
    "GET /v1/assignments/{assignment_id}": PointInTimeQuery,
    "GET /v1/calendar/occurrences": OccurrenceQuery,
    "GET /v1/actors": ActorsQuery,
    "GET /v1/reassignments": ProposalQuery,
    "GET /v1/scorecards/countries": CountryScorecardQuery,
    "GET /v1/scorecards/ministries": MinistryScorecardQuery,
    "GET /v1/subscriptions": SubscriptionQuery,
    "GET /v1/subscriptions/notices": NoticeQuery,
    "GET /v1/subscriptions/{subscription_id}/deliveries": DeliveryQuery,
    "GET /v1/subscriptions/{subscription_id}/dead-letters": DeadLetterQuery,
}
BODYLESS_POSTS = {"/secret/rotate", "/test", "/replay"}


def _names(model: type[BaseModel]) -> set[str]:
    return {field.alias or name for name, field in model.model_fields.items()}


async def test_every_parameter_body_and_answer_of_the_tracker_and_notifier_routes_is_documented(
    make_gateway: GatewayFactory,
) -> None:
    async with make_gateway() as gateway:
        document: dict[str, Any] = (await gateway.client.get("/openapi.json")).json()
    operations = {
        f"{method.upper()} {path}": operation
        for path, methods in document["paths"].items()
        if path.startswith(PREFIXES)
        for method, operation in methods.items()
    }
    assert len(operations) >= 34  # every route of phase 2 part A
    for label, operation in operations.items():
        method, path = label.split(" ", 1)
        query = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        assert query == (_names(QUERIES[label]) if label in QUERIES else set()), label
        success = {status: answer for status, answer in operation["responses"].items() if status.startswith("2")}
        assert len(success) == 1, label
        ((status, answer),) = success.items()
        if status == "204":
            assert method == "DELETE" and "content" not in answer, label
        else:
            assert answer["content"]["application/json"]["schema"].get("$ref"), label
        takes_body = method in ("PUT", "PATCH") or (method == "POST" and not path.endswith(tuple(BODYLESS_POSTS)))
        if takes_body:
            body = operation["requestBody"]
            assert body["required"] and body["content"]["application/json"]["schema"]["$ref"], label
            assert {"400", "413", "415", "422"} <= set(operation["responses"]), label
        else:
            assert "requestBody" not in operation, label
