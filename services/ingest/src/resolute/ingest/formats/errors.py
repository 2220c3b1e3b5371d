"""Why a document could not be read, as typed errors the API maps to status codes.

UnsupportedFormat -> 415; EmptyDocument, NoTextLayer, NoDocumentContent and
MalformedDocument -> 422. Each message is one line, fit to show a user.
"""

from __future__ import annotations


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
