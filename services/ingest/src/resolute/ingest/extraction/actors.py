"""Find registry actors (countries, groups of countries, bodies) named in text.

Addressee clauses ("calls on the parliaments and governments of the Republic of
Estonia, ... as well as the Baltic Council of Ministers") are parsed against the
registry rather than hard-coded, so other addressees work the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TypeVar

from resolute.shared.actors import ActorRegistry

ActorKind = Literal["country", "group", "body", "adjective", "group-adjective"]


@dataclass(frozen=True, slots=True)
class ActorMention:
    """A registry actor named at [start, end) of the searched text."""

    kind: ActorKind
    id: str
    start: int
    end: int


@dataclass(frozen=True)
class ActorMatcher:
    """Compiled name patterns of one registry."""

    registry: ActorRegistry
    names: dict[str, tuple[ActorKind, str]]
    pattern_ci: re.Pattern[str]
    pattern_cs: re.Pattern[str] | None

    def find(self, text: str, *, adjectives: bool = False) -> list[ActorMention]:
        """Non-overlapping mentions, longest name first at each position, left to right."""
        found: list[ActorMention] = []
        for pattern in (self.pattern_ci, self.pattern_cs):
            if pattern is None:
                continue
            for m in pattern.finditer(text):
                key = m.group(0) if pattern is self.pattern_cs else _ci(m.group(0))
                kind, actor_id = self.names[key]
                if kind in ("adjective", "group-adjective") and not adjectives:
                    continue
                found.append(ActorMention(kind, actor_id, m.start(), m.end()))
        found.sort(key=lambda a: (a.start, -(a.end - a.start)))
        result: list[ActorMention] = []
        for a in found:
            if result and a.start < result[-1].end:
                continue
            result.append(a)
        return result

    def countries_in(self, text: str, *, adjectives: bool = True) -> list[str]:
        """Country codes named (or referred to by adjective) in text, in order."""
        codes: list[str] = []
        for a in self.find(text, adjectives=adjectives):
            if a.kind in ("country", "adjective"):
                members: tuple[str, ...] = (a.id,)
            elif a.kind in ("group", "group-adjective"):
                group = self.registry.group(a.id)
                members = group.members if group else ()
            else:
                continue
            codes.extend(code for code in members if code not in codes)
        return codes

    def body_named(self, text: str) -> str | None:
        """The registry name of the first body named in text."""
        for a in self.find(text):
            if a.kind == "body":
                body = self.registry.body(a.id)
                if body is not None:
                    return body.name
        return None


def _ci(name: str) -> str:
    return "ci:" + name.lower()


def _is_acronym(name: str) -> bool:
    return len(name) <= 4 and name.replace(".", "").isupper()


T = TypeVar("T")


def per_registry(build: Callable[[ActorRegistry], T]) -> Callable[[ActorRegistry], T]:
    """Cache what `build` derives from a registry, keyed by the registry object itself.

    Registries are frozen but large: hashing one per call (as lru_cache would) costs
    more than the work saved, so the cache goes by identity.
    """
    cache: dict[int, tuple[ActorRegistry, T]] = {}

    def cached(registry: ActorRegistry) -> T:
        hit = cache.get(id(registry))
        if hit is not None and hit[0] is registry:
            return hit[1]
        value = build(registry)
        if len(cache) > 16:
            cache.clear()
        cache[id(registry)] = (registry, value)
        return value

    return cached


@per_registry
def actor_matcher(registry: ActorRegistry) -> ActorMatcher:
    """The matcher for a registry, compiled once per registry object."""
    return _compile(registry)


def _compile(registry: ActorRegistry) -> ActorMatcher:
    names: dict[str, tuple[ActorKind, str]] = {}
    ci: list[str] = []
    cs: list[str] = []

    def add(name: str, kind: ActorKind, actor_id: str) -> None:
        if not name:
            return
        if _is_acronym(name):
            names.setdefault(name, (kind, actor_id))
            cs.append(name)
        else:
            names.setdefault(_ci(name), (kind, actor_id))
            ci.append(name)

    for country in registry.countries:
        for name in (country.name, country.official_name, *country.aliases):
            if name:
                add(name, "country", country.code)
                if name.startswith("The "):
                    add(name[4:], "country", country.code)
        for adjective in country.adjectives:
            add(adjective, "adjective", country.code)
    for group in registry.groups:
        for name in (group.name, *group.aliases):
            add(name, "group", group.id)
        for adjective in group.adjectives:
            add(adjective, "group-adjective", group.id)
    for body in registry.bodies:
        for name in (body.name, *body.aliases):
            add(name, "body", body.id)

    def alternation(items: list[str]) -> str:
        unique = sorted(set(items), key=lambda s: (-len(s), s))
        return "|".join(re.escape(s) for s in unique)

    pattern_ci = re.compile(rf"(?<![\w-])(?:{alternation(ci)})(?![\w-])", re.I)
    pattern_cs = re.compile(rf"(?<![\w-])(?:{alternation(cs)})(?![\w-])") if cs else None
    return ActorMatcher(registry, names, pattern_ci, pattern_cs)
