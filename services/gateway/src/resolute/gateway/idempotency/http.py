"""Idempotency-Key around a route's handler: a retry of a request that was answered gets that answer again
(`Idempotent-Replayed: true`), whatever happened to the first answer on its way back. Only successes are
kept; a refusal or a failure lets the key go, so the retry is simply tried again (uploads are also found by
their content, so a document is never stored twice)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Request, Response

from resolute.gateway.api_keys.scopes import Principal
from resolute.gateway.idempotency import rules, service
from resolute.gateway.state import gateway_state
from resolute.shared.clock import utcnow
from resolute.shared.logging import get_logger
from resolute.shared.web.problems import ProblemError

log = get_logger(__name__)

#: the header documented on every route that takes it
PARAMETER: dict[str, Any] = {
    "in": "header",
    "name": rules.HEADER,
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
    "description": (
        "any unique string (a UUID): a retry with the same key and payload within 24 hours gets the first "
        "answer again, with `Idempotent-Replayed: true`; the same key with another payload is a 422"
    ),
}
OPENAPI_EXTRA: dict[str, Any] = {"parameters": [PARAMETER]}


async def idempotent(
    request: Request, principal: Principal, route: str, answer: Callable[[], Awaitable[Response]]
) -> Response:
    """The route's answer, kept under the request's Idempotency-Key if it has one."""
    given = request.headers.get(rules.HEADER)
    if given is None:
        return await answer()
    try:
        key = rules.checked_key(given)
    except rules.InvalidKey as exc:
        raise ProblemError(400, str(exc), kind="invalid-idempotency-key") from exc
    body = await request.body()
    scope = service.Scope(
        principal.key_id, route, key,
        rules.fingerprint(request.method, request.url.path, request.headers.get("content-type"), body),
    )  # fmt: skip
    sessionmaker = gateway_state(request).sessionmaker
    kept = await service.claim(sessionmaker, scope, utcnow())
    if kept is not None:
        log.info("idempotent_replay", route=route, status=kept.status)
        return Response(
            kept.body, status_code=kept.status, media_type=kept.content_type, headers={"Idempotent-Replayed": "true"}
        )
    try:
        response = await answer()
    except BaseException:  # cancelled too: the release finishes even if this request does not
        await asyncio.shield(service.release(sessionmaker, scope))
        raise
    if 200 <= response.status_code < 300:
        content_type = response.headers.get("content-type")
        kept_answer = service.Answer(response.status_code, content_type, bytes(response.body))
        await service.keep(sessionmaker, scope, kept_answer, utcnow())
    else:
        await service.release(sessionmaker, scope)
    return response
