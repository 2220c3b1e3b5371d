"""Versions of a document: how a new upload is recognised as one, and which commitments it keeps.

Pure functions over extraction results, no database: the service applies them in its transaction.

- A document's identity is what it says it is: issuing body, kind, number and session, and title. Only
  instruments (resolutions and declarations) with a known issuer and title have one; press releases and
  texts of unknown origin never supersede anything by themselves (an explicit `supersedes` still can).
- A commitment keeps its identity from one version to the next when its text is the same once
  typography is set aside (case, whitespace, punctuation, quotes and dashes, markup): a moved item keeps
  its id, a reworded one is a new commitment and the old one is withdrawn.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from resolute.ingest.extraction.models import ExtractedDocument
from resolute.ingest.extraction.text import clean_item, fold_ascii

VERSIONED_KINDS = frozenset({"resolution", "declaration", "declaration_of_intent"})

_NOT_WORD = re.compile(r"[^a-z0-9]+")


def normalise_text(text: str) -> str:
    """The words of a text, lower-case ASCII, single-spaced: what 'the same text' compares."""
    return _NOT_WORD.sub(" ", fold_ascii(clean_item(text)).lower()).strip()


def part_identity(document: ExtractedDocument) -> str | None:
    """One extracted document's identity, or None when it is not a versioned instrument."""
    if document.kind not in VERSIONED_KINDS or not document.issuing_body or not document.title:
        return None
    fields = (
        document.kind,
        normalise_text(document.issuing_body),
        "" if document.number is None else str(document.number),
        "" if document.session is None else str(document.session),
        normalise_text(document.title),
    )
    return "|".join(fields)


def identity_key(documents: Sequence[ExtractedDocument]) -> str | None:
    """The identity of everything in one upload (a bundle: all its parts), hashed to a fixed width."""
    parts = [part_identity(d) for d in documents]
    if not parts or any(p is None for p in parts):
        return None
    return hashlib.sha256("\n".join(sorted(p for p in parts if p)).encode()).hexdigest()


@dataclass(frozen=True)
class StatedCommitment:
    """A commitment as one version states it: enough to tell whether another version states it too."""

    text: str
    part: str | None = None


def match_commitments(previous: Sequence[StatedCommitment], current: Sequence[StatedCommitment]) -> dict[int, int]:
    """Pair each commitment of the new version with the one of the previous version it continues.

    Returns {index in `current`: index in `previous`}. Texts pair one to one, in document order; where
    the same text occurs in several parts of a bundle, a pair within the same part is preferred.
    """
    unmatched: dict[str, list[int]] = defaultdict(list)
    for index, commitment in enumerate(previous):
        unmatched[normalise_text(commitment.text)].append(index)
    keys = [normalise_text(c.text) for c in current]
    pairs: dict[int, int] = {}
    for same_part_only in (True, False):
        for index, (commitment, key) in enumerate(zip(current, keys, strict=True)):
            if index in pairs or not unmatched.get(key):
                continue
            candidates = unmatched[key]
            chosen = next((i for i in candidates if previous[i].part == commitment.part), None)
            if chosen is None and not same_part_only:
                chosen = candidates[0]
            if chosen is not None:
                candidates.remove(chosen)
                pairs[index] = chosen
    return pairs


def part_key(number: int | str | None, index: int) -> str:
    """Which part of a bundle a commitment is in, comparably across versions: the part's number, else its place."""
    return str(number) if number is not None else f"#{index}"


def stored_part_keys(parts: Sequence[dict[str, Any]], count: int) -> list[str]:
    """The part keys of a stored version, from the part summaries it was stored with (`part_key` of each)."""
    return [part_key(parts[index].get("number") if index < len(parts) else None, index) for index in range(count)]


@dataclass(frozen=True)
class PreviousCommitment:
    """A commitment of the version being superseded: its identity, and where and how that version states it."""

    commitment_id: str
    text: str
    part: str


@dataclass(frozen=True)
class VersionPlan:
    """What a new version keeps of the one it supersedes.

    `kept`: {position in the new version: the commitment id it carries on}; `withdrawn`: the indexes (in the
    previous version's order) of the commitments the new version no longer states.
    """

    kept: dict[int, str]
    withdrawn: tuple[int, ...]


