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
from dataclasses import dataclass
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
