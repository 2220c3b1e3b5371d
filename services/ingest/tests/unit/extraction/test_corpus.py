"""The whole corpus against its hand-made gold files: every document, item, deadline and fact."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from resolute.ingest.extraction import ExtractedDocument, extract_documents
from resolute.ingest.extraction.text import clean, words

CORPUS_DIR = Path(__file__).resolve().parents[5] / "corpus"
GOLD_FILES = sorted(CORPUS_DIR.glob("*.gold.json"))


def _source_for(gold_path: Path) -> Path:
    stem = gold_path.name[: -len(".gold.json")]
    return next(p for p in gold_path.parent.glob(stem + ".*") if not p.name.endswith(".json"))


def _extract(gold_path: Path) -> tuple[str, list[ExtractedDocument]]:
    source = _source_for(gold_path)
    text = source.read_text(encoding="utf-8")
    return text, extract_documents(text, source=str(source))


def _norm(s: str) -> str:
    return clean(s).replace("\u2019", "'")


def _check_deadline(gold: dict[str, Any] | None, got: dict[str, Any] | None, where: str) -> None:
    if gold is None:
        assert got is None, f"{where}: false deadline {got}"
        return
    assert got is not None, f"{where}: missed deadline {gold}"
    assert got["kind"] == gold["kind"], where
    for key in ("series", "ordinal", "year", "every"):
        if gold.get(key) is not None:
            assert got[key] == gold[key], f"{where}: {key}"
    if gold.get("month"):
        assert str(got["date"]).startswith(gold["month"]), where
    if gold["kind"] == "date":
        assert got["date"] == gold["date"], where


def test_corpus_has_every_family() -> None:
    assert len(GOLD_FILES) == 5


@pytest.mark.parametrize("gold_path", GOLD_FILES, ids=lambda p: p.name.split(".")[0])
def test_document_matches_gold(gold_path: Path) -> None:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    text, docs = _extract(gold_path)
    gold_docs = gold.get("documents", [gold])
    assert len(docs) == len(gold_docs)
    for gd, doc in zip(gold_docs, docs, strict=True):
        data = doc.model_dump(mode="json")
        assert data["kind"] == gd["kind"]
        if gd.get("number"):
            assert data["number"] == gd["number"]
        if gd.get("adopted"):
            assert data["adopted"] == gd["adopted"]
        if gd.get("signed"):
            assert data["adopted"] == gd["signed"]
        if gd.get("session"):
            assert data["session"] == gd["session"]
        if "commitments_expected" in gd:
            _check_prose(gd, data)
        else:
            _check_items(gd, data, text)
        facts = {(f["series"], f["ordinal"], f["start"]) for f in data["calendar_facts"]}
        for fact in gd.get("calendar_facts", []):
            assert (fact["series"], fact["ordinal"], fact["start"]) in facts


def _check_items(gd: dict[str, Any], data: dict[str, Any], text: str) -> None:
    gold_items = gd.get("commitments", [])
    assert len(data["commitments"]) == len(gold_items)
    for g, p in zip(gold_items, data["commitments"], strict=True):
        where = f"{gd.get('number') or gd.get('file')} item {g.get('n')}"
        assert _norm(p["text"]) == _norm(g["text"]), where
        assert set(p["countries"]) == set(g["countries"]), where
        if "label" in g:
            assert p["label"] == g["label"], where
        assert p["section"] == g.get("section"), where
        _check_deadline(g["deadline"], p["deadline"], where)
        start, end = p["span"]
        assert _norm(text[start:end]).startswith(_norm(p["text"])[:25]), where


def _check_prose(gd: dict[str, Any], data: dict[str, Any]) -> None:
    assert len(data["commitments"]) >= gd.get("commitments_min", 1)
    for expected in gd["commitments_expected"]:
        want = set(words(expected["text"]))
        found = False
        for p in data["commitments"]:
            overlap = len(want & set(words(p["text"]))) / len(want)
            refs = {(m["country"], m["ministry"]) for m in p["ministries"]}
            if (
                overlap >= 0.8
                and set(expected["countries"]) <= set(p["countries"])
                and all((c, expected["ministry"]) in refs for c in expected["countries"])
            ):
                found = True
        assert found, expected["text"]


def test_ba_resolution_metadata() -> None:
    _, docs = _extract(CORPUS_DIR / "ba-44th-session-resolution-2025.gold.json")
    doc = docs[0]
    assert doc.title == "Resolution of the 44th Session of the Baltic Assembly"
    assert doc.issuing_body == "Baltic Assembly"
    assert doc.session == 44
    assert doc.place == "Riga"
    assert doc.addressees == ["parliaments and governments of EE, LV, LT", "Baltic Council of Ministers"]
    assert all(c.bodies == ["Baltic Council of Ministers"] for c in doc.commitments)
    assert doc.warnings == []


def test_nato_bundle_metadata() -> None:
    _, docs = _extract(CORPUS_DIR / "nato-pa-policy-recommendations-2025.gold.json")
    assert [d.number for d in docs] == list(range(496, 504))
    assert [d.kind for d in docs] == ["declaration"] * 2 + ["resolution"] * 6
    assert docs[0].title == "TAKING NATO DETERRENCE AND DEFENCE TO THE NEXT LEVEL AT THE HAGUE SUMMIT"
    assert docs[1].title == "PEACE THROUGH STRENGTH IN UKRAINE"
    assert docs[0].place == "Dayton" and docs[2].place == "Ljubljana"
    assert docs[2].committee == "Committee on Democracy and Security"
    assert docs[3].committee == "Defence and Security Committee"
    assert docs[2].session == 71
    # "where appropriate, NATO institutions" is a hedge, not an obligated addressee.
    assert all(c.bodies == [] for c in docs[2].commitments)
    assert all(d.issuing_body == "NATO Parliamentary Assembly" for d in docs)


def test_declaration_signatories() -> None:
    _, docs = _extract(CORPUS_DIR / "ies-commentary-bmma-declaration-2026.gold.json")
    doc = docs[0]
    assert doc.title == "Declaration of Intent on the establishment of the Baltic Military Mobility Area (BMMA)"
    assert doc.place == "Tallinn"
    assert {(s.country, s.ministry, s.person) for s in doc.signatories} == {
        ("LT", "defence", "Robertas Kaunas"),
        ("LV", "defence", "Andris Sprūds"),
        ("EE", "defence", "Hanno Pevkur"),
    }
    # The European Commission's package is another actor's initiative: not the signatories' commitment.
    assert not any("framework for reducing physical" in c.text for c in doc.commitments)
    # A relative clause about the EU's Schengen Area is not the BMMA's purpose either.
    assert not any(c.text.startswith("to improve preparedness") for c in doc.commitments)


def test_press_release_has_facts_and_no_commitments() -> None:
    _, docs = _extract(CORPUS_DIR / "seimas-press-release-42nd-ba-session-2023.gold.json")
    doc = docs[0]
    assert doc.kind == "press_release"
    assert doc.commitments == []
    assert doc.issuing_body == "Seimas of the Republic of Lithuania"
    assert str(doc.published) == "2023-11-24"
    assert doc.title is not None and doc.title.startswith("The 42th Session of the Baltic Assembly")
