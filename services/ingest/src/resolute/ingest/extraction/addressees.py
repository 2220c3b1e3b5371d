"""Stage 3: who a clause addresses, read from the clause's object, never from every place it names.

"calls on Russia to cease its aggression in Ukraine" addresses Russia, not Ukraine: only the phrase
between the operative verb and its item (":", "to ...", "that ...") is read. Registry countries, groups
(resolved to their members on the document's date) and bodies in that phrase are the addressees;
"member governments" and "the Allies" mean the issuer's own membership; anything else the phrase names
("the Government of the Russian Federation") is kept as a named addressee outside the registry, so it is
visible to a reviewer and assigned to nobody.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from resolute.ingest.extraction.actors import ActorMatcher
from resolute.ingest.extraction.text import clean
from resolute.shared.actors import ActorRegistry

# "and, where appropriate, NATO institutions": hedged addressees owe nothing definite.
_HEDGED = re.compile(
    r",?\s*(?:and|or)?\s*,?\s*(?:where|as|if|when)\s+(?:appropriate|relevant|applicable|necessary|possible)\s*,?"
    r"\s*(?:the\s+)?[^,;:]*",
    re.I,
)
_ROLE_NOUN = r"(?:governments?|parliaments?|authorities|ministr(?:y|ies)|ministers?|institutions|leaders?|delegations?)"
_ROLES = re.compile(
    rf"\b(?P<roles>(?:(?:the|national|respective|member|allied)\s+)*{_ROLE_NOUN}"
    rf"(?:\s*,?\s*(?:and|or)\s+(?:the\s+)?{_ROLE_NOUN})*)\s+of\b",
    re.I,
)
# The issuer's own members, named without the group: "member governments", "member states", "the Allies".
_OWN_MEMBERS = re.compile(
    r"\b(?:member\s+(?:governments?|states?|countries|nations|parliaments?)|(?:the\s+|all\s+)?Allies\b|"
    r"Allied\s+(?:governments?|parliaments?|nations|countries|states)|"
    r"(?:governments?|parliaments?)\s+of\s+(?:the\s+)?member\s+(?:states|countries))",
    re.I,
)
_MEMBERS_OF = re.compile(
    r"\bmember\s+(?:states?|countries|nations|governments?|parliaments?)\s+of\s+(?:the\s+)?(?P<body>[A-Z][^,;:]{2,80})"
)
# A country named by its adjective owes something only as "the Estonian Government", never as "Estonian ports".
_ADJECTIVE_ROLE = re.compile(rf"^\s*(?:and\s+\w+\s+)?{_ROLE_NOUN}\b", re.I)
_LEADING = re.compile(r"^(?:the|all|both|each|every|its|their|our)\s+", re.I)


@dataclass(slots=True)
class Addressees:
    """Who owes a clause's items: registry countries (ISO codes) and bodies, and the named rest."""

    countries: list[str] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    named: list[str] = field(default_factory=list)
    phrase: str = ""

    def add_country(self, code: str) -> None:
        if code not in self.countries:
            self.countries.append(code)

    def add_body(self, name: str) -> None:
        if name not in self.bodies:
            self.bodies.append(name)

    @property
    def resolved(self) -> bool:
        """Whether anything was recognised: a registry actor, or at least a named outside one."""
        return bool(self.countries or self.bodies or self.named)

    @property
    def assigned(self) -> bool:
        """Whether anyone in the registry owes the items (someone gets told)."""
        return bool(self.countries or self.bodies)


@dataclass(frozen=True)
class AddresseeContext:
    """What a phrase is read against: the registry, the issuer's membership and the document's date."""

    registry: ActorRegistry
    matcher: ActorMatcher
    own_group: str | None = None
    on: date | None = None


def members_on(registry: ActorRegistry, group_id: str, on: date | None) -> tuple[str, ...]:
    """A group's members on a date (today's without one); registries without history give today's."""
    group = registry.group(group_id)
    if group is None:
        return ()
    members_at = getattr(registry, "members", None)
    if on is not None and callable(members_at):
        return tuple(members_at(group_id, on=on))
    return group.members


