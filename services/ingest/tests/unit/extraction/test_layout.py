"""Layout: blocks with offsets, continuations joined across blank lines and page breaks."""
# Fixtures reproduce documents line for line (long lines, dashes): their layout is what is tested.

from __future__ import annotations

from resolute.ingest.extraction.layout import build_layout, is_caps_line, parse_marker, split_lines


def test_lines_keep_offsets_and_drop_carriage_returns() -> None:
    text = "a\r\nbb\r\n\r\nccc"
    lines = split_lines(text)
    assert [(x.text, text[x.start : x.end]) for x in lines] == [
        ("a", "a"),
        ("bb", "bb"),
        ("", ""),
        ("ccc", "ccc"),
    ]


def test_markers() -> None:
    def marker(s: str) -> tuple[str | None, str | None] | None:
        m = parse_marker(split_lines(s)[0])
        return None if m is None else (m.bullet, m.label)

    assert marker("- to improve") == ("-", None)
    assert marker("\u2013 to improve") == ("\u2013", None)
    assert marker("\u2022 to improve") == ("\u2022", None)
    assert marker("- aa. to operationalise") == ("-", "aa")
    assert marker("  - b. to continue") == ("-", "b")
    assert marker("(c) to act") == (None, "c")
    assert marker("26. **URGES** Heads of State") == (None, "26")
    assert marker("- I. to invite") == ("-", "I")
    assert marker("Mr. Smith said") is None
    assert marker("No. 5 is") is None
    assert marker("e.g. institution") is None
    assert marker("The Assembly,") is None


def test_item_cut_by_page_break_and_footnote_is_joined() -> None:
    text = (
        "- a. to coordinate closely with\n\n---\n\n"
        "\\* Presented by the Political Committee and adopted on Monday 13 October 2025.\n\n"
        "partners in the region;\n- b. to act;"
    )
    layout = build_layout(text)
    items = [b for b in layout.blocks if b.marker]
    assert [b.item_text for b in items] == ["to coordinate closely with partners in the region", "to act"]
    assert items[0].joined == 1
    assert len(layout.notes) == 1 and "Political Committee" in layout.notes[0].text


def test_paragraph_continuing_after_a_page_break_even_capitalised() -> None:
    text = "11. Saluting the NATO Prioritised Ukraine\n\f\nRequirements List (PURL) initiative;\n12. Condemning x;"
    blocks = build_layout(text).blocks
    assert blocks[0].clean == "11. Saluting the NATO Prioritised Ukraine Requirements List (PURL) initiative;"


def test_item_continued_after_a_blank_line_only_when_lowercase() -> None:
    text = "- k. to reaffirm, bolster self-defence,\n\ntransition Ukraine to interoperability;\n\n- l. to invite"
    assert [b.item_text for b in build_layout(text).blocks] == [
        "to reaffirm, bolster self-defence, transition Ukraine to interoperability",
        "to invite",
    ]
    text = "The Baltic Assembly,\n\nhaving convened for its 44th Session,"
    assert len(build_layout(text).blocks) == 2


def test_hard_wrapped_resolution_recovers_paragraphs() -> None:
    text = (
        "RESOLUTION\nof the 38th Session of the Baltic Assembly\nThe Baltic Assembly,\n"
        "having convened for its 38th Session on 23 November 2019 in\nTallinn,\n"
        "stressing the need for cooperation in the\nregion,\n"
        "calls on the governments of the Republic of Estonia and the\nRepublic of Latvia:\n"
        "regarding energy:\n- to complete the synchronisation of the electricity\nnetworks by 2025;\n"
        "- to implement the White Paper on Defence\n- Readiness 2030;\nregarding transport:\n- to build roads.\n"
        "Tallinn, 24 November 2019"
    )
    blocks = [b.clean for b in build_layout(text).blocks]
    assert blocks == [
        "RESOLUTION",
        "of the 38th Session of the Baltic Assembly",
        "The Baltic Assembly,",
        "having convened for its 38th Session on 23 November 2019 in Tallinn,",
        "stressing the need for cooperation in the region,",
        "calls on the governments of the Republic of Estonia and the Republic of Latvia:",
        "regarding energy:",
        "- to complete the synchronisation of the electricity networks by 2025;",
        "- to implement the White Paper on Defence - Readiness 2030;",
        "regarding transport:",
        "- to build roads.",
        "Tallinn, 24 November 2019",
    ]
    assert build_layout(text).blocks[-1].dateline


def test_running_headers_next_to_page_breaks_are_dropped() -> None:
    page = "178 SESA 25 E\nBody text of page {n} goes on here;\n"
    text = "\f\n".join(page.format(n=n) for n in range(3))
    blocks = [b.clean for b in build_layout(text).blocks]
    assert "178 SESA 25 E" not in blocks
    assert len(blocks) == 3


def test_tables_headings_and_page_numbers() -> None:
    text = "# TITLE\n\n| a | b |\n|---|---|\n\n12\n\nBody."
    layout = build_layout(text)
    assert [(b.heading, b.table, b.clean) for b in layout.blocks] == [
        (1, False, "TITLE"),
        (0, True, "| a | b |"),
        (0, True, "|---|---|"),
        (0, False, "Body."),
    ]


def test_paragraph_spans_split_one_paragraph_per_line_prose() -> None:
    long_line = "word " * 50
    text = f"{long_line}ends here.\n{long_line}second paragraph."
    (block,) = build_layout(text).blocks
    assert len(block.paragraph_spans()) == 2


def test_caps_lines() -> None:
    assert is_caps_line("RESOLUTION 498*")
    assert is_caps_line("MEETING THE MOMENT: NATO'S DETERRENCE")
    assert not is_caps_line("NATO")
    assert not is_caps_line("The Assembly,")
