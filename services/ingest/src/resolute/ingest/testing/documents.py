"""Sample documents in every format the ingest service reads, built from a plain or Markdown text.

Tests, the end-to-end suite and the benchmarks upload the corpus texts as a secretariat would receive
them: typeset as a PDF, published as a web page among site debris, or written in Word.
"""

from __future__ import annotations

import html
import io
import re

from resolute.ingest.extraction.text import fold_ascii

_PARAGRAPHS = re.compile(r"\n\s*\n")
_BULLET = re.compile(r"^\s*[-\u2013\u2014*]\s+")


def _paragraphs(text: str) -> list[str]:
    return [p.strip("\n") for p in _PARAGRAPHS.split(text) if p.strip()]


def _plain(paragraph: str) -> str:
    """Markdown markup a typesetter or word processor would not print."""
    paragraph = re.sub(r"^#+\s*", "", paragraph, flags=re.M)
    paragraph = re.sub(r"<sup>(.*?)</sup>", r"\1", paragraph).replace("\\*", "*").replace("**", "")
    return re.sub(r"(?<=\w)\*(?=[\s,.;])|(?<=\s)\*(?=\w)", "", paragraph)


def typeset_pdf(text: str, *, page_break: str | None = None) -> bytes:
    """A text PDF (Helvetica, so ASCII-folded), one block per paragraph; `page_break` paragraphs start a page."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for paragraph in _paragraphs(fold_ascii(text)):
        if paragraph.startswith("|"):
            continue
        if page_break is not None and paragraph.strip() == page_break:
            pdf.add_page()
            continue
        pdf.multi_cell(0, 5, _plain(paragraph), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    return bytes(pdf.output())


def image_only_pdf(pages: int = 2) -> bytes:
    """A scan-like PDF: pages with an image and a drawing, and no text layer."""
    from fpdf import FPDF
    from PIL import Image

    image = io.BytesIO()
    Image.new("RGB", (200, 100), "white").save(image, format="PNG")
    pdf = FPDF()
    for _ in range(pages):
        pdf.add_page()
        pdf.image(io.BytesIO(image.getvalue()), x=10, y=10, w=100)
        pdf.rect(10, 120, 50, 50)
    return bytes(pdf.output())


_DEBRIS_BEFORE = """<div id="cookie-consent" class="cookie-banner"><p>We use necessary and statistics cookies.</p>
<button>Accept all cookies</button></div>
<header class="site-header"><a href="/">Parliament</a>
<nav class="main-menu"><ul><li><a href="/news">News</a></li><li><a href="/sessions">Sessions</a></li>
<li><a href="/contacts">Contacts</a></li></ul></nav><form class="search"><input name="q"><button>Search</button></form>
</header>
<div class="breadcrumb"><a href="/">Home</a> &gt; <a href="/documents">Documents</a></div>"""
_DEBRIS_AFTER = """<div class="share-buttons"><a>Share on Facebook</a><a>Share on X</a></div>
<aside class="sidebar"><h3>Related documents</h3><ul><li><a href="/x">Another resolution</a></li></ul></aside>
<footer class="site-footer"><p>Last updated on 11/27/2025 16:35</p><p>&copy; Parliament Office</p></footer>"""


def web_page(text: str, *, title: str = "Document") -> bytes:
    """The text as an official site publishes it: an article with lists, among banners, menus and footers."""
    body: list[str] = []
    items: list[str] = []

    def close_list() -> None:
        if items:
            body.append("<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")
            items.clear()

    for paragraph in _paragraphs(text):
        for line in [paragraph] if not _BULLET.match(paragraph) else paragraph.split("\n"):
            if _BULLET.match(line):
                items.append(html.escape(_plain(_BULLET.sub("", line, count=1))))
                continue
            close_list()
            plain = html.escape(_plain(line))
            body.append(f"<h2>{plain}</h2>" if line.startswith("#") else f"<p>{plain}</p>")
    close_list()
    page = (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        '<script>window.analytics = {"page": "document"};</script><style>.banner{color:red}</style></head>\n'
        f'<body>{_DEBRIS_BEFORE}\n<main id="content"><article>\n'
        + "\n".join(body)
        + f"\n</article></main>\n{_DEBRIS_AFTER}</body></html>\n"
    )
    return page.encode()


def empty_web_page() -> bytes:
    """A page of site furniture only: menus, a cookie banner, a footer, no document."""
    return (
        f"<!DOCTYPE html><html><head><title>Documents</title><script>track()</script></head><body>{_DEBRIS_BEFORE}"
        f"{_DEBRIS_AFTER}</body></html>"
    ).encode()


def word_document(text: str, *, title: str | None = None) -> bytes:
    """The text written in Word: Markdown headings as headings, dash items as a bulleted list."""
    import docx

    document = docx.Document()
    for paragraph in _paragraphs(text):
        if paragraph.startswith("#"):
            level = len(paragraph) - len(paragraph.lstrip("#"))
            document.add_heading(_plain(paragraph), min(level, 6))
            continue
        for line in [paragraph] if not _BULLET.match(paragraph) else paragraph.split("\n"):
            if _BULLET.match(line):
                document.add_paragraph(_plain(_BULLET.sub("", line, count=1)), style="List Bullet")
            else:
                document.add_paragraph(" ".join(_plain(line).split()))
    if title:
        document.core_properties.title = title
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
