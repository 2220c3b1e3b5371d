"""The layout zoo: every corpus text rendered as secretariats publish it reads back to what the text itself gives.

Each text is typeset as a laid-out PDF (running header, page numbers, hanging labels, hyphenated wrapped
lines, footnotes at the foot of the page), the same in two columns, a DOCX with real list numbering and
heading styles, and an HTML page among site debris. Reading the rendering and extracting from its canonical
text must give the same documents, items (text, label, section), addressees, ministries, deadlines,
calendar facts and document facts as extracting from the text itself.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from resolute.ingest.extraction import extract_documents
from resolute.ingest.formats import DocumentText, read_document
from resolute.ingest.formats.pdf_layout import MARKER
from resolute.ingest.testing.renderings import RENDERINGS, render

CORPUS_DIR = Path(__file__).resolve().parents[5] / "corpus"
SOURCES = sorted(p.name for p in CORPUS_DIR.iterdir() if p.suffix in (".txt", ".md") and p.name != "README.md")
DOCUMENT_FACTS = ("title", "kind", "issuing_body", "number", "session", "adopted", "place", "committee")
ITEM_FIELDS = ("label", "section", "text", "countries", "bodies", "ministries", "policy_area", "deadline")


def _view(text: str, source: str, title_hint: str | None = None, blocks: Any = ()) -> list[dict[str, Any]]:
    """What the extraction finds, without spans (which index different texts)."""
    out = []
    for doc in extract_documents(text, source=source, title_hint=title_hint, blocks=blocks):
        data = doc.model_dump(mode="json")
        out.append(
            {
                "facts": {k: data.get(k) for k in DOCUMENT_FACTS},
                "signatories": data.get("signatories"),
                "addressees": data["addressees"],
                "calendar_facts": sorted(data["calendar_facts"], key=lambda f: sorted(f.items(), key=str)),
                "items": [{k: c.get(k) for k in ITEM_FIELDS} for c in data["commitments"]],
            }
        )
    return out


@cache
def _source_view(name: str) -> list[dict[str, Any]]:
    return _view((CORPUS_DIR / name).read_text(encoding="utf-8"), name)


@cache
def _reading(name: str, rendering: str) -> DocumentText:
    return read_document(render((CORPUS_DIR / name).read_text(encoding="utf-8"), rendering), filename=name)


def test_the_zoo_covers_every_corpus_text() -> None:
    assert len(SOURCES) == 5 and "nato-pa-policy-recommendations-2025.md" in SOURCES


@pytest.mark.parametrize("rendering", RENDERINGS)
@pytest.mark.parametrize("name", SOURCES, ids=lambda n: n.split("-20")[0])
def test_rendering_extracts_like_its_text(name: str, rendering: str) -> None:
    expected = _source_view(name)
    document = _reading(name, rendering)
    got = _view(document.text, name, title_hint=document.title, blocks=document.blocks)
    assert len(got) == len(expected), "documents"
    for want, have in zip(expected, got, strict=True):
        assert have["facts"] == want["facts"]
        assert have["signatories"] == want["signatories"]
        assert have["addressees"] == want["addressees"]
        assert have["calendar_facts"] == want["calendar_facts"]
        assert len(have["items"]) == len(want["items"])
        for i, (a, b) in enumerate(zip(want["items"], have["items"], strict=True)):
            assert b == a, f"item {i}"


@pytest.mark.parametrize("rendering", RENDERINGS)
@pytest.mark.parametrize("name", SOURCES, ids=lambda n: n.split("-20")[0])
def test_rendering_reads_as_canonical_blocks(name: str, rendering: str) -> None:
    document = _reading(name, rendering)
    text, blocks = document.text, document.blocks
    assert blocks, "structured formats have blocks"
    assert blocks[0].start == 0 and blocks[-1].end == len(text)
    for block, following in pairwise(blocks):
        assert text[block.end : following.start] == "\n\n"
    for block in blocks:
        words = text[block.start : block.end]
        assert words == words.strip() and "\n\n" not in words and "  " not in words
        if block.kind == "item":
            assert MARKER.match(words) or re.match(r"^- ", words), words[:40]
        if block.kind == "table":
            assert words.startswith("| ") and words.endswith(" |")
    if rendering.startswith("pdf"):
        assert all(block.page is not None for block in blocks)
        # page numbers and the running header are furniture, not text
        assert not re.search(r"(?m)^\d{1,3}$", text)
        assert blocks[0].page == 1


def test_pdf_running_header_is_removed_but_the_title_kept() -> None:
    document = _reading("ba-44th-session-resolution-2025.txt", "pdf")
    assert document.text.startswith("RESOLUTION\nof the 44th Session of the Baltic Assembly\n\nThe Baltic Assembly,")
    assert document.text.count("of the 44th Session of the Baltic Assembly") == 1


def test_nato_bundle_footnotes_stay_inside_their_documents() -> None:
    for rendering in ("pdf", "pdf-2col"):
        document = _reading("nato-pa-policy-recommendations-2025.md", rendering)
        notes = [b for b in document.blocks if b.kind == "footnote"]
        assert len(notes) == 8
        headings = [
            b.start
            for b in document.blocks
            if re.search(r"(?:DECLARATION|RESOLUTION) \d{3}\*$", document.text[b.start : b.end])
        ]
        assert len(headings) == 8
        for note, start, end in zip(notes, headings, [*headings[1:], len(document.text)], strict=True):
            assert start < note.start < end


def test_html_title_is_the_documents_not_the_sites() -> None:
    document = _reading("ba-43rd-session-resolution-2024.txt", "html")
    assert document.title == "RESOLUTION of the 43rd Session of the Baltic Assembly"
    for debris in ("Advanced Search", "Baltic Assembly Logo", "Parliamentary Portal", "cookies", "Share"):
        assert debris not in document.text
