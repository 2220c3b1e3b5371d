"""PDF to canonical text with PDFium (pypdfium2): glyphs with their boxes, sizes and weights, page by page.

Why PDFium and not pdfminer.six/pdfplumber: all three give positioned glyphs with font sizes, but on the
same PDFs (the layout zoo's renderings: an 8-page resolution, the 32-page NATO PA bundle and that bundle
three times, 96 pages; benchmarks/pdf_libraries.py, each library in a fresh process) pypdfium2 read box,
size and weight of every glyph at 60-114 pages/s with a peak RSS of 25-26 MiB, pdfminer.six at 19-31
pages/s (43 MiB) and pdfplumber at 8-18 pages/s (41-43 MiB): three to six times faster, in 40 % less
memory, from one self-contained wheel with no dependencies (pdfplumber needs pdfminer.six, pypdfium2
itself, Pillow and cryptography). PDFium is Chromium's PDF engine, fuzzed continuously, which matters
for a service reading uploads.

Only the text layer is read: a PDF whose pages have no text (a scan) is refused with NoTextLayer. Pages
are loaded one at a time and closed before the next, so memory stays flat however long the bundle;
before PDFium sees the file, every decodable stream is inflated in bounded chunks and counted
(pdf_streams), so a flate bomb is refused (DocumentTooLarge) instead of inflated; an encrypted PDF, whose
streams cannot be measured so, is refused (UnsupportedFormat: an unprotected copy reads). PDFium is not
thread-safe: reads are serialised by a lock (uploads are read in worker threads).

The structure (running headers, footnotes, columns, paragraphs, items) is recovered by pdf_layout.
"""

from __future__ import annotations

import ctypes
import threading
from collections import Counter
from typing import Any

from resolute.ingest.formats.errors import MalformedDocument, NoTextLayer, UnsupportedFormat
from resolute.ingest.formats.limits import DEFAULT_LIMITS, ReadLimits
from resolute.ingest.formats.models import DocumentText
from resolute.ingest.formats.pdf_layout import HARD_BREAK, HYPHEN_JOIN, Page, PageLayout, Run, group_lines
from resolute.ingest.formats.pdf_streams import check_stream_budget, is_encrypted

_PDFIUM = threading.Lock()
_LIGATURES = {0xFB00: "ff", 0xFB01: "fi", 0xFB02: "fl", 0xFB03: "ffi", 0xFB04: "ffl", 0xFB05: "st", 0xFB06: "st"}
_SPACES = {0x20, 0xA0, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A}
_BREAKS = {0x0A, 0x0D}
_DROPPED = {0x00AD, 0xFEFF, 0xFFFF, 0x200B, 0x03}
_LINE_END_HYPHENS = frozenset({0x02, 0xFFFE})  # how PDFium reports a hyphen ending a line (a broken word)
_BOLD_WEIGHT = 600


def read_pdf(content: bytes, limits: ReadLimits = DEFAULT_LIMITS) -> DocumentText:
    """The canonical text and blocks of a text-layer PDF, its metadata title, and warnings."""
    if is_encrypted(content):
        # its streams are ciphertext to the bomb check, so what they inflate to cannot be bounded beforehand
        raise UnsupportedFormat("encrypted PDF: save or export an unprotected copy to upload it")
    check_stream_budget(content, limits)
    with _PDFIUM:
        pages, title, empty = _read_pages(content, limits)
    warnings: list[str] = []
    if empty:
        warnings.append(f"{empty} of {len(pages) + empty} PDF pages have no text layer and were skipped")
    text, blocks = PageLayout(pages).blocks()
    limits.check_text(len(text))
    return DocumentText(text=text, format="pdf", warnings=warnings, title=title, blocks=blocks)


