"""Small hostile documents, built on the spot: decompression bombs and markup nested to exhaust a parser.

Each is a few kilobytes on the wire and expands to tens of megabytes (or thousands of levels) once read,
as an attacker would send them; the readers must refuse them before expanding them.
"""

from __future__ import annotations

import io
import zipfile
import zlib

MB = 1024 * 1024


def pdf_with_stream(stream: bytes, filters: str) -> bytes:
    """A one-page PDF whose page content is `stream` (already encoded with `filters`), with a valid xref."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter %s >>\nstream\n" % (len(stream), filters.encode()) + stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def pdf_flate_bomb(inflated: int = 60 * MB) -> bytes:
    """A PDF whose content stream is `inflated` bytes of blanks, flate-compressed (about a thousandth)."""
    return pdf_with_stream(zlib.compress(b" " * inflated, 9), "/FlateDecode")


def pdf_double_flate_bomb(inflated: int = 60 * MB) -> bytes:
    """The same blanks compressed twice, `[/FlateDecode /FlateDecode]`: the first stage alone looks harmless."""
    return pdf_with_stream(zlib.compress(zlib.compress(b" " * inflated, 9), 9), "[/FlateDecode /FlateDecode]")


def docx_bomb(text_bytes: int = 25 * MB, base: bytes | None = None) -> bytes:
    """A valid DOCX whose document.xml holds `text_bytes` of repeated text (a 126 KB upload for 25 MB)."""
    if base is None:
        import docx

        buffer = io.BytesIO()
        document = docx.Document()
        document.add_paragraph("placeholder")
        document.save(buffer)
        base = buffer.getvalue()
    sentence = "to strengthen the cooperation of the Baltic States; " * 40
    paragraph = f"<w:p><w:r><w:t>{sentence}</w:t></w:r></w:p>"
    count = max(1, text_bytes // len(paragraph))
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    body = f'<?xml version="1.0" encoding="UTF-8"?><w:document {ns}><w:body>' + paragraph * count
    body += "</w:body></w:document>"
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = body.encode() if item.filename == "word/document.xml" else source.read(item.filename)
            target.writestr(item.filename, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()


def deeply_nested_html(depth: int = 5000, tag: str = "div") -> bytes:
    """A page whose one sentence sits `depth` elements deep."""
    return (
        "<!DOCTYPE html><html><head><title>Nested</title></head><body><main>"
        + f"<{tag}>" * depth
        + "<p>The Assembly calls on the governments to act.</p>"
        + f"</{tag}>" * depth
        + "</main></body></html>"
    ).encode()
