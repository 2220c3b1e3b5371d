"""Request bodies held to a size and a media type before anyone reads them: 413 and 415 as problem+json.

An ASGI middleware, because a route (or FastAPI's body parsing) reads the body before any dependency could
look at it: a declared Content-Length over the limit is refused before the app sees it, and a chunked body
is counted as it arrives and refused the moment it passes the limit, so an oversize body is never buffered.
The rest of a refused body is read and thrown away (up to `drain_bytes`) before the answer: an HTTP/1.1
client sends its whole body before it reads, and a server that closes early leaves it with a reset
connection instead of the 413. A body beyond `drain_bytes` gets the 413 and the connection closed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping
from typing import Any

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from resolute.shared.logging import request_id_var
from resolute.shared.web.problems import PROBLEM_MEDIA_TYPE, ProblemError, problem_body

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
DRAIN_BYTES = 128 * 1024 * 1024


FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"


def media_type_of(content_type: str | None) -> str:
    """`application/json; charset=utf-8` -> `application/json`."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def is_json(media_type: str) -> bool:
    return media_type == "application/json" or (media_type.startswith("application/") and media_type.endswith("+json"))


class BodyTooLarge(ProblemError):
    """Raised from `receive` when a streamed body passes the limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than the limit of {limit} bytes", kind="too-large")


class RequestBodyPolicy:
    """Refuse bodies over `max_bytes` (per-route overrides by exact method and path) or of a media type not accepted.

    `media_types` lists what any route accepts at all (`application/json` also admits `+json` types); a route
    that takes less checks that itself. `form_paths` says which paths also take an HTML form's urlencoded body
    (the web console's pages, never the API). Requests without a body pass untouched.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_bytes: int,
        overrides: Mapping[tuple[str, str], int] | None = None,
        media_types: Collection[str] = ("application/json", "multipart/form-data"),
        form_paths: Callable[[str], bool] | None = None,
        drain_bytes: int = DRAIN_BYTES,
    ) -> None:
        self.app = app
        self.drain_bytes = drain_bytes
        self.max_bytes = max_bytes
        self.overrides = {(m.upper(), p.rstrip("/") or "/"): v for (m, p), v in (overrides or {}).items()}
        self.media_types = frozenset(m.lower() for m in media_types)
        self.form_paths = form_paths

    def limit_for(self, method: str, path: str) -> int:
        return self.overrides.get((method, path.rstrip("/") or "/"), self.max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        limit = self.limit_for(scope["method"], scope["path"])
        declared = headers.get("content-length")
        chunked = "chunked" in headers.get("transfer-encoding", "").lower()
        has_body = chunked or (declared is not None and declared.strip() != "0")
        if declared is not None and declared.strip().isdigit() and int(declared) > limit:
            drained = int(declared) <= self.drain_bytes and await self._drain(receive)
            await self._refuse(scope, send, BodyTooLarge(limit), close=not drained)
            return
        media_type = media_type_of(headers.get("content-type"))
        if has_body and not self._accepts(media_type, scope["path"]):
            accepted = ", ".join(sorted(self.media_types))
            await self._refuse(
                scope,
                send,
                ProblemError(
                    415,
                    f"a body of type {media_type or '(none)'} is not accepted; send one of: {accepted}",
                    kind="unsupported-media-type",
                ),
            )
            return
        await self._counted(scope, receive, send, limit)

    def _accepts(self, media_type: str, path: str) -> bool:
        if media_type in self.media_types:
            return True
        if media_type == FORM_MEDIA_TYPE and self.form_paths is not None and self.form_paths(path):
            return True
        return "application/json" in self.media_types and is_json(media_type)

    async def _counted(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        received = 0
        body_done = False
        exceeded = False
        started = False
        refused = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded, body_done
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                body_done = not message.get("more_body", False)
                if received > limit:
                    exceeded = True
                    raise BodyTooLarge(limit)
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started, refused
            if refused:
                return
            if exceeded and not started:
                # whatever answer the app made of the cut-off body (FastAPI turns it into a 400), it is a 413
                refused = started = True
                drained = body_done or await self._drain(receive, received)
                await self._refuse(scope, send, BodyTooLarge(limit), close=not drained)
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except BodyTooLarge as exc:
            if refused:
                return
            if started:
                raise
            drained = body_done or await self._drain(receive, received)
            await self._refuse(scope, send, exc, close=not drained)

    async def _drain(self, receive: Receive, already: int = 0) -> bool:
        """Read the rest of the body and drop it; False if it runs past `drain_bytes` or the client goes away."""
        total = already
        while total <= self.drain_bytes:
            message = await receive()
            if message["type"] != "http.request":
                return False
            total += len(message.get("body", b""))
            if not message.get("more_body", False):
                return total <= self.drain_bytes
        return False

    async def _refuse(self, scope: Scope, send: Send, problem: ProblemError, *, close: bool = False) -> None:
        state: dict[str, Any] = scope.get("state") or {}
        body = problem_body(
            problem.status,
            problem.detail,
            instance=scope["path"],
            request_id=state.get("request_id") or request_id_var.get(),
            kind=problem.kind,
            title=problem.title,
        )
        payload = json.dumps(body).encode()
        headers = [
            (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
            (b"content-length", str(len(payload)).encode()),
        ]
        if close:
            headers.append((b"connection", b"close"))  # the rest of the body was not read: this connection is done
        await send({"type": "http.response.start", "status": problem.status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})
