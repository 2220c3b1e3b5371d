"""Policy areas from the fixed vocabulary by a keyword rule weighted towards the item's own words."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from resolute.ingest.extraction.policy_areas import area_scores, classify_policy_area, vocabulary
from resolute.shared.actors import ActorRegistry

KEYWORDS, PRIORITY = vocabulary()


def test_vocabulary_matches_the_registry(registry: ActorRegistry) -> None:
    assert set(KEYWORDS) == set(registry.area_ids) == set(PRIORITY)


@pytest.mark.parametrize(
    ("item", "section", "area"),
    [
        (
            "to prepare a common Baltic energy security strategy",
            "regarding the development of a Baltic energy strategy",
            "energy",
        ),
        (
            "to develop a Baltic railway network",
            "regarding the transport connectivity of the Baltic States",
            "transport",
        ),
        (
            "to establish the Baltic Science Fund",
            "regarding cooperation in education, science, and research",
            "research",
        ),
        (
            "to establish student exchange programmes",
            "regarding cooperation in the defence and education systems",
            "education",
        ),
        (
            "to conduct an analysis of the conscription systems",
            "regarding cooperation in the defence and education systems",
            "defence",
        ),
        (
            "to improve wastewater management systems",
            "regarding cooperation in the protection of the Baltic Sea",
            "environment",
        ),
        (
            "to establish a Baltic working group on joint medical procurements",
            "regarding enhanced access to medicines",
            "health",
        ),
        (
            "to organise annual conferences dedicated to the Baltic Way",
            "regarding cultural cooperation",
            "culture",
        ),
        ("to harmonize the border systems", "regarding external border control and management", "interior"),
        (
            "to launch an investigation into a Pan Baltic food labelling system",
            "regarding animal welfare and food security",
            "agriculture",
        ),
    ],
)
def test_item_and_section(item: str, section: str, area: str) -> None:
    assert classify_policy_area(item, section=section) == area


def test_section_breaks_ties_and_default_applies() -> None:
    assert classify_policy_area("to start discussions", section="regarding healthcare cooperation") == "health"
    assert classify_policy_area("to start discussions", default="governance") == "governance"
    assert classify_policy_area("to act") is None


def test_item_words_outweigh_a_broad_title() -> None:
    title = "PREPARING NATO FOR THE FUTURE OF UNCREWED WARFARE"
    assert (
        classify_policy_area("to sustain humanitarian support for Ukraine and diplomacy", title=title)
        == "foreign-affairs"
    )


def _one_alternation_scores(text: str) -> Counter[str]:
    """The rule as first written: one alternation of every stem, longest first, at each word start."""
    pairs = sorted(((s, a) for a, stems in KEYWORDS.items() for s in stems), key=lambda p: -len(p[0]))
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(f"(?P<k{i}>{s})" for i, (s, _) in enumerate(pairs)) + ")", re.I)
    return Counter(pairs[int(m.lastgroup[1:])][1] for m in pattern.finditer(text) if m.lastgroup)


_WORDS = [
    "energy", "Energy-security", "defence", "NATO", "ai", "AI-driven", "rail", "railway", "health", "the", "of",
    "cyber", "-military", "ports", "port", "Drones", "grids", "x", "armed", "forces", "2027", "_", "régions", "Ökology",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(_WORDS), st.text(max_size=8)), max_size=30),
    st.sampled_from([" ", "-", ", "]),
)
def test_initial_letter_dispatch_scores_exactly_as_one_alternation(words: list[str], glue: str) -> None:
    text = glue.join(words)
    area_scores.cache_clear()
    assert area_scores(text) == _one_alternation_scores(text)