def _read_pages(content: bytes, limits: ReadLimits) -> tuple[list[Page], str | None, int]:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(content)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise UnsupportedFormat("encrypted PDF: a password is needed to read it") from exc
        raise MalformedDocument(f"damaged PDF: {str(exc)[:120]}") from exc
    try:
        count = len(document)
        if count == 0:
            raise MalformedDocument("PDF without pages")
        limits.check_pages(count)
        pages: list[Page] = []
        empty = 0
        chars = 0
        for index in range(count):
            page = _read_page(document, index)
            chars += sum(line.chars for line in page.lines)
            limits.check_text(chars)
            if page.lines:
                pages.append(page)
            else:
                empty += 1
        if not pages:
            raise NoTextLayer(f"PDF without a text layer ({count} page(s) of images only?): OCR it first")
        return pages, _title(document), empty
    finally:
        document.close()


def _read_page(document: object, index: int) -> Page:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    assert isinstance(document, pdfium.PdfDocument)
    try:
        page = document[index]
    except pdfium.PdfiumError as exc:
        raise MalformedDocument(f"damaged PDF: page {index + 1} cannot be loaded") from exc
    try:
        width, height = page.get_size()
        textpage = page.get_textpage()
        try:
            runs = _runs(raw, textpage.raw, height)
        finally:
            textpage.close()
    finally:
        page.close()
    return Page(index + 1, width, height, group_lines(runs))


def _page_codes(raw: Any, textpage: Any, n: int) -> list[int]:
    """The page's characters as code points, one per character index (PDFium's own text order)."""
    buffer = (ctypes.c_ushort * (n + 1))()
    written = raw.FPDFText_GetText(textpage, 0, n, buffer)
    codes = list(buffer[: max(written - 1, 0)])
    if len(codes) != n or any(0xD800 <= c < 0xE000 for c in codes):
        # a character outside the BMP takes two UTF-16 units: ask per index instead
        codes = [raw.FPDFText_GetUnicode(textpage, i) for i in range(n)]
    return codes


class _Glyphs:
    """Boxes and weights of a page's characters, asked of PDFium one word at a time."""

    def __init__(self, raw: Any, textpage: Any, page_height: float) -> None:
        self.get_box = raw.FPDFText_GetLooseCharBox
        self.get_weight = raw.FPDFText_GetFontWeight
        self.textpage = textpage
        self.height = page_height
        self.rect = raw.FS_RECTF()
        self.ref = ctypes.byref(self.rect)

    def box(self, i: int) -> tuple[float, float, float, float] | None:
        """left, right, top, bottom (from the top of the page), or None for a glyph without a box."""
        if not self.get_box(self.textpage, i, self.ref):
            return None
        r = self.rect
        top, bottom = self.height - r.top, self.height - r.bottom
        if bottom - top <= 0 or r.right < r.left:
            return None
        return r.left, r.right, top, bottom

    def bold(self, i: int) -> bool:
        return bool(self.get_weight(self.textpage, i) >= _BOLD_WEIGHT)


def _runs(raw: Any, textpage: Any, page_height: float) -> list[Run]:
    """Glyphs in drawing order, cut into runs at line breaks, jumps and wide gaps.

    PDFium's text order separates words by spaces (real or generated) and lines by line breaks, so boxes
    are asked for the first and last glyph of each word; a word whose ends do not sit on one line (no break
    between two lines) is measured glyph by glyph.
    """
    n = raw.FPDFText_CountChars(textpage)
    if n <= 0:
        return []
    codes = _page_codes(raw, textpage, n)
    glyphs = _Glyphs(raw, textpage, page_height)
    builder = _RunBuilder()
    i = 0
    while i < n:
        code = codes[i]
        if code in _BREAKS:
            builder.broken = True
            i += 1
            continue
        if code in _SPACES or code == 0x09:
            builder.space = True
            i += 1
            continue
        j = i
        while j < n and codes[j] not in _BREAKS and codes[j] not in _SPACES and codes[j] != 0x09:
            j += 1
            if codes[j - 1] in _LINE_END_HYPHENS:
                break  # PDFium writes no line break after a line-end hyphen
        _add_word(builder, glyphs, codes, i, j)
        if codes[j - 1] in _LINE_END_HYPHENS:
            builder.broken = True
        i = j
    builder.close()
    return builder.runs