def read_addressees(phrase: str, ctx: AddresseeContext) -> Addressees:
    """The addressees a clause's object phrase names, in order of mention."""
    out = Addressees(phrase=clean(phrase))
    definite = _HEDGED.sub("", phrase)
    mentions = ctx.matcher.find(definite, adjectives=True)
    for mention in mentions:
        if mention.kind in ("adjective", "group-adjective") and not _ADJECTIVE_ROLE.match(definite[mention.end :]):
            continue
        if mention.kind == "country" and _owned_by_country(definite[mention.end :]):
            continue  # "Ukraine's partners" are others, not Ukraine; "Latvia's government" is Latvia
        if mention.kind in ("country", "adjective"):
            out.add_country(mention.id)
        elif mention.kind in ("group", "group-adjective"):
            _add_group(out, mention.id, ctx)
        elif mention.kind == "body":
            body = ctx.registry.body(mention.id)
            if body is not None and body.kind != "parliament":
                out.add_body(body.name)
    member_body = _MEMBERS_OF.search(definite)
    if member_body is not None:
        _members_of_body(out, member_body.group("body"), ctx)
    elif not out.countries and ctx.own_group and _OWN_MEMBERS.search(definite):
        _add_group(out, ctx.own_group, ctx)
    if not out.resolved:
        name = named_addressee(definite)
        if name:
            out.named.append(name)
    return out


_POSSESSIVE = re.compile(r"^['\u2019]s\s+(?P<owned>.*)", re.S)
_COUNTRY_ITSELF = re.compile(
    r"^(?:own\s+)?(?:(?:national|federal|new|current|respective)\s+)?(?:government|authorities|ministr|parliament|"
    r"ministers?\b|prime\s+minister|president|leadership|officials|armed\s+forces|defence\s+forces|agencies|"
    r"institutions|state\b|administration|cabinet)",
    re.I,
)


def _owned_by_country(after: str) -> bool:
    """Whether a country named in the object is only the owner of who is addressed: "Ukraine's partners"."""
    m = _POSSESSIVE.match(after)
    return m is not None and _COUNTRY_ITSELF.match(m.group("owned")) is None


def _members_of_body(out: Addressees, name: str, ctx: AddresseeContext) -> None:
    """ "the member states of the North Atlantic Treaty Organisation": the body's members, not the body."""
    named = ctx.matcher.body_named(name)
    body = next((b for b in ctx.registry.bodies if b.name == named), None)
    if body is None or body.member_group is None:
        return
    if body.name in out.bodies:
        out.bodies.remove(body.name)
    _add_group(out, body.member_group, ctx)


def _add_group(out: Addressees, group_id: str, ctx: AddresseeContext) -> None:
    if group_id not in out.groups:
        out.groups.append(group_id)
    for code in members_on(ctx.registry, group_id, ctx.on):
        out.add_country(code)


def named_addressee(phrase: str) -> str | None:
    """The phrase as a name when it names someone outside the registry ("the Russian Federation")."""
    text = clean(phrase).strip(" ,;:")
    text = _LEADING.sub("", text)
    if not any(word[:1].isupper() for word in text.split()):
        return None
    return text[:200] or None


def describe(addressees: Addressees) -> list[str]:
    """Readable addressees for the document.

    A few countries read as "parliaments and governments of EE, LV, LT" and the bodies by name; a large
    group ("member governments of the North Atlantic Alliance") or a single addressee reads as the text
    names it.
    """
    if not addressees.countries:
        return [*addressees.bodies, *addressees.named] or ([addressees.phrase] if addressees.phrase else [])
    if len(addressees.countries) == 1 or len(addressees.countries) > 5:
        return [addressees.phrase] if addressees.phrase else []
    roles = _ROLES.search(addressees.phrase)
    subject = re.sub(r"^the\s+", "", roles.group("roles"), flags=re.I) if roles else "governments"
    return [f"{subject} of {', '.join(addressees.countries)}", *addressees.bodies, *addressees.named]
