"""Reading an upload off the wire with a bounded read, so an oversized body is refused before it is held.

The body is streamed and counted: a declared or actual size past the limit answers 413 at once, and at
most the limit (plus room for multipart framing) is ever held in memory. Multipart and JSON bodies then
yield the same `Upload`.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from pydantic import ValidationError
from starlette.datastructures import UploadFile
from starlette.requests import Request as StarletteRequest
from starlette.types import Message

from resolute.shared.api.documents import DocumentFieldsIn, DocumentTextIn
from resolute.shared.web.problems import ProblemError

# multipart framing and the small form fields around the file
FRAMING_ALLOWANCE = 64 * 1024


@dataclass(frozen=True)
class Upload:
    """The document's bytes and what the uploader said about it."""

    content: bytes
    filename: str | None
    content_type: str | None
    fields: DocumentFieldsIn


class UploadTooLarge(ProblemError):
    """413: the document is over the configured limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            413, f"the upload is larger than the {_megabytes(limit)} limit", kind="too-large", limit_bytes=limit
        )


def _megabytes(limit: int) -> str:
    return f"{limit / (1024 * 1024):g} MB"


async def read_body(request: Request, limit: int) -> bytes:
    """The raw body, or 413 as soon as it is known to exceed `limit` (declared length or bytes received)."""
    bound = limit + FRAMING_ALLOWANCE
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.strip().isdigit():
            raise ProblemError(400, "the Content-Length header is not a number", kind="bad-request")
        if int(declared) > bound:
            raise UploadTooLarge(limit)
    received = bytearray()
    async for chunk in request.stream():
        received += chunk
        if len(received) > bound:
            raise UploadTooLarge(limit)
    return bytes(received)


def _validation_problem(exc: ValidationError, detail: str) -> ProblemError:
    errors = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
    return ProblemError(422, detail, kind="validation", title="Invalid request", errors=errors)


async def _parse_multipart(request: Request, body: bytes) -> Upload:
    delivered = False

    async def replay() -> Message:
        nonlocal delivered
        if delivered:
            return {"type": "http.disconnect"}
        delivered = True
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        form = await StarletteRequest(request.scope, replay).form(max_files=1, max_fields=10)
    except Exception as exc:  # python-multipart and starlette raise several types for a broken body
        raise ProblemError(400, f"the multipart body cannot be parsed: {exc}", kind="bad-request") from exc
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise ProblemError(422, "a multipart upload needs a 'file' part", kind="validation")
        content = await upload.read()
        strings = {k: v for k, v in form.items() if isinstance(v, str) and v.strip()}
        try:
            fields = DocumentFieldsIn.model_validate(strings)
        except ValidationError as exc:
            raise _validation_problem(exc, "the upload's form fields are not valid") from exc
        filename = upload.filename.replace("\x00", "") if upload.filename else None
        return Upload(content=content, filename=filename, content_type=upload.content_type, fields=fields)
    finally:
        await form.close()


def _parse_json(body: bytes) -> Upload:
    try:
        document = DocumentTextIn.model_validate_json(body)
    except ValidationError as exc:
        raise _validation_problem(exc, "the JSON body is not a valid document") from exc
    fields = DocumentFieldsIn.model_validate(document.model_dump(exclude={"text"}))
    return Upload(content=document.text.encode(), filename=None, content_type="text/plain", fields=fields)


async def read_upload(request: Request, limit: int) -> Upload:
    """A multipart `file` (with optional fields) or a JSON `{"text", ...}`; anything else is a 415."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in ("multipart/form-data", "application/json"):
        raise ProblemError(
            415,
            "send the document as multipart/form-data (field 'file') or as JSON {\"text\": ...}",
            kind="unsupported-media-type",
        )
    body = await read_body(request, limit)
    upload = await _parse_multipart(request, body) if content_type == "multipart/form-data" else _parse_json(body)
    if len(upload.content) > limit:
        raise UploadTooLarge(limit)
    return upload
