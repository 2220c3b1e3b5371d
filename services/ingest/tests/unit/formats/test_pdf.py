"""PDF reading: a corpus resolution typeset with fpdf2 reads back to the same commitments;
scans without a text layer and damaged files are refused with typed errors."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image

from resolute.ingest.extraction import extract_documents
from resolute.ingest.extraction.text import fold_ascii
from resolute.ingest.formats import MalformedDocument, NoTextLayer, read_document

CORPUS_DIR = Path(__file__).resolve().parents[5] / "corpus"


def _typeset(text: str, *, page_break: str | None = None) -> bytes:
    """Set text in Helvetica (Latin-1 only, hence ASCII-folded), one multi_cell per paragraph."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for paragraph in re.split(r"\n\s*\n", fold_ascii(text)):
        if not paragraph.strip() or paragraph.startswith("|"):
            continue
        if page_break is not None and paragraph.strip() == page_break:
            pdf.add_page()
            continue
        paragraph = re.sub(r"^#+\s*", "", paragraph, flags=re.M)
        paragraph = re.sub(r"<sup>(.*?)</sup>", r"\1", paragraph).replace("\\*", "*").replace("**", "")
        paragraph = re.sub(r"(?<=\w)\*(?=[\s,.;])|(?<=\s)\*(?=\w)", "", paragraph)
        pdf.multi_cell(0, 5, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    return bytes(pdf.output())


@pytest.fixture(scope="module")
def resolution_pdf() -> bytes:
    return _typeset((CORPUS_DIR / "ba-44th-session-resolution-2025.txt").read_text(encoding="utf-8"))


def test_pdf_reads_back_to_the_gold_commitments(resolution_pdf: bytes) -> None:
    document = read_document(resolution_pdf, filename="resolution.pdf")
    assert document.format == "pdf"
    (doc,) = extract_documents(document.text, source="resolution.pdf")
    gold = json.loads((CORPUS_DIR / "ba-44th-session-resolution-2025.gold.json").read_text(encoding="utf-8"))
    assert doc.title == "Resolution of the 44th Session of the Baltic Assembly"
    assert (doc.session, str(doc.adopted), doc.place) == (44, "2025-11-14", "Riga")
    assert [c.text for c in doc.commitments] == [fold_ascii(g["text"]) for g in gold["commitments"]]
    for g, c in zip(gold["commitments"], doc.commitments, strict=True):
        assert (c.deadline is None) == (g["deadline"] is None), c.text
        assert c.countries == ["EE", "LV", "LT"]
        assert document.text[c.span[0] : c.span[1]].replace("\n", " ").startswith(c.text[:20])


def test_pdf_bundle_with_page_breaks_splits_into_documents() -> None:
    text = (CORPUS_DIR / "nato-pa-policy-recommendations-2025.md").read_text(encoding="utf-8")
    document = read_document(_typeset(text, page_break="---"))
    docs = extract_documents(document.text, source="bundle.pdf")
    assert [d.number for d in docs] == list(range(496, 504))
    assert [len(d.commitments) for d in docs] == [32, 25, 12, 17, 19, 12, 18, 8]
    assert docs[1].commitments[10].text.endswith("continue bringing Ukraine closer to eventual membership")


def test_image_only_pdf_has_no_text_layer() -> None:
    image = Image.new("RGB", (200, 100), "white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(io.BytesIO(buffer.getvalue()), x=10, y=10, w=100)
    pdf.add_page()
    pdf.rect(10, 10, 50, 50)
    with pytest.raises(NoTextLayer, match="text layer"):
        read_document(bytes(pdf.output()), filename="scan.pdf")


def test_damaged_pdf_is_malformed() -> None:
    with pytest.raises(MalformedDocument):
        read_document(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage without xref", filename="x.pdf")
