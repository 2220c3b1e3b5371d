"""Which editors' corrections a new version keeps: decided on texts and spans alone, no database."""

from __future__ import annotations

from typing import Any

from resolute.ingest.documents.versions import EditedCommitment, carry_corrections, locate

OLD = "The Assembly calls on the governments:\n- to build a grid, and to test it;\n- to open a port;\n"
NEW = "The Assembly, having met, calls on the governments:\n- to build a grid, and to test it;\n- to open a port;\n"


def _values(text: str, span: tuple[int, int], **more: Any) -> dict[str, Any]:
    return {"text": text, "span": span, "countries": ["EE", "LV", "LT"], **more}


def _edited(commitment_id: str, fields: set[str], text: str, source: str, **flags: bool) -> EditedCommitment:
    start = OLD.index(source)
    values = _values(text, (start, start + len(source)), countries=["EE"])
    return EditedCommitment(commitment_id, frozenset(fields), values, source, **flags)


def test_fields_are_set_over_the_reading_of_the_commitment_that_continues_it() -> None:
    grid = NEW.index("to build")
    carry = carry_corrections(
        [_edited("c1", {"countries"}, "to build a grid, and to test it", "to build a grid, and to test it")],
        {0: "c1", 1: "c2"},
        [(grid, grid + 31), (NEW.index("to open"), NEW.index("to open") + 15)],
        NEW,
    )
    assert carry.unresolved == ()
    (kept,) = carry.carried
    assert (kept.action, kept.position, kept.values) == ("override", 0, {"countries": ["EE"]})


def test_a_narrowed_span_moves_with_its_text() -> None:
    carry = carry_corrections(
        [_edited("c1", {"span", "text"}, "to build a grid", "to build a grid")], {0: "c1"}, [(56, 87)], NEW
    )
    (kept,) = carry.carried
    start = NEW.index("to build a grid")
    assert kept.values["span"] == (start, start + len("to build a grid")) and kept.values["text"] == "to build a grid"


def test_an_addition_is_placed_where_its_text_now_stands_and_lost_text_goes_to_review() -> None:
    added = _edited("a1", {"text", "span", "countries"}, "calls on the governments", "calls on the governments",
                    added=True)  # fmt: skip
    gone = _edited("c9", {"countries"}, "to open a port", "to open a port")
    carry = carry_corrections([added, gone], {}, [], NEW.replace("to open a port", "to open two ports"))
    (placed,) = carry.carried
    assert placed.action == "add" and placed.values["span"] == locate("calls on the governments", NEW, 0)
    assert len(carry.unresolved) == 1 and "c9" in carry.unresolved[0]


def test_a_withdrawal_is_kept_and_one_no_longer_stated_is_dropped_silently() -> None:
    withdrawn = _edited("w1", set(), "to open a port", "to open a port", withdrawn=True)
    assert [c.action for c in carry_corrections([withdrawn], {1: "w1"}, [(0, 1), (2, 3)], NEW).carried] == ["withdrawn"]
    nothing = carry_corrections([withdrawn], {}, [], NEW)
    assert nothing.carried == () and nothing.unresolved == ()


def test_locate_tolerates_rewrapped_whitespace_and_prefers_the_nearest() -> None:
    text = "to act now\nand then. Later: to act   now and then."
    assert locate("to act now and then", text, 30) == (text.rindex("to act"), len(text) - 1)
    assert locate("to act now and then", text, 0) == (0, text.index("."))
    assert locate("absent", text, 0) is None
