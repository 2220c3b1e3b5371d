"""Score extraction against gold files in the corpus format, in process, the way the team's corpus check does.

Items are matched one to one by text similarity (at least 0.9, case, emphasis and final punctuation aside);
then countries, deadlines (kind and normalised parts) and false deadlines are compared, prose documents are
checked for their expected commitments with countries and ministry, and each document's own facts (kind,
title, issuing body, number or session, date, place) and calendar facts are counted. Used by the tests of
the layout zoo and by `benchmarks/extract.py --zoo`.

Besides the counts, every comparison lists its `differences` one by one (an item missed or extra, countries or
bodies, a deadline, a document fact, a calendar fact), with the gold's value and the one read: what
`resolute extract --compare GOLD PATH` prints. They go a little further than the counts (bodies, items read
that the gold does not have, a calendar fact the gold's list does not have, a press release's date) but,
like them, only where the gold states something.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from resolute.ingest.extraction import extract_documents
from resolute.ingest.formats import read_document

Json = dict[str, Any]


def _norm(s: str | None) -> str:
    s = (s or "").replace("*", "").replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", s).strip().rstrip(" ;.").lower()


def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


@dataclass(frozen=True)
class Difference:
    """One way a reading differs from the gold: in a document (`name` or `name#number`), in one of its items
    (`item`, e.g. "item 12 (b)") or in its own facts; `what` differs, and the gold's value and the one read."""

    document: str
    what: str
    gold: Any = None
    got: Any = None
    item: str | None = None

    def line(self) -> str:
        where = self.document + (f" {self.item}" if self.item else "")
        if self.what == "missed":
            return f"{where}: missed: {_shown(self.gold)}"
        if self.what == "extra":
            return f"{where}: extra: {_shown(self.got)}"
        if self.what == "calendar fact" and self.got is None:
            return f"{where}: calendar fact missed: {_shown(self.gold)}"
        if self.what == "calendar fact" and self.gold is None:
            return f"{where}: calendar fact extra: {_shown(self.got)}"
        if self.what in ("countries", "bodies"):
            only_gold = [v for v in self.gold if v not in self.got]
            only_read = [v for v in self.got if v not in self.gold]
            parts = [f"gold only {_shown(only_gold)}"] * bool(only_gold) + [f"read only {_shown(only_read)}"] * bool(
                only_read
            )
            return f"{where}: {self.what}: {'; '.join(parts)}"
        return f"{where}: {self.what}: gold {_shown(self.gold)}, read {_shown(self.got)}"

    def as_json(self) -> Json:
        return {"document": self.document, "item": self.item, "what": self.what, "gold": self.gold, "got": self.got}


def _shown(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, dict):  # a deadline or a calendar fact: the parts it states
        value = {k: v for k, v in value.items() if v is not None}
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "[" + ", ".join(value) + "]"
    return json.dumps(value, ensure_ascii=False)


def _item_name(item: Json, index: int | None = None) -> str:
    number = item.get("n", index)
    name = f"item {number}" if number is not None else "item"
    return name + (f" ({item['label']})" if item.get("label") else "")