def _add_word(builder: _RunBuilder, glyphs: _Glyphs, codes: list[int], i: int, j: int) -> None:
    text = "".join(_char(c) for c in codes[i:j])
    if not text:
        return
    first = next((b for b in (glyphs.box(k) for k in range(i, j)) if b is not None), None)
    last = next((b for b in (glyphs.box(k) for k in range(j - 1, i - 1, -1)) if b is not None), None)
    if first is None or last is None:
        return
    same_line = min(first[3], last[3]) - max(first[2], last[2]) >= 0.4 * min(first[3] - first[2], last[3] - last[2])
    if same_line and last[0] >= first[0] - 0.5:
        builder.add(text, first[0], max(first[1], last[1]), first[2], first[3], glyphs.bold(i))
        return
    for k in range(i, j):  # a word that jumps lines: glyph by glyph
        box = glyphs.box(k)
        ch = _char(codes[k])
        if box is not None and ch:
            builder.add(ch, box[0], box[1], box[2], box[3], glyphs.bold(k), glued=True)


def _char(code: int) -> str:
    if code in _LINE_END_HYPHENS:
        return "-"
    if code in _DROPPED or code < 0x20 or code in (ord(HYPHEN_JOIN), ord(HARD_BREAK)):
        return ""
    return _LIGATURES.get(code) or chr(code)


class _RunBuilder:
    """Accumulates words into runs; a run ends at a line break, a jump back or down, or a wide gap."""

    def __init__(self) -> None:
        self.runs: list[Run] = []
        self.parts: list[str] = []
        self.heights: Counter[float] = Counter()
        self.bold_chars = self.chars = 0
        self.x0 = self.x1 = self.top = self.bottom = self.first_word_x1 = self.size = 0.0
        self.space = self.broken = False

    def close(self) -> None:
        if self.parts:
            text = "".join(self.parts).strip()
            if text:
                size = self.heights.most_common(1)[0][0]
                bold = self.bold_chars * 2 > self.chars
                self.runs.append(
                    Run(self.x0, self.x1, self.top, self.bottom, size, bold, text, self.first_word_x1 or self.x1)
                )
        self.parts = []

    def add(
        self, text: str, left: float, right: float, top: float, bottom: float, bold: bool, glued: bool = False
    ) -> None:
        h = bottom - top
        if self.parts:
            size = self.size
            overlap = min(self.bottom, bottom) - max(self.top, top)
            gap = left - self.x1
            new_line = overlap < 0.4 * min(h, self.bottom - self.top) or left < self.x0 - 0.5 * size
            jumped = self.broken and (gap < -0.5 * size or overlap < 0.6 * h)
            if new_line or gap > 0.9 * max(size, h) or jumped:
                self.close()
            elif self.space or self.broken or (gap > 0.15 * size and not glued):
                if not self.first_word_x1:
                    self.first_word_x1 = self.x1
                self.parts.append(" ")
        if not self.parts:
            self.heights = Counter()
            self.bold_chars = self.chars = 0
            self.x0, self.x1, self.top, self.bottom, self.first_word_x1, self.size = left, right, top, bottom, 0.0, h
        self.parts.append(text)
        self.heights[round(h, 1)] += len(text)
        self.chars += len(text)
        if bold:
            self.bold_chars += len(text)
        self.x1 = max(self.x1, right)
        self.top, self.bottom = min(self.top, top), max(self.bottom, bottom)
        self.space = self.broken = False


def _title(document: object) -> str | None:
    try:
        value = document.get_metadata_value("Title")  # type: ignore[attr-defined]
    except Exception:  # a damaged info dictionary must not fail the read
        return None
    title = " ".join(str(value or "").split())
    return title or None
