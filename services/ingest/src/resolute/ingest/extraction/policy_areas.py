"""Policy area of a commitment, from a fixed vocabulary, by a general keyword rule (stems in
data/policy_keywords.yaml).

The item's own words count most, its section heading next, the document title
least; the section's area breaks ties. Ministries are then looked up per
country from the area, so this rule decides who gets notified.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from functools import lru_cache
from importlib.resources import files

import yaml


@lru_cache(maxsize=1)
def vocabulary() -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    """Keyword stems per area and the areas' tie-break order, from data/policy_keywords.yaml."""
    raw = yaml.safe_load(files("resolute.ingest.extraction").joinpath("data/policy_keywords.yaml").read_text())
    return {area: tuple(stems) for area, stems in raw["keywords"].items()}, tuple(raw["priority"])


_LITERAL = re.compile(r"[a-z0-9 ']*")


def _trie(entries: list[tuple[str, str]]) -> str:
    """An alternation of (literal prefix, rest) entries sharing their leading characters, trie-wise.

    `re` tries the alternatives of a group one after another; sharing prefixes makes it try only the
    stems that can still match, so a few hundred stems cost about what a handful would. Longer literal
    prefixes are tried first, so the most specific stem still wins.
    """
    children: dict[str, list[tuple[str, str]]] = {}
    here: list[str] = []
    for literal, rest in entries:
        if literal:
            children.setdefault(literal[0], []).append((literal[1:], rest))
        else:
            here.append(rest)
    branches = [
        re.escape(c) + (_trie(sub) if len(sub) > 1 else re.escape(sub[0][0]) + sub[0][1])
        for c, sub in sorted(children.items())
    ]
    return "(?:" + "|".join(branches + here) + ")"


@lru_cache(maxsize=1)
def _scanner() -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern over all stems, sharing their literal prefixes; the most specific stem wins at a word start.

    A flat alternation of every stem made `re` try all of them at every word start (milliseconds per item);
    with prefixes shared it tries only those that can match, and one `finditer` keeps the loop in C.
    """
    pairs = sorted(
        ((stem, area) for area, stems in vocabulary()[0].items() for stem in stems),
        key=lambda pair: -len(pair[0]),
    )
    groups = {f"k{i}": area for i, (_, area) in enumerate(pairs)}
    entries: list[tuple[str, str]] = []
    for i, (stem, _) in enumerate(pairs):
        body = stem.removeprefix(r"\b")
        prefix = _LITERAL.match(body)
        literal = prefix.group(0) if prefix is not None else ""
        if literal and len(literal) < len(body) and body[len(literal)] in "?*{":
            literal = literal[:-1]  # "drones?": the last letter is optional, not part of the prefix
        entries.append((literal, f"(?P<k{i}>{body[len(literal) :]})"))
    return re.compile(rf"(?<![\w-]){_trie(entries)}", re.I), groups


@lru_cache(maxsize=4096)
def area_scores(text: str) -> Counter[str]:
    """Keyword hits per area in text (cached: section headings and titles repeat for every item)."""
    scores: Counter[str] = Counter()
    if not text:
        return scores
    pattern, groups = _scanner()
    for hit in pattern.finditer(text):
        if hit.lastgroup is not None:
            scores[groups[hit.lastgroup]] += 1
    return scores


@lru_cache(maxsize=1)
def _ranks() -> dict[str, int]:
    return {area: i for i, area in enumerate(vocabulary()[1])}


def _best(scores: Mapping[str, int], prefer: str | None) -> str | None:
    if not scores:
        return None
    top = max(scores.values())
    tied = [a for a, s in scores.items() if s == top]
    if prefer in tied:
        return prefer
    ranks = _ranks()
    return min(tied, key=lambda a: ranks.get(a, len(ranks)))


_HEADING_FRAME = re.compile(r"^(?:regarding|concerning|as regards|with regard to|on)\s+", re.I)
_BALTIC_STATES = re.compile(r"\b(?:of|in|between) the baltic states\b", re.I)


def _heading_subject(section: str) -> str:
    """The subject of a heading without its framing ("regarding ... cooperation of the Baltic States")."""
    return _BALTIC_STATES.sub("", _HEADING_FRAME.sub("", section))


@lru_cache(maxsize=1024)
def _context(section: str | None, title: str | None) -> tuple[tuple[tuple[str, int], ...], str | None, str | None]:
    """What the heading and the title say (the same for every item under them): capped section hits, the
    section's area and the title's."""
    section_scores = area_scores(_heading_subject(section)) if section else Counter()
    capped = tuple((area, min(hits, 2)) for area, hits in section_scores.items())
    return capped, _best(section_scores, None), _best(area_scores(title), None) if title else None


def classify_policy_area(
    text: str,
    *,
    section: str | None = None,
    title: str | None = None,
    default: str | None = None,
) -> str | None:
    """The area of a commitment.

    Each keyword in the item counts 3; each in the section heading 1 (at most 2 per area,
    so a long heading cannot outvote what the item says); the title's area 1. Ties go to
    the heading's area, then to the more specific portfolio.
    """
    section_hits, section_area, title_area = _context(section, title)
    scores: dict[str, int] = {area: 3 * hits for area, hits in area_scores(text).items()}
    for area, hits in section_hits:
        scores[area] = scores.get(area, 0) + hits
    if title_area is not None:
        scores[title_area] = scores.get(title_area, 0) + 1
    return _best(scores, section_area) or default


def clear_caches() -> None:
    """Forget every text scored so far (benchmarks time documents as the service first sees them)."""
    area_scores.cache_clear()
    _context.cache_clear()