def plan_version(previous: Sequence[PreviousCommitment], documents: Sequence[ExtractedDocument]) -> VersionPlan:
    """Pair the new version's commitments (every part of the upload, in order) with the previous version's."""
    current = [
        StatedCommitment(item.text, part_key(document.number, index))
        for index, document in enumerate(documents)
        for item in document.commitments
    ]
    pairs = match_commitments([StatedCommitment(p.text, p.part) for p in previous], current)
    carried = set(pairs.values())
    return VersionPlan(
        kept={position: previous[index].commitment_id for position, index in pairs.items()},
        withdrawn=tuple(index for index in range(len(previous)) if index not in carried),
    )


# --- corrections across versions ------------------------------------------------------------------------------

#: fields whose corrected value is a place in the text: they move with the source text, not copied as they are
_PLACED = frozenset({"span", "text"})


@dataclass(frozen=True)
class EditedCommitment:
    """A commitment of the superseded version as editors left it: corrected, added, split off or withdrawn."""

    commitment_id: str
    corrected_fields: frozenset[str]
    values: dict[str, Any]
    source: str
    added: bool = False
    withdrawn: bool = False


@dataclass(frozen=True)
class CarriedCorrection:
    """What the new version does with one edited commitment.

    `override`: the new version's commitment at `position` continues it; `values` are the editor's fields set
    over what the extractor read there (a corrected span moved to where its source text now stands).
    `withdrawn`: it stays withdrawn. `add`: an editor's commitment the extractor does not read, kept at
    `values["span"]`, where its source text now stands.
    """

    commitment_id: str
    action: str
    position: int | None = None
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CorrectionCarry:
    carried: tuple[CarriedCorrection, ...]
    unresolved: tuple[str, ...]


def locate(source: str, text: str, near: int) -> tuple[int, int] | None:
    """Where `source` stands in `text` (whitespace may differ), the occurrence nearest `near`."""
    if not source.strip():
        return None
    words = source.split()
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
    found = [(m.start(), m.end()) for m in pattern.finditer(text)]
    return min(found, key=lambda span: abs(span[0] - near)) if found else None


def carry_corrections(
    edited: Sequence[EditedCommitment],
    kept: dict[int, str],
    spans: Sequence[tuple[int, int]],
    text: str,
) -> CorrectionCarry:
    """Keep each editor's correction in the new version where its source text is unchanged.

    `kept` is the version plan's pairing ({position: commitment id}), `spans` the new version's commitments'
    spans by position and `text` its text. A correction whose commitment the new version no longer states, or
    whose source text cannot be found again, is not guessed at: it is named in `unresolved`, for an editor.
    """
    position_of = {commitment_id: position for position, commitment_id in kept.items()}
    carried: list[CarriedCorrection] = []
    unresolved: list[str] = []
    for commitment in edited:
        position = position_of.get(commitment.commitment_id)
        if position is None and commitment.withdrawn:
            continue  # withdrawn by an editor, and not stated any more: nothing to keep
        if position is not None and commitment.withdrawn:
            carried.append(CarriedCorrection(commitment.commitment_id, "withdrawn", position))
            continue
        near = spans[position][0] if position is not None else commitment.values["span"][0]
        values = {name: commitment.values[name] for name in commitment.corrected_fields - _PLACED}
        if position is None and not commitment.added:
            fields = ", ".join(sorted(commitment.corrected_fields))
            unresolved.append(
                f"commitment {commitment.commitment_id} was corrected ({fields}) but this version words it "
                "differently: its correction was not carried over"
            )
            continue
        if position is None or commitment.corrected_fields & _PLACED:
            span = locate(commitment.source, text, near)
            if span is None:
                unresolved.append(
                    f"the text of commitment {commitment.commitment_id} ({commitment.source[:60]!r}) is not in this "
                    "version: the editor's "
                    + ("addition" if commitment.added else "correction of its text")
                    + " was not carried over"
                )
                continue
            values["span"] = span
            if "text" in commitment.corrected_fields or position is None:
                values["text"] = commitment.values["text"]
        if position is None:
            carried.append(CarriedCorrection(commitment.commitment_id, "add", None, {**commitment.values, **values}))
        else:
            carried.append(CarriedCorrection(commitment.commitment_id, "override", position, values))
    return CorrectionCarry(tuple(carried), tuple(unresolved))
