"""Why a document could not be read, as typed errors the API maps to status codes.

UnsupportedFormat -> 415; DocumentTooLarge -> 413; EmptyDocument, NoTextLayer, NoDocumentContent,
MalformedDocument and DocumentTooDeep -> 422. Each message is one line, fit to show a user.
"""

from __future__ import annotations

from typing import Any


class DocumentReadError(ValueError):
    """A document could not be turned into text."""


class UnsupportedFormat(DocumentReadError):
    """The bytes are not a format Resolute reads (binary, image, spreadsheet, undecodable text, ...)."""


class EmptyDocument(DocumentReadError):
    """The file is empty or holds only whitespace."""


class NoTextLayer(DocumentReadError):
    """A PDF without extractable text (a scan or images only); it needs OCR first."""


class NoDocumentContent(DocumentReadError):
    """The format was read but held no document text (a page of navigation only, an empty DOCX)."""


class MalformedDocument(DocumentReadError):
    """The bytes claim a known format but are corrupt or truncated."""


class ReadLimitExceeded(DocumentReadError):
    """A bound on reading was passed; the reader stopped before holding or parsing the rest.

    `limit` names the setting (e.g. `max_decompressed_bytes`) so an operator knows what to raise.
    """

    def __init__(self, message: str, *, limit: str) -> None:
        super().__init__(message)
        self.limit = limit

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled with its `limit` (it crosses from an extraction worker to the service)."""
        return _rebuilt, (type(self), str(self), self.limit)


def _rebuilt(cls: type[ReadLimitExceeded], message: str, limit: str) -> ReadLimitExceeded:
    return cls(message, limit=limit)


class DocumentTooLarge(ReadLimitExceeded):
    """More pages, decompressed bytes or text than the limits allow (a decompression bomb, or just too big)."""


class DocumentTooDeep(ReadLimitExceeded):
    """Markup nested deeper than any real document (HTML or XML built to exhaust a parser)."""
