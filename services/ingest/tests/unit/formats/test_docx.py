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


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _numbered(levels: list[tuple[str, str]], *, abstract: int = 90) -> str:
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    return f'<w:abstractNum xmlns:w="{_W}" w:abstractNumId="{abstract}">{lvls}</w:abstractNum>'


def _word_with_lists(abstracts: list[str], nums: list[str], paragraphs: list[tuple[str, int | None, int]]) -> bytes:
    """A DOCX with the given numbering definitions; paragraphs are (text, numId or None, ilvl)."""
    from docx.oxml import parse_xml

    d = docx.Document()
    root = d.part.numbering_part.element
    first_num = root.find(f"{{{_W}}}num")
    for a in abstracts:
        element = parse_xml(a)
        if first_num is not None:
            first_num.addprevious(element)
        else:
            root.append(element)
    for n in nums:
        root.append(parse_xml(n))
    for text, num_id, ilvl in paragraphs:
        p = d.add_paragraph(text)
        if num_id is not None:
            p._p.get_or_add_pPr().append(
                parse_xml(f'<w:numPr xmlns:w="{_W}"><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>')
            )
    return _save(d)


def _num(num_id: int, abstract: int, start: int | None = None) -> str:
    override = (
        f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride>' if start is not None else ""
    )
    return f'<w:num xmlns:w="{_W}" w:numId="{num_id}"><w:abstractNumId w:val="{abstract}"/>{override}</w:num>'


def test_labels_come_from_the_level_text_and_format() -> None:
    abstracts = [
        _numbered([("lowerLetter", "(%1)")], abstract=91),
        _numbered([("lowerLetter", "%1)")], abstract=92),
        _numbered([("lowerRoman", "%1.")], abstract=93),
        _numbered([("decimal", "%1."), ("decimal", "%1.%2.")], abstract=94),
        _numbered([("bullet", "\uf0b7")], abstract=95),
    ]
    nums = [_num(191, 91), _num(192, 92), _num(193, 93), _num(194, 94), _num(195, 95)]
    content = _word_with_lists(
        abstracts,
        nums,
        [
            ("to act first;", 191, 0),
            ("to act second;", 191, 0),
            ("to report;", 192, 0),
            ("to review;", 193, 0),
            ("to audit;", 193, 0),
            ("to amend;", 193, 0),
            ("to agree;", 193, 0),
            ("Energy", 194, 0),
            ("grids;", 194, 1),
            ("storage;", 194, 1),
            ("Transport", 194, 0),
            ("rail;", 194, 1),
            ("a bullet point", 195, 0),
        ],
    )
    document = read_document(content)
    items = [document.text[b.start : b.end] for b in document.blocks if b.kind == "item"]
    assert items == [
        "(a) to act first;",
        "(b) to act second;",
        "a) to report;",
        "i. to review;",
        "ii. to audit;",
        "iii. to amend;",
        "iv. to agree;",
        "1. Energy",
        "1.1. grids;",
        "1.2. storage;",
        "2. Transport",
        "2.1. rail;",
        "- a bullet point",
    ]
    assert [b.level for b in document.blocks if b.kind == "item"][7:12] == [0, 1, 1, 0, 1]


def test_lists_sharing_a_definition_continue_unless_restarted() -> None:
    abstracts = [_numbered([("lowerLetter", "%1.")], abstract=96)]
    nums = [_num(196, 96), _num(197, 96), _num(198, 96, start=1)]
    content = _word_with_lists(
        abstracts,
        nums,
        [
            ("to act;", 196, 0),
            ("to report;", 196, 0),
            ("URGES the governments:", None, 0),
            ("to continue;", 197, 0),
            ("ASKS the Assembly:", None, 0),
            ("to restart;", 198, 0),
            ("to go on;", 198, 0),
        ],
    )
    document = read_document(content)
    items = [document.text[b.start : b.end] for b in document.blocks if b.kind == "item"]
    assert items == ["a. to act;", "b. to report;", "c. to continue;", "a. to restart;", "b. to go on;"]


def test_word_lettering_goes_on_as_word_does_after_z() -> None:
    abstracts = [_numbered([("lowerLetter", "%1.")], abstract=97)]
    content = _word_with_lists(abstracts, [_num(199, 97)], [(f"item {i};", 199, 0) for i in range(28)])
    labels = [read_document(content).text.split("\n\n")[i].split(" ")[0] for i in (25, 26, 27)]
    assert labels == ["z.", "aa.", "bb."]


def test_footnotes_follow_the_paragraph_that_cites_them() -> None:
    import zipfile

    from docx.oxml import parse_xml

    d = docx.Document()
    p = d.add_paragraph("DECLARATION 497")
    p._p.append(parse_xml(f'<w:r xmlns:w="{_W}"><w:footnoteReference w:id="1"/></w:r>'))
    d.add_paragraph("The Assembly,")
    plain = _save(d)
    notes = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:footnotes xmlns:w="{_W}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:id="1"><w:p><w:r><w:t>Adopted by the Plenary Assembly in Dayton on 26 May 2025.</w:t>'
        "</w:r></w:p>"
        "</w:footnote></w:footnotes>"
    )
    rel = (
        '<Relationship Id="rIdNotes" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'footnotes" Target="footnotes.xml"/>'
    )
    ctype = (
        '<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'wordprocessingml.footnotes+xml"/>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", ctype.encode() + b"</Types>")
            dst.writestr(item, data)
        dst.writestr("word/footnotes.xml", notes)
    document = read_document(out.getvalue())
    assert [(b.kind, document.text[b.start : b.end]) for b in document.blocks] == [
        ("paragraph", "DECLARATION 497"),
        ("footnote", "1 Adopted by the Plenary Assembly in Dayton on 26 May 2025."),
        ("paragraph", "The Assembly,"),
    ]
