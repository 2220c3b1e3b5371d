"""Every reader is bounded: decompression bombs, page counts, text size and nesting refused with typed errors.

The bombs are built here and small on the wire (a 60 MB flate stream in a 60 KB PDF, a 25 MB document.xml in
a 124 KB DOCX, the same blanks flate-compressed twice in a 700-byte PDF); each is refused before it is
inflated, with the limit it passed named.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from resolute.ingest.formats import DocumentTooLarge, ReadLimits, read_document
from resolute.ingest.formats.pdf_streams import check_stream_budget
from resolute.ingest.settings import IngestSettings
from resolute.ingest.testing.hostile import (
    MB,
    docx_bomb,
    pdf_double_flate_bomb,
    pdf_flate_bomb,
    pdf_with_stream,
)
from resolute.ingest.testing.renderings import render

CORPUS_DIR = Path(__file__).resolve().parents[5] / "corpus"
RESOLUTION = (CORPUS_DIR / "ba-44th-session-resolution-2025.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "bomb",
    [pdf_flate_bomb, pdf_double_flate_bomb, docx_bomb],
    ids=["pdf-flate", "pdf-double-flate", "docx-document-xml"],
)
def test_decompression_bombs_are_refused_before_inflating(bomb: object) -> None:
    content = bomb()  # type: ignore[operator]
    assert len(content) < 200_000
    with pytest.raises(DocumentTooLarge, match="decompression bomb") as refused:
        read_document(content)
    assert refused.value.limit == "max_compression_ratio"


def test_the_absolute_budget_holds_whatever_the_ratio() -> None:
    limits = ReadLimits(max_decompressed_bytes=4 * MB, max_compression_ratio=10_000)
    with pytest.raises(DocumentTooLarge) as refused:
        read_document(pdf_flate_bomb(6 * MB), limits=limits)
    assert refused.value.limit == "max_decompressed_bytes"


def test_the_stream_check_counts_what_pdfium_would_decode_and_skips_images() -> None:
    page = b"BT /F1 12 Tf 72 720 Td (hello) Tj ET" * 100
    assert check_stream_budget(pdf_with_stream(zlib.compress(page), "/FlateDecode"), ReadLimits()) == len(page)
    image = pdf_with_stream(zlib.compress(bytes(40 * MB)), "/FlateDecode").replace(
        b"/Filter /FlateDecode", b"/Subtype /Image /Filter /FlateDecode"
    )
    assert check_stream_budget(image, ReadLimits()) < MB  # text extraction never decodes an image


def test_real_renderings_stay_far_inside_the_limits() -> None:
    for rendering in ("pdf", "docx", "html"):
        document = read_document(render(RESOLUTION, rendering), limits=ReadLimits(max_nesting_depth=40))
        assert len(document.text) > 15_000


def test_page_count_is_bounded() -> None:
    pdf = render(RESOLUTION, "pdf")
    with pytest.raises(DocumentTooLarge, match="pages") as refused:
        read_document(pdf, limits=ReadLimits(max_pages=3))
    assert refused.value.limit == "max_pages"


@pytest.mark.parametrize("rendering", ["text", "pdf", "docx", "html"])
def test_text_size_is_bounded_in_every_format(rendering: str) -> None:
    content = RESOLUTION.encode() if rendering == "text" else render(RESOLUTION, rendering)
    with pytest.raises(DocumentTooLarge, match="characters") as refused:
        read_document(content, limits=ReadLimits(max_text_chars=5_000))
    assert refused.value.limit == "max_text_chars"


def test_limits_are_ingest_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESOLUTE_INGEST_MAX_PAGES", "12")
    monkeypatch.setenv("RESOLUTE_INGEST_MAX_NESTING_DEPTH", "64")
    limits = IngestSettings().read_limits
    assert (limits.max_pages, limits.max_nesting_depth) == (12, 64)
    assert limits.max_decompressed_bytes == ReadLimits().max_decompressed_bytes
