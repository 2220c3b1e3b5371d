"""The result of reading a document: its text and what kind of file it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

DocumentFormat = Literal["text", "markdown", "html", "pdf", "docx"]


@dataclass(frozen=True, slots=True)
class DocumentText:
    """Text for extraction. For text and Markdown it is the decoded file, so spans index the file."""

    text: str
    format: DocumentFormat
    warnings: list[str] = field(default_factory=list)
    title: str | None = None
