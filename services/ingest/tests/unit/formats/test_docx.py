"""DOCX reading: body paragraphs and tables in order, list numbering written back as bullets/labels."""
# Fixtures reproduce documents line for line (long lines, dashes): their layout is what is tested.

from __future__ import annotations

import io

import docx
import pytest

from resolute.ingest.extraction import extract_documents
from resolute.ingest.formats import MalformedDocument, NoDocumentContent, read_document


def _save(document: docx.document.Document) -> bytes:  # type: ignore[name-defined]
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_resolution_in_word() -> None:
    d = docx.Document()
    d.add_heading("RESOLUTION", 1)
    d.add_paragraph("of the 45th Session of the Baltic Assembly")
    d.add_paragraph("The Baltic Assembly,")
    d.add_paragraph("having convened for its 45th Session on 12\u201313 November 2026 in Vilnius,")
    d.add_paragraph(
        "calls on the parliaments and governments of the Republic of Estonia, the Republic of Latvia, and the "
        "Republic of Lithuania, as well as the Baltic Council of Ministers:"
    )
    d.add_paragraph("regarding energy:")
    d.add_paragraph("to present a regional hydrogen strategy at the 33rd Baltic Council;", style="List Bullet")
    d.add_paragraph("to hold annual energy security exercises;", style="List Bullet")
    d.add_paragraph("regarding health:")
    d.add_paragraph("to create a joint register of rare diseases by 2028.", style="List Number")
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Vilnius"
    table.cell(0, 1).text = "13 November 2026"
    d.core_properties.title = "BA resolution 2026"
    document = read_document(_save(d), filename="upload.bin")
    assert document.format == "docx"
    assert document.title == "BA resolution 2026"
    assert document.text.startswith("RESOLUTION\n\nof the 45th Session")
    assert (document.blocks[0].kind, document.blocks[0].level) == ("heading", 1)
    assert "- to present a regional hydrogen strategy at the 33rd Baltic Council;" in document.text
    assert document.text.endswith("| Vilnius | 13 November 2026 |")
    assert document.blocks[-1].kind == "table"
    assert "1. to create a joint register of rare diseases by 2028." in document.text
    (doc,) = extract_documents(document.text, source="r.docx")
    assert doc.title == "Resolution of the 45th Session of the Baltic Assembly"
    assert [c.text for c in doc.commitments] == [
        "to present a regional hydrogen strategy at the 33rd Baltic Council",
        "to hold annual energy security exercises",
        "to create a joint register of rare diseases by 2028",
    ]
    assert [c.section for c in doc.commitments] == [
        "regarding energy",
        "regarding energy",
        "regarding health",
    ]
    assert [c.deadline.kind if c.deadline else None for c in doc.commitments] == [
        "event",
        "recurring",
        "year",
    ]


def test_empty_word_document() -> None:
    with pytest.raises(NoDocumentContent):
        read_document(_save(docx.Document()))


def test_damaged_word_document() -> None:
    d = _save(docx.Document())
    with pytest.raises(MalformedDocument):
        read_document(d[: len(d) // 2])
