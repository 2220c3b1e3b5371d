"""Versions: what makes two uploads versions of one document, and which commitments carry over."""

from __future__ import annotations

from pathlib import Path

from resolute.ingest.documents.versions import (
    PreviousCommitment,
    StatedCommitment,
    identity_key,
    match_commitments,
    normalise_text,
    part_identity,
    part_key,
    plan_version,
    stored_part_keys,
)
from resolute.ingest.extraction import extract_documents
from resolute.ingest.extraction.models import ExtractedDocument


def _extract(path: Path, text: str | None = None) -> list[ExtractedDocument]:
    return extract_documents(text if text is not None else path.read_text(encoding="utf-8"), source=path.name)


def test_typography_does_not_change_a_text() -> None:
    a = "to **strengthen** the Baltic States\u2019 \u201cenergy\u201d security \u2013 together;"
    b = 'To strengthen the Baltic States\' "energy"   security - together.'
    assert normalise_text(a) == normalise_text(b) == "to strengthen the baltic states energy security together"
    assert normalise_text("to act by 2026") != normalise_text("to act by 2027")


def test_a_resolution_has_an_identity_that_a_new_version_shares(corpus_dir: Path) -> None:
    path = corpus_dir / "ba-44th-session-resolution-2025.txt"
    text = path.read_text(encoding="utf-8")
    (original,) = _extract(path)
    (amended,) = _extract(path, text.replace("- to ", "- to swiftly ", 1) + "\n- to report back in 2027;\n")
    assert part_identity(original) == (
        "resolution|baltic assembly||44|resolution of the 44th session of the baltic assembly"
    )
    assert identity_key(_extract(path)) == identity_key([amended]) is not None
    (other_session,) = _extract(corpus_dir / "ba-43rd-session-resolution-2024.txt")
    assert identity_key([other_session]) != identity_key([original])


def test_a_bundle_is_identified_by_all_its_parts(corpus_dir: Path) -> None:
    path = corpus_dir / "nato-pa-policy-recommendations-2025.md"
    parts = _extract(path)
    assert len(parts) == 8 and all(part_identity(p) for p in parts)
    key = identity_key(parts)
    assert key is not None and len(key) == 64
    assert identity_key(list(reversed(parts))) == key
    assert identity_key(parts[:-1]) != key


def test_press_releases_and_texts_of_unknown_origin_have_no_identity(corpus_dir: Path) -> None:
    assert identity_key(_extract(corpus_dir / "seimas-press-release-42nd-ba-session-2023.txt")) is None
    assert identity_key(extract_documents("- to do one thing;\n- to do another;", source="x")) is None
    assert identity_key([]) is None


def _stated(*texts: str, part: str | None = None) -> list[StatedCommitment]:
    return [StatedCommitment(t, part) for t in texts]


def test_moved_items_keep_their_identity_and_reworded_ones_do_not() -> None:
    before = _stated("to act first", "to act second", "to act third", "to act fourth")
    after = _stated("to act third", "to act first", "to act Second;", "to act fourth and fifth", "to act sixth")
    assert match_commitments(before, after) == {0: 2, 1: 0, 2: 1}


def test_repeated_texts_pair_in_order_and_within_their_part_first() -> None:
    before = [
        StatedCommitment("to support Ukraine", "497"),
        StatedCommitment("to support Ukraine", "502"),
        StatedCommitment("to support Ukraine", "502"),
    ]
    after = [StatedCommitment("to support Ukraine", "502"), StatedCommitment("to support Ukraine", "497")]
    assert match_commitments(before, after) == {0: 1, 1: 0}
    moved = [StatedCommitment("to support Ukraine", "503")] * 4
    assert match_commitments(before, moved) == {0: 0, 1: 1, 2: 2}


def test_a_new_version_keeps_the_ids_of_what_it_restates_and_withdraws_the_rest(corpus_dir: Path) -> None:
    path = corpus_dir / "ba-44th-session-resolution-2025.txt"
    (original,) = _extract(path)
    previous = [
        PreviousCommitment(f"c{index}", item.text, part_key(original.number, 0))
        for index, item in enumerate(original.commitments)
    ]
    text = path.read_text(encoding="utf-8")
    _, end = original.commitments[0].span
    (amended,) = _extract(path, text[:end].rstrip(" ;") + " without delay" + text[end:].lstrip(" "))
    plan = plan_version(previous, [amended])
    assert plan.withdrawn == (0,)  # the reworded item is a new commitment; the old one is withdrawn
    assert 0 not in plan.kept
    assert plan.kept == {index: f"c{index}" for index in range(1, len(original.commitments))}


def test_a_bundle_pairs_within_each_part_by_its_number(corpus_dir: Path) -> None:
    parts = _extract(corpus_dir / "nato-pa-policy-recommendations-2025.md")
    previous = [
        PreviousCommitment(f"{part.number}-{index}", item.text, part_key(part.number, position))
        for position, part in enumerate(parts)
        for index, item in enumerate(part.commitments)
    ]
    plan = plan_version(previous, list(reversed(parts)))  # the same parts, in another order
    assert plan.withdrawn == ()
    restated = [f"{part.number}-{index}" for part in reversed(parts) for index in range(len(part.commitments))]
    assert [plan.kept[position] for position in range(len(restated))] == restated


def test_stored_part_keys_follow_the_stored_part_numbers() -> None:
    assert stored_part_keys([{"number": 497}, {"number": None}], 3) == ["497", "#1", "#2"]
    assert part_key(None, 4) == "#4" and part_key(502, 0) == "502"
