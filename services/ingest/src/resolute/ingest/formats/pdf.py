"""PDF to text with pypdf: text-layer PDFs only; scans are refused with NoTextLayer.

Pages are joined with a form feed on its own line, which the extraction layout
treats as a page break (so running headers, footnotes and paragraphs cut by the
break are handled there). Words hyphenated across a line break are rejoined.
"""

from __future__ import annotations

import io
import logging
import re

from resolute.ingest.formats.errors import MalformedDocument, NoTextLayer, UnsupportedFormat

PAGE_BREAK = "\n\f\n"
_LIGATURES = str.maketrans(
    {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\u00ad": ""}
)
_HYPHENATED = re.compile(
    r"(?P<head>[A-Za-z\u00c0-\u024f]+)-[ \t]*\n[ \t]*(?P<tail>[a-z\u00df-\u024f][\w\u00c0-\u024f]*)"
)


def join_hyphenated(text: str) -> str:
    """Rejoin words hyphenated at a line end; keep the hyphen where the text writes the word with one."""

    def replace(m: re.Match[str]) -> str:
        head, tail = m.group("head"), m.group("tail")
        hyphenated = f"{head}-{tail}"
        if re.search(rf"\b{re.escape(hyphenated)}\b", text, re.I):
            return hyphenated
        if re.search(rf"\b{re.escape(head + tail)}\b", text, re.I):
            return head + tail
        if head[:1].isupper() and len(head) > 1 and head[1:].isupper():
            return hyphenated
        return head + tail

    return _HYPHENATED.sub(replace, text)


def _clean_page(text: str) -> str:
    lines = [line.rstrip() for line in text.translate(_LIGATURES).replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip("\n")


def read_pdf(content: bytes) -> tuple[str, str | None, list[str]]:
    """The text of every page, the document title (metadata), and warnings."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    warnings: list[str] = []
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise UnsupportedFormat("encrypted PDF: a password is needed to read it")
            except (NotImplementedError, PdfReadError) as exc:
                raise UnsupportedFormat("encrypted PDF: cannot be decrypted") from exc
        pages = [_clean_page(page.extract_text() or "") for page in reader.pages]
    except UnsupportedFormat:
        raise
    except Exception as exc:  # pypdf raises many types for damaged files
        raise MalformedDocument(f"damaged PDF: {type(exc).__name__}: {str(exc)[:120]}") from exc
    if not pages:
        raise MalformedDocument("PDF without pages")
    empty = sum(1 for p in pages if not p.strip())
    if empty == len(pages):
        raise NoTextLayer(f"PDF without a text layer ({len(pages)} page(s) of images only?): OCR it first")
    if empty:
        warnings.append(f"{empty} of {len(pages)} PDF pages have no text layer and were skipped")
    text = join_hyphenated(PAGE_BREAK.join(p for p in pages if p.strip()))
    title = None
    try:
        meta = reader.metadata
        if meta is not None and meta.title and str(meta.title).strip():
            title = str(meta.title).strip()
    except Exception:  # metadata is optional; a damaged info dict must not fail the read
        title = None
    return text, title, warnings
