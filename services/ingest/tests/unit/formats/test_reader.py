"""Format detection from content and the text readers: what is refused, and text kept byte-for-byte."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from resolute.ingest.formats import (
    EmptyDocument,
    MalformedDocument,
    UnsupportedFormat,
    detect_format,
    read_document,
)

CORPUS_DIR = Path(__file__).resolve().parents[5] / "corpus"


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  ", "\ufeff \n".encode()])
def test_empty_and_whitespace_only(content: bytes) -> None:
    with pytest.raises(EmptyDocument):
        read_document(content)


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"\xff\xd8\xff\xe0\x00\x10JFIF",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 legacy doc",
        b"\x00\x01\x02\x03binary junk\x00\x00",
        bytes(range(256)) * 4,
        b"\x1f\x8b\x08\x00gzip",
    ],
)
def test_binary_junk_is_unsupported(content: bytes) -> None:
    with pytest.raises(UnsupportedFormat):
        read_document(content, filename="upload.txt")


def test_zip_that_is_not_a_word_document() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(UnsupportedFormat, match="not a Word document"):
        read_document(buffer.getvalue(), filename="sheet.docx")


def test_truncated_zip_is_malformed() -> None:
    with pytest.raises(MalformedDocument):
        read_document(b"PK\x03\x04garbage")


def test_errors_have_one_line_messages() -> None:
    for content in (b"", b"\x89PNG\r\n\x1a\n"):
        with pytest.raises(Exception) as info:
            read_document(content)
        message = str(info.value)
        assert message and "\n" not in message


def test_text_is_kept_unchanged_so_spans_index_the_file() -> None:
    raw = (CORPUS_DIR / "ba-44th-session-resolution-2025.txt").read_bytes()
    document = read_document(raw, filename="whatever.bin")
    assert document.format == "text"
    assert document.text == raw.decode("utf-8")


def test_markdown_detected_from_content_not_name() -> None:
    raw = (CORPUS_DIR / "nato-pa-policy-recommendations-2025.md").read_bytes()
    assert read_document(raw, filename="upload").format == "markdown"
    assert read_document(b"Just a line of text.\nAnother one.", filename="notes.md").format == "text"
    assert read_document(b"# Heading\n\nsome **bold** text", filename=None).format == "markdown"


def test_bom_and_utf16() -> None:
    assert read_document("\ufeffHello Riga".encode()).text == "Hello Riga"
    assert read_document("Sveiki, Rīga".encode("utf-16")).text == "Sveiki, Rīga"


def test_windows_1252_fallback_warns() -> None:
    document = read_document("Caf\u00e9 \u2013 Tallinn".encode("cp1252"))
    assert document.text == "Caf\u00e9 \u2013 Tallinn"
    assert any("Windows-1252" in w for w in document.warnings)


def test_detect_format() -> None:
    assert detect_format(b"%PDF-1.7\n...") == "pdf"
    assert detect_format(b"\n\n%PDF-1.4") == "pdf"
    assert detect_format(b"plain") == "text"
    with pytest.raises(EmptyDocument):
        detect_format(b"")


def test_a_stray_nul_is_replaced_in_place_so_spans_hold_and_any_database_stores_it() -> None:
    text = "RESOLUTION\n\n" + "x" * 5000 + "\x00 and more text\n"
    document = read_document(text.encode())
    assert "\x00" not in document.text
    assert len(document.text) == len(text) and document.text.index("\ufffd") == text.index("\x00")
    assert any("NUL" in w for w in document.warnings)
