"""How the gateway's public /v1 routes are made, and the pieces they share.

A route a service serves is one entry of the public route table (`resolute.shared.api.routes`): method and
path, the service behind it, who may call it, its query, body and answer models, its summary. The gateway
makes its forwarder from the entry (`resolute.gateway.forwarders`) and the service binds its handler to the
same entry, so both take the same shared models:

1. Query: a model from `resolute.shared.api` (lists a `ListQuery` subclass: `limit`, `cursor`, filters, `sort`).
   The models forbid unknown fields, so an unknown filter, an invalid date or a bad enum value is a 422 here,
   and every parameter is documented. A new filter is a new field of the model, nothing else.
2. Body: a model; a body that is not JSON is a 415 (`JSON_BODY`), malformed JSON a 400 and an invalid one a
   422. The validated model is forwarded, not the raw bytes.
3. Answer: the entry's model, and the problems that follow from its shape (`forwarders.problems_for`), each
   documented as problem+json.
4. Caller: the entry's scope (`PrincipalDep`, or `require_role(...)`); a rule that depends on the resource (a
   ministry's own assignments) is registered in `rules.BEFORE_FORWARDING` and answers 403 before forwarding.
5. Forward: the service's answer passes through as it is, bytes untouched (its problems too); its failures
   become the gateway's 502/503/504.

Routes the gateway composes itself (uploads of several media types, NDJSON exports, calendar feeds) and its
own routes (API keys, feed tokens, operations) are written by hand with the same pieces: the problem sets,
`JSON_BODY`, `parse_json_body`, `FeedQuery`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from fastapi import Depends, FastAPI, Request
from pydantic import BaseModel, Field, ValidationError

from resolute.gateway.state import gateway_state
from resolute.gateway.upstreams.client import Upstream
from resolute.shared.api.lists import Filters
from resolute.shared.web.problems import ProblemError, problem_responses
from resolute.shared.web.request_body import is_json, media_type_of

BodyModel = TypeVar("BodyModel", bound=BaseModel)
COMPONENT_REF = "#/components/schemas/{model}"

_CALLER = (401, 429, 500)
_UPSTREAM = (502, 503, 504)

#: a list: bad cursor (400), unknown or invalid parameters (422)
LIST_PROBLEMS: dict[int | str, dict[str, Any]] = problem_responses(400, *_CALLER, 403, 422, *_UPSTREAM)
#: one resource by id
ITEM_PROBLEMS: dict[int | str, dict[str, Any]] = problem_responses(*_CALLER, 403, 404, 422, *_UPSTREAM)
#: a write with a JSON body
WRITE_PROBLEMS: dict[int | str, dict[str, Any]] = problem_responses(
    400, *_CALLER, 403, 404, 409, 413, 415, 422, *_UPSTREAM
)
#: the gateway's own routes (no service behind them)
OWN_PROBLEMS: dict[int | str, dict[str, Any]] = problem_responses(400, *_CALLER, 403, 404, 422)
#: the gateway's own writes with a JSON body
OWN_WRITE_PROBLEMS: dict[int | str, dict[str, Any]] = problem_responses(400, *_CALLER, 403, 404, 413, 415, 422)


class FeedQuery(Filters):
    """Base of a calendar feed's query: the credentials a calendar client can only send in the URL."""

    token: str | None = Field(default=None, max_length=200, description="a feed token (`rsf_...`)")
    key: str | None = Field(default=None, max_length=200, description="an API key, if no feed token is used")

    def forwarded(self) -> dict[str, Any]:
        """The feed's own parameters, without the credentials (they never reach a service)."""
        return self.model_dump(mode="json", exclude_none=True, by_alias=True, exclude={"token", "key"})


def upstream(request: Request, name: str) -> Upstream:
    """The named service ('ingest', 'tracker', 'notifier')."""
    return gateway_state(request).upstreams[name]


async def _require_json_body(request: Request) -> None:
    media_type = media_type_of(request.headers.get("content-type"))
    if not is_json(media_type):
        raise ProblemError(
            415,
            f"send this body as application/json, not {media_type or '(no content type)'}",
            kind="unsupported-media-type",
        )


JSON_BODY = Depends(_require_json_body)


def parse_json_body(raw: bytes, model: type[BodyModel]) -> BodyModel:
    """A JSON body read by hand (routes that also take other media types): 400 if malformed, 422 if invalid."""
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        errors = [{"loc": ["body", *e["loc"]], "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
        if any(e["type"] == "json_invalid" for e in errors):
            raise ProblemError(400, "the body is not well-formed JSON", kind="malformed-json", errors=errors) from exc
        first = errors[0]
        detail = f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
        raise ProblemError(422, detail, kind="validation", title="Invalid request", errors=errors) from exc


def document_models(app: FastAPI, models: Sequence[type[BaseModel]]) -> None:
    """Add models to the OpenAPI components that no route names as its response_model (e.g. NDJSON lines)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = generate()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in models:
            definition = model.model_json_schema(ref_template=COMPONENT_REF, mode="serialization")
            for name, nested in definition.pop("$defs", {}).items():
                components.setdefault(name, nested)
            components.setdefault(model.__name__, definition)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def component_ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": COMPONENT_REF.format(model=model.__name__)}