@dataclass
class Score:
    """Totals over a set of gold documents, and the lines that explain what fell short."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    countries_right: int = 0
    wrong_countries: int = 0
    deadlines: int = 0
    deadlines_right: int = 0
    false_deadlines: int = 0
    facts: int = 0
    facts_right: int = 0
    calendar: int = 0
    calendar_right: int = 0
    prose_expected: int = 0
    prose_found: int = 0
    documents: int = 0
    exact: int = 0
    notes: list[str] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)

    @property
    def f1(self) -> float:
        precision = self.matched / self.predicted if self.predicted else 0.0
        recall = self.matched / self.gold if self.gold else 0.0
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    def ratio(self, right: int, total: int) -> float:
        return right / total if total else 1.0

    def summary(self) -> str:
        return (
            f"docs {self.exact}/{self.documents} exact, items F1 {self.f1:.3f} ({self.matched}/{self.gold} gold, "
            f"{self.predicted} found), countries wrong {self.wrong_countries}, deadlines "
            f"{self.deadlines_right}/{self.deadlines}, false deadlines {self.false_deadlines}, prose "
            f"{self.prose_found}/{self.prose_expected}, calendar facts {self.calendar_right}/{self.calendar}, "
            f"document facts {self.facts_right}/{self.facts}"
        )


def _match_items(gold: list[Json], predicted: list[Json]) -> list[tuple[Json, Json]]:
    pairs: list[tuple[Json, Json]] = []
    used: set[int] = set()
    for g in gold:
        text = _norm(g.get("text") or g.get("text_start"))
        best, best_score = None, 0.0
        for j, p in enumerate(predicted):
            if j in used:
                continue
            score = _similar(text, _norm(p.get("text")))
            if score > best_score:
                best, best_score = j, score
        if best is not None and best_score >= 0.9:
            used.add(best)
            pairs.append((g, predicted[best]))
    return pairs


def deadline_matches(gold: Json | str, got: Json | None) -> bool:
    """A predicted deadline against a gold one: kind, then every normalised part the gold states."""
    if isinstance(gold, str):
        return got is not None
    if got is None or got.get("kind") != gold.get("kind"):
        return False
    if any(gold.get(k) is not None and got.get(k) != gold.get(k) for k in ("series", "ordinal", "year", "every")):
        return False
    if gold.get("month") and not str(got.get("date") or "").startswith(gold["month"]):
        return False
    # a month's first day, as the contract states it (the hand-made gold says `month` instead)
    return not (gold.get("date") and gold["kind"] in ("date", "month") and got.get("date") != gold["date"])


def _fact_checks(gold: Json, got: Json) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    if gold.get("kind"):
        out.append(("kind", got.get("kind") == gold["kind"]))
    for key in ("session", "number"):
        if gold.get(key) is not None:
            out.append((key, got.get(key) == gold[key]))
    when = gold.get("adopted") or gold.get("signed")
    if when:
        out.append(("date", got.get("adopted") == when))
    if gold.get("place"):
        city = _norm(gold["place"]).split(",")[0]
        out.append(("place", bool(got.get("place")) and _norm(got["place"]).split(",")[0] == city))
    for key in ("title", "issuing_body"):
        if gold.get(key):
            g, q = _norm(gold[key]), _norm(got.get(key))
            out.append((key, bool(q) and (g in q or q in g or _similar(g, q) >= 0.8)))
    return out


def _prose(gold: Json, got: Json, score: Score, name: str) -> bool:
    found = 0
    for expected in gold["commitments_expected"]:
        want = set(_norm(expected["text"]).split())
        for p in got.get("commitments", []):
            have = set(_norm(p.get("text")).split())
            ministries = {(m.get("country"), m.get("ministry")) for m in p.get("ministries", [])}
            if (
                want
                and len(want & have) / len(want) >= 0.5
                and set(expected["countries"]) <= set(p.get("countries", []))
                and (
                    expected.get("ministry") is None
                    or all((c, expected["ministry"]) in ministries for c in expected["countries"])
                )
            ):
                found += 1
                break
        else:
            score.notes.append(f"{name}: prose commitment not found: {expected['text'][:80]}")
            score.differences.append(Difference(name, "missed", expected["text"], item="prose commitment"))
    score.prose_expected += len(gold["commitments_expected"])
    score.prose_found += found
    minimum = gold.get("commitments_min", 1)
    read = len(got.get("commitments", []))
    if read < minimum:
        score.differences.append(Difference(name, "commitments", f"at least {minimum}", read))
    return found == len(gold["commitments_expected"]) and read >= minimum


def _items(gold: Json, got: Json, score: Score, name: str) -> bool:
    gold_items = gold.get("commitments") or []
    got_items = got.get("commitments", [])
    pairs = _match_items(gold_items, got_items)
    score.gold += len(gold_items)
    score.predicted += len(got_items)
    score.matched += len(pairs)
    right = sum(1 for g, p in pairs if set(g.get("countries", [])) == set(p.get("countries", [])))
    score.countries_right += right
    # A country it is not addressed to: assigned where the gold does not address it.
    score.wrong_countries += sum(1 for g, p in pairs if set(p.get("countries", [])) - set(g.get("countries", [])))
    with_deadline = [(g, p) for g, p in pairs if g.get("deadline")]
    hits = sum(1 for g, p in with_deadline if deadline_matches(g["deadline"], p.get("deadline")))
    false = sum(1 for g, p in pairs if not g.get("deadline") and p.get("deadline"))
    score.deadlines += sum(1 for g in gold_items if g.get("deadline"))
    score.deadlines_right += hits
    score.false_deadlines += false
    matched_gold = [id(g) for g, _ in pairs]
    for g in gold_items:
        if id(g) not in matched_gold:
            score.notes.append(f"{name}: missed item: {(g.get('text') or '')[:80]}")
    for g, p in with_deadline:
        if not deadline_matches(g["deadline"], p.get("deadline")):
            score.notes.append(f"{name}: deadline {g['deadline']} read as {p.get('deadline')}")
    _item_differences(gold_items, got_items, pairs, score, name)
    exact = len(pairs) == len(gold_items) == len(got_items) and right == len(pairs)
    return exact and hits == len(with_deadline) and false == 0


def _item_differences(
    gold_items: list[Json], got_items: list[Json], pairs: list[tuple[Json, Json]], score: Score, name: str
) -> None:
    """Each item missed or extra, and each matched item's countries, bodies and deadline where they differ."""
    matched_gold = {id(g) for g, _ in pairs}
    matched_got = {id(p) for _, p in pairs}
    out = score.differences
    for g in gold_items:
        if id(g) not in matched_gold:
            out.append(Difference(name, "missed", g.get("text") or g.get("text_start"), item=_item_name(g)))
    for index, p in enumerate(got_items, start=1):
        if id(p) not in matched_got:
            out.append(Difference(name, "extra", got=p.get("text"), item=_item_name(p, index)))
    for g, p in pairs:
        item = _item_name(g)
        for key in ("countries", "bodies"):
            if key in g and set(g[key] or []) != set(p.get(key) or []):
                out.append(Difference(name, key, list(g[key] or []), list(p.get(key) or []), item=item))
        wanted, read = g.get("deadline"), p.get("deadline")
        if (wanted and not deadline_matches(wanted, read)) or (not wanted and read):
            out.append(Difference(name, "deadline", wanted, read, item=item))


