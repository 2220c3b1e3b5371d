"""The vocabulary of operative language, loaded from data/verbs.yaml: which verbs ask others to act,
which bind the speaker, which only state a view, in every form documents write them.

Every reading stage (operative clauses of resolutions, the capitalised verbs of a "We, ...:" statement,
the sentences of a minister's declaration) asks this one lexicon, so a verb added to the data file is
understood in every layout at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any, Literal

import yaml

VerbClass = Literal["call", "self", "note"]
VerbTense = Literal["base", "third", "past"]

_DOUBLING = frozenset({"commit", "plan", "regret", "submit", "admit", "permit", "transfer", "compel", "refer"})


def verb_forms(lemma: str) -> dict[str, str]:
    """Base, third person, past and -ing forms of a (possibly multi-word) verb: "call on" -> "calls on", ..."""
    head, _, tail = lemma.partition(" ")
    rest = f" {tail}" if tail else ""
    if head.endswith(("s", "sh", "ch", "x", "z", "o")):
        third = head + "es"
    elif head.endswith("y") and head[-2:-1] not in "aeiou":
        third = head[:-1] + "ies"
    else:
        third = head + "s"
    double = head + head[-1] if head in _DOUBLING else head
    if head.endswith("e"):
        past, ing = head + "d", (head + "ing" if head.endswith("ee") else head[:-1] + "ing")
    elif head.endswith("y") and head[-2:-1] not in "aeiou":
        past, ing = head[:-1] + "ied", head + "ing"
    else:
        past, ing = double + "ed", double + "ing"
    return {"base": head + rest, "third": third + rest, "past": past + rest, "ing": ing + rest}


@dataclass(frozen=True, slots=True)
class VerbMatch:
    """An operative verb at [start, end) of the searched text."""

    verb_class: VerbClass
    lemma: str
    form: str
    start: int
    end: int
    tense: VerbTense = "third"
    object_to: bool = False


@dataclass(frozen=True)
class Lexicon:
    """Compiled verb patterns: finite forms open operative clauses, -ing forms open preamble paragraphs."""

    finite: dict[str, tuple[VerbClass, str, VerbTense, bool]]
    participles: frozenset[str]
    preamble_adjectives: tuple[str, ...]
    modals: tuple[str, ...]
    finite_pattern: re.Pattern[str]
    participle_pattern: re.Pattern[str]

    def verb_at(self, text: str, pos: int = 0) -> VerbMatch | None:
        """The operative verb written at `pos` (any case), if one is."""
        m = self.finite_pattern.match(text, pos)
        if m is None:
            return None
        return self._match(m)

    def _match(self, m: re.Match[str]) -> VerbMatch:
        verb_class, lemma, tense, object_to = self.finite[_key(m.group(0))]
        return VerbMatch(verb_class, lemma, m.group(0), m.start(), m.end(), tense, object_to)

    def opens_preamble(self, text: str) -> bool:
        """A preamble paragraph: it opens with a participle ("Stressing", "having convened") or an adjective."""
        return self.participle_pattern.match(text) is not None


# Words in -ing that open sentences without being the participles of a preamble.
_NOT_PARTICIPLES = (
    r"(?:during|following|according|regarding|concerning|including|notwithstanding|pending|nothing|something|"
    r"anything|everything|morning|evening|spring|king|thing|building|meeting|bring|string|ring|sing|wing|"
    r"beijing|nanjing|wyoming|viking)\b"
)


def _key(form: str) -> str:
    return re.sub(r"\s+", " ", form.lower())


def _alternation(words: list[str]) -> str:
    unique = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in unique)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The shipped lexicon, compiled once per process."""
    raw: dict[str, Any] = yaml.safe_load(files("resolute.ingest.extraction").joinpath("data/verbs.yaml").read_text())
    finite: dict[str, tuple[VerbClass, str, VerbTense, bool]] = {}
    participles: set[str] = set()
    verb_class: VerbClass
    for verb_class in ("call", "self", "note"):
        for entry in raw[verb_class]:
            lemma = entry["lemma"]
            object_to = bool(entry.get("object_to", False))
            derived = verb_forms(lemma)
            explicit = entry.get("forms")
            forms: dict[str, VerbTense] = {derived["base"]: "base", derived["third"]: "third", derived["past"]: "past"}
            if explicit:
                third, past = explicit[0], explicit[1]
                forms = {derived["base"]: "base", third: "third", past: "past"}
                participles.update(f for f in explicit if f.endswith("ing"))
            else:
                participles.add(derived["ing"])
            for form, tense in forms.items():
                finite.setdefault(_key(form), (verb_class, lemma, tense, object_to))
    modals = tuple(raw.get("modal", ()))
    adjectives = tuple(raw.get("preamble_adjectives", ()))
    finite_pattern = re.compile(rf"(?:{_alternation(list(finite))})(?![\w-])", re.I)
    participle_pattern = re.compile(
        rf"(?:also\s+|further\s+|furthermore\s+|deeply\s+|strongly\s+|firmly\s+|once\s+again\s+)?"
        rf"(?:{_alternation([*participles, *adjectives])}|having\s+\w+|(?!{_NOT_PARTICIPLES})[a-z]+ing)(?![\w-])",
        re.I,
    )
    return Lexicon(finite, frozenset(participles), adjectives, modals, finite_pattern, participle_pattern)
