"""Document formats: bytes of a text, Markdown, HTML, PDF or DOCX file in, text for extraction out."""

from resolute.ingest.formats.errors import (
    DocumentReadError,
    EmptyDocument,
    MalformedDocument,
    NoDocumentContent,
    NoTextLayer,
    UnsupportedFormat,
)
from resolute.ingest.formats.models import DocumentFormat, DocumentText
from resolute.ingest.formats.reader import detect_format, read_document

__all__ = [
    "DocumentFormat",
    "DocumentReadError",
    "DocumentText",
    "EmptyDocument",
    "MalformedDocument",
    "NoDocumentContent",
    "NoTextLayer",
    "UnsupportedFormat",
    "detect_format",
    "read_document",
]
