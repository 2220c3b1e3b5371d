"""Document formats: bytes of a text, Markdown, HTML, PDF or DOCX file in, canonical text and blocks out."""

from resolute.ingest.formats.errors import (
    DocumentReadError,
    DocumentTooDeep,
    DocumentTooLarge,
    EmptyDocument,
    MalformedDocument,
    NoDocumentContent,
    NoTextLayer,
    ReadLimitExceeded,
    UnsupportedFormat,
)
from resolute.ingest.formats.limits import DEFAULT_LIMITS, ReadLimits
from resolute.ingest.formats.models import BlockKind, DocumentFormat, DocumentText, TextBlock
from resolute.ingest.formats.reader import detect_format, read_document

__all__ = [
    "DEFAULT_LIMITS",
    "BlockKind",
    "DocumentFormat",
    "DocumentReadError",
    "DocumentText",
    "DocumentTooDeep",
    "DocumentTooLarge",
    "EmptyDocument",
    "MalformedDocument",
    "NoDocumentContent",
    "NoTextLayer",
    "ReadLimitExceeded",
    "ReadLimits",
    "TextBlock",
    "UnsupportedFormat",
    "detect_format",
    "read_document",
]
