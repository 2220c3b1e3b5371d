"""PDF to canonical text with PDFium (pypdfium2): glyphs with their boxes, sizes and weights, page by page.

Why PDFium and not pdfminer.six/pdfplumber: both give positioned characters with font sizes, but on the
same PDFs (fpdf2 renderings of the corpus, 5 to 80 pages, in one process each) PDFium read the glyphs at
34-84 pages/s with a peak RSS of 27 MiB, pdfminer.six at 10-20 pages/s (41-43 MiB) and pdfplumber at
7-9 pages/s (45-46 MiB): four to nine times faster, in less memory, and one self-contained wheel with
no dependencies (pdfplumber needs pdfminer.six, pypdfium2 itself, Pillow and cryptography). PDFium is
Chromium's PDF engine, fuzzed continuously, which matters for a service reading uploads.

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

from resolute.ingest.formats.errors import MalformedDocument, NoTextLayer, UnsupportedFormat
from resolute.ingest.formats.limits import DEFAULT_LIMITS, ReadLimits
from resolute.ingest.formats.models import DocumentText
from resolute.ingest.formats.pdf_layout import HARD_BREAK, HYPHEN_JOIN, Line, Page, PageLayout, Run, group_lines
from resolute.ingest.formats.pdf_streams import check_stream_budget, is_encrypted

_PDFIUM = threading.Lock()
_LIGATURES = {0xFB00: "ff", 0xFB01: "fi", 0xFB02: "fl", 0xFB03: "ffi", 0xFB04: "ffl", 0xFB05: "st", 0xFB06: "st"}
_SPACES = {0x20, 0xA0, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A}
_BREAKS = {0x0A, 0x0D}
_DROPPED = {0x00AD, 0xFEFF, 0xFFFE, 0xFFFF, 0x200B, 0x03}
_LINE_END_HYPHEN = 0x02  # PDFium reports a hyphen that ends a line (a broken word) as U+0002
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


def _runs(raw: object, textpage: object, page_height: float) -> list[Run]:
    """Glyphs in drawing order, cut into runs at line breaks, jumps and wide gaps."""
    count_chars = raw.FPDFText_CountChars  # type: ignore[attr-defined]
    get_unicode = raw.FPDFText_GetUnicode  # type: ignore[attr-defined]
    get_box = raw.FPDFText_GetLooseCharBox  # type: ignore[attr-defined]
    get_weight = raw.FPDFText_GetFontWeight  # type: ignore[attr-defined]
    rect = raw.FS_RECTF()  # type: ignore[attr-defined]
    rect_ref = ctypes.byref(rect)
    n = count_chars(textpage)
    runs: list[Run] = []
    chars: list[str] = []
    heights: Counter[float] = Counter()
    bold = total = 0
    x0 = x1 = top = bottom = first_word_x1 = 0.0
    space = broken = False
    open_run = False

    def close() -> None:
        nonlocal open_run
        if open_run and chars:
            text = "".join(chars).strip()
            if text:
                size = heights.most_common(1)[0][0]
                runs.append(Run(x0, x1, top, bottom, size, bold * 2 > total, text, first_word_x1 or x1))
        open_run = False

    for i in range(max(n, 0)):
        code = get_unicode(textpage, i)
        if code in _BREAKS:
            broken = True
            continue
        if code in _SPACES or code == 0x09:
            space = True
            continue
        if code == _LINE_END_HYPHEN:
            code = 0x2D
        elif code in _DROPPED or code < 0x20:
            continue
        if not get_box(textpage, i, rect_ref):
            continue
        left, right = rect.left, rect.right
        c_top, c_bottom = page_height - rect.top, page_height - rect.bottom
        h = c_bottom - c_top
        if h <= 0 or right < left:
            continue
        ch = _LIGATURES.get(code) or (chr(code) if code not in (ord(HYPHEN_JOIN), ord(HARD_BREAK)) else " ")
        if open_run:
            overlap = min(bottom, c_bottom) - max(top, c_top)
            gap = left - x1
            size = heights.most_common(1)[0][0]
            new_line = overlap < 0.4 * min(h, bottom - top) or left < x0 - 0.5 * size
            if new_line or gap > 0.9 * max(size, h) or (broken and (gap < -0.5 * size or overlap < 0.6 * h)):
                close()
            elif space or gap > 0.15 * size or broken:
                if not first_word_x1:
                    first_word_x1 = x1
                chars.append(" ")
        if not open_run:
            chars = []
            heights = Counter()
            bold = total = 0
            x0, x1, top, bottom, first_word_x1 = left, right, c_top, c_bottom, 0.0
            open_run = True
        chars.append(ch)
        heights[round(h, 1)] += 1
        total += 1
        if get_weight(textpage, i) >= _BOLD_WEIGHT:
            bold += 1
        x1 = max(x1, right)
        top, bottom = min(top, c_top), max(bottom, c_bottom)
        space = broken = False
    close()
    return runs


def _title(document: object) -> str | None:
    try:
        value = document.get_metadata_value("Title")  # type: ignore[attr-defined]
    except Exception:  # a damaged info dictionary must not fail the read
        return None
    title = " ".join(str(value or "").split())
    return title or None


def page_lines_for_tests(content: bytes) -> list[list[Line]]:
    """Every page's lines as the layout sees them (for tests of the geometry)."""
    with _PDFIUM:
        pages, _, _ = _read_pages(content, DEFAULT_LIMITS)
    return [p.lines for p in pages]
