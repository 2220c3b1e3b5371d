"""Bytes in, text out: the skeleton reads UTF-8 text only (PDF, HTML and DOCX arrive with the extraction issue)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from resolute.ingest.formats.errors import EmptyDocument, UnsupportedFormat


@dataclass
class DocumentText:
    text: str
    format: Literal["text", "markdown", "html", "pdf", "docx"]
    warnings: list[str] = field(default_factory=list)
    title: str | None = None


def read_document(content: bytes, *, filename: str | None = None, content_type: str | None = None) -> DocumentText:
    if not content.strip():
        raise EmptyDocument("the document is empty")
    if b"\x00" in content[:4096]:
        raise UnsupportedFormat("binary content is not a supported document format")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnsupportedFormat("the document is not UTF-8 text") from exc
    return DocumentText(text=text, format="markdown" if (filename or "").endswith(".md") else "text")
