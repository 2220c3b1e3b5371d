"""Text normalisation: markup out, words kept, the contract's trailing punctuation rule."""

from __future__ import annotations

from resolute.ingest.extraction.text import clean, clean_item, fold_ascii, is_terminated, sentence_spans


def test_markup_removed() -> None:
    assert clean("supported by an *ad hoc* group") == "supported by an ad hoc group"
    assert clean("13. ***Reaffirming*** the **importance**") == "13. Reaffirming the importance"
    assert clean("the 71<sup>st</sup> Annual Session") == "the 71st Annual Session"
    assert clean("DECLARATION 496\\*") == "DECLARATION 496"
    assert clean("see [the site](https://example.org) &amp; more") == "see the site & more"
    assert clean("A<br>B") == "A B"
    assert clean("keep snake_case_names") == "keep snake_case_names"
    assert clean("an _emphasised_ word") == "an emphasised word"


def test_clean_item_drops_terminators() -> None:
    assert clean_item("to act;") == "to act"
    assert clean_item("to act.") == "to act"
    assert clean_item("to act; and") == "to act"
    assert clean_item("to act\n  across lines ;") == "to act across lines"
    assert clean_item("the three Baltic states.[1]") == "the three Baltic states"
    assert clean_item("Berlin (2024).") == "Berlin (2024)"


def test_terminated() -> None:
    assert is_terminated("ends here;")
    assert is_terminated("a heading:")
    assert is_terminated("a quote.\u201d")
    assert not is_terminated("continues,")
    assert not is_terminated("NATO Prioritised Ukraine")


def test_sentences_respect_abbreviations_and_footnote_marks() -> None:
    text = "The U.S. presence matters, e.g. in Riga. It was signed.[1] The BMMA aims to help. Done"
    sentences = [text[s:e] for s, e in sentence_spans(text)]
    assert sentences == [
        "The U.S. presence matters, e.g. in Riga.",
        "It was signed.[1]",
        "The BMMA aims to help.",
        "Done",
    ]


def test_fold_ascii() -> None:
    assert fold_ascii("Sprūds \u2013 \u201cRB Rail AS\u201d Kuczyńska") == 'Spruds - "RB Rail AS" Kuczynska'
