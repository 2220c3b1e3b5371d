"""DOCX to text with python-docx: body paragraphs and tables in order, list numbering written out.

Word keeps bullets and "a." labels in numbering definitions, not in the text;
they are rendered back ("- ", "a. ", "1. ") so the extraction rules see the same
list shapes as in text files. Headings become Markdown-style "#" lines.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from resolute.ingest.formats.errors import MalformedDocument, NoDocumentContent

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _roman(n: int) -> str:
    out = ""
    for value, numeral in (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        while n >= value:
            out += numeral
            n -= value
    return out


def _label(fmt: str, n: int) -> str:
    if fmt == "bullet":
        return "-"
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) + "."
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1) + "."
    if fmt == "lowerRoman":
        return _roman(n) + "."
    if fmt == "upperRoman":
        return _roman(n).upper() + "."
    if fmt == "none":
        return ""
    return f"{n}."


class _Numbering:
    """Resolves (numId, ilvl) to a format and start, and counts items per list level."""

    def __init__(self, document: Any) -> None:
        self.formats: dict[tuple[str, str], tuple[str, int]] = {}
        self.counters: dict[tuple[str, str], int] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        abstract: dict[str, dict[str, tuple[str, int]]] = {}
        for a in root.iter(f"{_W}abstractNum"):
            levels: dict[str, tuple[str, int]] = {}
            for lvl in a.iter(f"{_W}lvl"):
                fmt_el = lvl.find(f"{_W}numFmt")
                start_el = lvl.find(f"{_W}start")
                fmt = fmt_el.get(f"{_W}val") if fmt_el is not None else "decimal"
                start = int(start_el.get(f"{_W}val")) if start_el is not None else 1
                levels[lvl.get(f"{_W}ilvl") or "0"] = (fmt or "decimal", start)
            abstract[a.get(f"{_W}abstractNumId") or ""] = levels
        for num in root.iter(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is None:
                continue
            for ilvl, spec in abstract.get(ref.get(f"{_W}val") or "", {}).items():
                self.formats[(num.get(f"{_W}numId") or "", ilvl)] = spec

    def prefix(self, num_id: str, ilvl: str) -> str:
        fmt, start = self.formats.get((num_id, ilvl), ("decimal", 1))
        key = (num_id, ilvl)
        n = self.counters.get(key, start - 1) + 1
        self.counters[key] = n
        for other in [k for k in self.counters if k[0] == num_id and k[1] > ilvl]:
            del self.counters[other]
        return _label(fmt, n)


def _paragraph_text(paragraph: Any, numbering: _Numbering) -> str:
    text = paragraph.text.strip()
    if not text:
        return ""
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    if style.lower().startswith("heading") and style[-1:].isdigit():
        return "#" * min(int(style[-1]), 6) + " " + text
    if style.lower() == "title":
        return "# " + text
    ppr = paragraph._p.pPr
    num_pr = ppr.numPr if ppr is not None else None
    if num_pr is None and paragraph.style is not None:
        style_ppr = paragraph.style.element.pPr
        num_pr = style_ppr.numPr if style_ppr is not None else None
    if num_pr is not None and num_pr.numId is not None:
        ilvl = str(num_pr.ilvl.val) if num_pr.ilvl is not None else "0"
        prefix = numbering.prefix(str(num_pr.numId.val), ilvl)
        return f"{prefix} {text}".strip()
    if "list bullet" in style.lower():
        return f"- {text}"
    return text


def read_docx(content: bytes) -> tuple[str, str | None, list[str]]:
    """The document body as text, the core-properties title, and warnings."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(content))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise MalformedDocument(f"damaged DOCX: {type(exc).__name__}") from exc
    except Exception as exc:  # python-docx wraps package errors in its own types
        raise MalformedDocument(f"damaged DOCX: {type(exc).__name__}: {str(exc)[:120]}") from exc
    numbering = _Numbering(document)
    parts: list[str] = []
    for element in document.element.body.iterchildren():
        if element.tag == f"{_W}p":
            text = _paragraph_text(Paragraph(element, document), numbering)
            if text:
                parts.append(text)
        elif element.tag == f"{_W}tbl":
            for row in Table(element, document).rows:
                cells = [c.text.strip() for c in row.cells]
                line = " | ".join(dict.fromkeys(c for c in cells if c))
                if line:
                    parts.append(line)
    text = "\n\n".join(parts)
    if not text.strip():
        raise NoDocumentContent("DOCX without text in its body")
    title = None
    try:
        title = (document.core_properties.title or "").strip() or None
    except Exception:  # core properties are optional
        title = None
    return text, title, []
