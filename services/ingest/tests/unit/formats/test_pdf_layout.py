"""The PDF reader on small hand-made pages: every layout rule with text placed at known positions.

Pages are drawn with fpdf2 glyph by glyph where the rule needs it (text at x, y in a given size), then read
back through PDFium, so each test exercises the whole reader, not a model of it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fpdf import FPDF

from resolute.ingest.formats import DocumentText, NoTextLayer, UnsupportedFormat, read_document
from resolute.ingest.testing.renderings import FONT, FONT_DIR

Draw = Callable[[Any], None]


def _pdf(*pages: Draw) -> bytes:
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    for style, name in (("", "DejaVuSerif.ttf"), ("B", "DejaVuSerif-Bold.ttf")):
        pdf.add_font(FONT, style, str(FONT_DIR / name))
    for draw in pages:
        pdf.add_page()
        pdf.set_font(FONT, "", 11)
        draw(pdf)
    return bytes(pdf.output())


def _lines(pdf: Any, x: float, y: float, lines: list[str], *, size: float = 11, step: float = 5.2) -> float:
    pdf.set_font(FONT, "", size)
    for line in lines:
        pdf.text(x, y, line)
        y += step
    return y


def _furniture(number: int) -> Draw:
    def draw(pdf: Any) -> None:
        pdf.set_font(FONT, "", 8)
        pdf.text(70, 12, "44th Session of the Baltic Assembly, Riga")
        pdf.text(104, 287, str(number))

    return draw


def _read(content: bytes) -> DocumentText:
    document = read_document(content, filename="made.pdf")
    assert document.format == "pdf"
    return document


def _blocks(document: DocumentText) -> list[tuple[str, str]]:
    return [(b.kind, document.text[b.start : b.end]) for b in document.blocks]


PARAGRAPH = [
    "The Baltic Assembly, having convened for its session in Riga, discussed the",
    "results of the presidency and the cooperation of the Baltic States, as well as",
    "transport connectivity in the region and the security of the Baltic Sea.",
]


def test_running_header_and_page_numbers_are_dropped_and_the_text_joined() -> None:
    def page(n: int) -> Draw:
        def draw(pdf: Any) -> None:
            _furniture(n)(pdf)
            _lines(pdf, 25, 30 + 3 * n, [f"Page {n} of the minutes.", *PARAGRAPH])
            _lines(pdf, 25, 30 + 3 * n + 4 * 5.2 + 4, [f"Paragraph {n} of the session closes here."])

        return draw

    document = _read(_pdf(page(1), page(2), page(3)))
    assert "Baltic Assembly, Riga" not in document.text
    assert not any(text.strip().isdigit() for _, text in _blocks(document))
    assert _blocks(document)[:2] == [
        ("paragraph", "Page 1 of the minutes.\n" + " ".join(PARAGRAPH)),
        ("paragraph", "Paragraph 1 of the session closes here."),
    ]
    assert [b.page for b in document.blocks] == [1, 1, 2, 2, 3, 3]


def test_a_footnote_follows_the_paragraph_the_page_break_falls_in() -> None:
    def first(pdf: Any) -> None:
        _furniture(1)(pdf)
        _lines(pdf, 25, 30, ["RESOLUTION 498*"], size=13)
        y = _lines(pdf, 25, 45, PARAGRAPH * 8)
        _lines(pdf, 25, y + 4, ["Recalling that the Allies agreed at the Summit in The Hague to invest in the"])
        _lines(pdf, 25, 270, ["* Presented by the Political Committee and adopted on Monday 13 October 2025"], size=8)

    def second(pdf: Any) -> None:
        _furniture(2)(pdf)
        _lines(pdf, 25, 30, ["resilience of their societies and of their critical infrastructure;"])
        _lines(pdf, 25, 42, ["URGES the governments of the Alliance:"])

    blocks = _blocks(_read(_pdf(first, second)))
    kinds = [k for k, _ in blocks]
    assert kinds[-3:] == ["paragraph", "footnote", "paragraph"]
    assert blocks[-3][1] == (
        "Recalling that the Allies agreed at the Summit in The Hague to invest in the "
        "resilience of their societies and of their critical infrastructure;"
    )
    assert blocks[-2][1].startswith("* Presented by the Political Committee")
    assert blocks[-1][1] == "URGES the governments of the Alliance:"


def test_bullet_on_its_own_line_and_label_in_its_own_column_join_their_items() -> None:
    def draw(pdf: Any) -> None:
        _lines(pdf, 25, 30, ["calls on the governments of the Baltic States:"])
        _lines(pdf, 25, 40, ["\u2013"])
        _lines(pdf, 32, 45.2, ["to accelerate the Baltic Defence Line initiative and ensure better", "coordination;"])
        _lines(pdf, 25, 62, ["a."])
        _lines(pdf, 33, 62, ["to agree on a Transatlantic Deterrence Initiative through which Allies", "will commit;"])
        _lines(pdf, 25, 78, ["(b)"])
        _lines(pdf, 33, 78, ["to commit to ambitious capability targets."])

    assert _blocks(_read(_pdf(draw))) == [
        ("paragraph", "calls on the governments of the Baltic States:"),
        ("item", "- to accelerate the Baltic Defence Line initiative and ensure better coordination;"),
        ("item", "a. to agree on a Transatlantic Deterrence Initiative through which Allies will commit;"),
        ("item", "(b) to commit to ambitious capability targets."),
    ]


def test_two_columns_are_read_one_after_the_other() -> None:
    left = ["The left column opens the text", "of the resolution and goes on", "down the page until its foot"]
    right = ["and carries on at the top of the", "right column, where the reading", "of the paragraph ends."]

    def draw(pdf: Any) -> None:
        _lines(pdf, 60, 25, ["A TWO-COLUMN PAGE"], size=14)
        _lines(pdf, 20, 40, left)
        _lines(pdf, 110, 40, right)

    assert _blocks(_read(_pdf(draw))) == [
        ("heading", "A TWO-COLUMN PAGE"),
        ("paragraph", " ".join(left + right)),
    ]


def test_an_item_split_over_a_page_break_is_one_item() -> None:
    def first(pdf: Any) -> None:
        _furniture(1)(pdf)
        y = _lines(pdf, 25, 30, PARAGRAPH * 9)
        _lines(pdf, 25, y + 4, ["- to develop a long-term policy for the Baltic States to ensure coordinated"])

    def second(pdf: Any) -> None:
        _furniture(2)(pdf)
        _lines(pdf, 28, 30, ["actions in addressing various crises;"])
        _lines(pdf, 25, 40, ["- to promote the shared use of training ranges;"])

    blocks = _blocks(_read(_pdf(first, second)))
    assert blocks[-2:] == [
        (
            "item",
            "- to develop a long-term policy for the Baltic States to ensure coordinated actions in addressing "
            "various crises;",
        ),
        ("item", "- to promote the shared use of training ranges;"),
    ]


def test_hyphenated_words_are_rejoined_unless_the_text_writes_them_with_a_hyphen() -> None:
    def draw(pdf: Any) -> None:
        _lines(
            pdf,
            25,
            30,
            [
                "to accelerate the imple-",
                "mentation of cross-border plans and of a regional cross-",
                "border test base along the Vilnius-",
                "Riga line, and a long-term plan for its long-",
                "term funding.",
            ],
            step=5.2,
        )

    (block,) = _blocks(_read(_pdf(draw)))
    assert block[1] == (
        "to accelerate the implementation of cross-border plans and of a regional cross-border test base "
        "along the Vilnius-Riga line, and a long-term plan for its long-term funding."
    )


def test_a_table_of_contents_row_keeps_its_page_number_apart() -> None:
    def draw(pdf: Any) -> None:
        _lines(pdf, 25, 30, ["PEACE THROUGH STRENGTH IN UKRAINE", "DECLARATION 497"], size=10)
        _lines(pdf, 180, 35.2, ["6"], size=10)
        _lines(pdf, 25, 45, ["SOLIDARITY WITH UKRAINE", "RESOLUTION 502"], size=10)
        _lines(pdf, 178, 50.2, ["20"], size=10)

    assert _blocks(_read(_pdf(draw))) == [
        ("table", "| PEACE THROUGH STRENGTH IN UKRAINE DECLARATION 497 | 6 |"),
        ("table", "| SOLIDARITY WITH UKRAINE RESOLUTION 502 | 20 |"),
    ]


def test_headings_by_size_and_weight_with_levels() -> None:
    def draw(pdf: Any) -> None:
        _lines(pdf, 25, 30, ["POLICY RECOMMENDATIONS"], size=16)
        pdf.set_font(FONT, "B", 11)
        pdf.text(25, 45, "Regarding energy")
        _lines(pdf, 25, 55, ["The Assembly notes the progress made on the synchronisation of grids."])

    document = _read(_pdf(draw))
    assert [(b.kind, b.level) for b in document.blocks] == [("heading", 1), ("heading", 2), ("paragraph", 0)]


def test_a_scan_is_refused_and_an_encrypted_pdf_too() -> None:
    from resolute.ingest.testing.documents import image_only_pdf

    with pytest.raises(NoTextLayer):
        read_document(image_only_pdf())
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.text(20, 20, "A protected resolution")
    pdf.set_encryption(owner_password="secret")
    with pytest.raises(UnsupportedFormat, match="encrypted"):
        read_document(bytes(pdf.output()))
