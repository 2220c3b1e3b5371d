"""Bytes in, text out: detect the format from the content (not only the name) and read it.

Plain text and Markdown keep the decoded text unchanged, so extraction spans
index into the file itself; HTML, PDF and DOCX yield text written by the readers.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Literal

from resolute.ingest.formats.errors import EmptyDocument, MalformedDocument, UnsupportedFormat
from resolute.ingest.formats.limits import DEFAULT_LIMITS, ReadLimits
from resolute.ingest.formats.models import DocumentText
from resolute.ingest.formats.plaintext import decode_text, looks_like_markdown, markdown_score

_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"RIFF", "RIFF media"),
    (b"\xd0\xcf\x11\xe0", "legacy Office file (.doc/.xls)"),
    (b"{\\rtf", "RTF document"),
    (b"%!PS", "PostScript file"),
    (b"\x1f\x8b", "gzip archive"),
    (b"7z\xbc\xaf", "7-Zip archive"),
    (b"Rar!", "RAR archive"),
    (b"\x7fELF", "executable"),
    (b"MZ", "executable"),
    (b"OggS", "audio file"),
    (b"ID3", "audio file"),
    (b"\x00\x00\x00", "binary file"),
)
_HTML_START = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html\b|<\?xml[^>]*>\s*<!doctype\s+html|<\?xml[^>]*>\s*<html\b)",
    re.I | re.S,
)
_HTML_TAGS = re.compile(
    r"<(?:p|div|body|head|br|span|a|li|ul|ol|h[1-6]|table|tr|td|article|main|section|meta|title)\b[^>]*>",
    re.I,
)


def _is_html(text: str, filename: str | None, content_type: str | None) -> bool:
    head = text[:5000]
    if _HTML_START.match(head):
        return True
    tags = len(_HTML_TAGS.findall(head))
    hinted = (content_type or "").lower().startswith(("text/html", "application/xhtml")) or (
        (filename or "").lower().endswith((".html", ".htm", ".xhtml"))
    )
    return (tags >= 5 and head.lstrip().startswith("<")) or (hinted and tags >= 2)


def detect_format(content: bytes) -> Literal["pdf", "docx", "text"]:
    """The container the bytes are in: PDF, DOCX or text (which may hold HTML or Markdown)."""
    if not content:
        raise EmptyDocument("empty file")
    stripped = content.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"%PDF") or b"%PDF-" in content[:1024]:
        return "pdf"
    if content.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(content)).namelist())
        except zipfile.BadZipFile as exc:
            raise MalformedDocument("damaged ZIP container") from exc
        if "word/document.xml" in names:
            return "docx"
        raise UnsupportedFormat("ZIP container that is not a Word document (.docx)")
    for magic, name in _BINARY_MAGIC:
        if content.startswith(magic):
            raise UnsupportedFormat(f"{name}: not a supported document format")
    return "text"


def read_document(
    content: bytes,
    *,
    filename: str | None = None,
    content_type: str | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> DocumentText:
    """Read a resolution, declaration or press release in text, Markdown, HTML, PDF or DOCX, within `limits`."""
    return _without_nul(_read(content, filename, content_type, limits))


def _without_nul(document: DocumentText) -> DocumentText:
    """Stray NUL characters become U+FFFD: same length, so spans hold, and storable (PostgreSQL refuses NUL)."""
    if "\x00" not in document.text and "\x00" not in (document.title or ""):
        return document
    count = document.text.count("\x00")
    return DocumentText(
        text=document.text.replace("\x00", "\ufffd"),
        format=document.format,
        warnings=[*document.warnings, f"{count} NUL character(s) replaced by U+FFFD"],
        title=document.title.replace("\x00", "") if document.title else None,
        blocks=document.blocks,
    )


def _read(content: bytes, filename: str | None, content_type: str | None, limits: ReadLimits) -> DocumentText:
    fmt = detect_format(content)
    if fmt == "pdf":
        from resolute.ingest.formats.pdf import read_pdf

        return read_pdf(content, limits)
    if fmt == "docx":
        from resolute.ingest.formats.docx import read_docx

        return read_docx(content, limits)
    text, warnings = decode_text(content)
    if not text.strip():
        raise EmptyDocument("the file holds only whitespace")
    limits.check_text(len(text))
    if _is_html(text, filename, content_type):
        from resolute.ingest.formats.html import read_html

        page = read_html(text, limits)
        return DocumentText(
            text=page.text, format="html", warnings=warnings + page.warnings, title=page.title, blocks=page.blocks
        )
    name = (filename or "").lower()
    markdown = looks_like_markdown(text) or (name.endswith((".md", ".markdown")) and markdown_score(text) >= 1)
    return DocumentText(text=text, format="markdown" if markdown else "text", warnings=warnings, title=None)