def _fact_differences(gold: Json, got: Json, checks: list[tuple[str, bool]], score: Score, name: str) -> None:
    gold_value = {"date": gold.get("adopted") or gold.get("signed")}
    got_value = {"date": got.get("adopted")}
    for key, right in checks:
        if not right:
            score.differences.append(
                Difference(name, key, gold_value.get(key, gold.get(key)), got_value.get(key, got.get(key)))
            )
    # a press release's date is not counted (the team's check does not), but a difference all the same
    published = gold.get("published") if not (gold.get("adopted") or gold.get("signed")) else None
    if published and got.get("adopted") != published:
        score.differences.append(Difference(name, "date", gold["published"], got.get("adopted")))


def _calendar_key(fact: Json) -> tuple[Any, Any, Any]:
    return fact.get("series"), fact.get("ordinal"), fact.get("start")


def _calendar_differences(gold: Json, got: Json, score: Score, name: str) -> None:
    """Calendar facts the gold lists and the reading lacks (or states otherwise); where the gold lists them at
    all, also those it read that the gold does not list."""
    read = {_calendar_key(f): f for f in got.get("calendar_facts", [])}
    wanted = gold.get("calendar_facts", [])
    for fact in wanted:
        found = read.get(_calendar_key(fact))
        if found is None:
            score.differences.append(Difference(name, "calendar fact", fact, None))
            continue
        for key in ("end", "place"):
            if fact.get(key) is not None and _norm(str(found.get(key))) != _norm(str(fact[key])):
                what = f"calendar fact {fact.get('series')} {fact.get('ordinal') or fact.get('start')} {key}"
                score.differences.append(Difference(name, what, fact[key], found.get(key)))
    if "calendar_facts" in gold:
        listed = {_calendar_key(f) for f in wanted}
        for at, fact in read.items():
            if at not in listed:
                score.differences.append(Difference(name, "calendar fact", None, fact))


def score_documents(gold_file: Json, got: list[Json], score: Score, name: str) -> None:
    """Add one file's comparison to `score`."""
    gold_docs = gold_file.get("documents", [gold_file])
    if len(got) != len(gold_docs):
        score.notes.append(f"{name}: {len(got)} documents, gold has {len(gold_docs)}")
        score.differences.append(Difference(name, "documents", len(gold_docs), len(got)))
        merged = {"commitments": [c for d in got for c in d.get("commitments", [])]}
        got = [merged] * len(gold_docs)
    for gold, doc in zip(gold_docs, got, strict=True):
        label = name + (f"#{gold['number']}" if gold.get("number") else "")
        score.documents += 1
        ok = _prose(gold, doc, score, label) if "commitments_expected" in gold else _items(gold, doc, score, label)
        checks = _fact_checks(gold, doc)
        score.facts += len(checks)
        score.facts_right += sum(1 for _, right in checks if right)
        wrong = [k for k, right in checks if not right]
        if wrong:
            score.notes.append(f"{label}: wrong {', '.join(wrong)}")
        _fact_differences(gold, doc, checks, score, label)
        _calendar_differences(gold, doc, score, label)
        facts = {(f.get("series"), f.get("ordinal"), f.get("start")) for f in doc.get("calendar_facts", [])}
        wanted = gold.get("calendar_facts", [])
        dated = sum(1 for f in wanted if (f["series"], f["ordinal"], f["start"]) in facts)
        score.calendar += len(wanted)
        score.calendar_right += dated
        if dated < len(wanted):
            score.notes.append(f"{label}: calendar facts {dated}/{len(wanted)}")
        score.exact += int(ok and not wrong and dated == len(wanted))


def extract_file(path: Path) -> list[Json]:
    """Read and extract one source file as `resolute extract --json` would."""
    document = read_document(path.read_bytes(), filename=path.name)
    docs = extract_documents(document.text, source=str(path), title_hint=document.title, blocks=document.blocks)
    return [d.model_dump(mode="json") for d in docs]


def gold_pairs(directory: Path) -> Iterable[tuple[Path, Path]]:
    """(gold file, source file) pairs of a corpus-format directory."""
    for gold in sorted(directory.glob("*.gold.json")):
        stem = gold.name[: -len(".gold.json")]
        sources = [p for p in gold.parent.glob(stem + ".*") if not p.name.endswith(".json")]
        if sources:
            yield gold, sources[0]


def score_directory(directory: Path, extract: Callable[[Path], list[Json]] = extract_file) -> Score:
    """Score every gold file of a directory against the extraction of its source."""
    score = Score()
    for gold, source in gold_pairs(directory):
        score_documents(json.loads(gold.read_text(encoding="utf-8")), extract(source), score, source.name)
    return score
