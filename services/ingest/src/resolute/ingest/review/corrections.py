"""What an editor's correction makes of a commitment: the fields given, checked against the registry and the
document's text, applied to its state, and the changes before and after. Pure rules, no I/O.

A correction the registry or the text refutes (an unknown country, ministry, body, policy area or series, a
span outside the text, a ministry of a country the commitment is not addressed to) is refused whole, with
every reason: nothing of it is applied.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from resolute.ingest.extraction.commitments import trim_span
from resolute.ingest.extraction.text import clean_item
from resolute.ingest.review.gate import issuer_id
from resolute.shared.actors import ActorRegistry, responsible_ministries
from resolute.shared.events.catalogue import FieldChange
from resolute.shared.extracted import ExtractedCommitment

#: the fields a correction may set, in the order changes are listed
CORRECTABLE = (
    "text",
    "span",
    "label",
    "section",
    "countries",
    "bodies",
    "ministries",
    "policy_area",
    "deadline",
    "addressed_to",
)


class CorrectionRefused(ValueError):
    """The correction contradicts the registry or the text: a 422 listing every reason."""

    def __init__(self, reasons: Iterable[str], kind: str = "invalid-correction") -> None:
        self.reasons = list(reasons)
        self.kind = kind
        super().__init__("; ".join(self.reasons))


def span_in_text(span: tuple[int, int], text: str) -> tuple[int, int]:
    """The span, if it lies in the text and holds more than space; refused otherwise."""
    start, end = span
    if end > len(text):
        raise CorrectionRefused(
            [f"span {[start, end]} lies outside the document's text ({len(text)} characters)"], "span-outside-text"
        )
    if not text[start:end].strip():
        raise CorrectionRefused([f"span {[start, end]} holds no text"], "empty-span")
    return start, end


def text_at(text: str, span: tuple[int, int]) -> tuple[tuple[int, int], str]:
    """The item at a span as extraction cleans it (surrounding space and the final `;` or `.` left out)."""
    start, end = trim_span(text, *span_in_text(span, text))
    return (start, end), clean_item(text[start:end]) or text[start:end].strip()


def _registry_problems(values: dict[str, Any], given: dict[str, Any], registry: ActorRegistry) -> list[str]:
    problems: list[str] = []
    countries = set(values["countries"])
    if "countries" in given:
        problems += [f"unknown country {c!r}" for c in values["countries"] if registry.country(c) is None]
    if "bodies" in given:
        problems += [f"unknown body {b!r}" for b in values["bodies"] if issuer_id(registry, b) is None]
    if "policy_area" in given and values["policy_area"] is not None and registry.area(values["policy_area"]) is None:
        problems.append(f"unknown policy area {values['policy_area']!r}")
    if "ministries" in given:
        for ref in values["ministries"]:
            country = registry.country(ref["country"])
            if country is None:
                problems.append(f"unknown country {ref['country']!r} of ministry {ref['ministry']!r}")
            elif country.ministry(ref["ministry"]) is None:
                problems.append(f"{ref['country']} has no ministry {ref['ministry']!r} in the registry")
            elif ref["country"] not in countries:
                problems.append(
                    f"ministry {ref['country']}:{ref['ministry']} is of a country the commitment is not addressed to"
                )
    deadline = values["deadline"]
    if (
        "deadline" in given
        and deadline
        and deadline.get("series")
        and registry.series_by_id(deadline["series"]) is None
    ):
        problems.append(f"unknown series {deadline['series']!r} of the deadline")
    return problems


def apply(
    before: ExtractedCommitment, given: dict[str, Any], *, text: str, registry: ActorRegistry
) -> ExtractedCommitment:
    """The commitment with the given fields set (JSON values, as `CommitmentFieldsIn.given` has them).

    A span without a text takes the text at the span; ministries not given follow the policy area in each
    addressee country when the countries or the policy area change. An editor's reading is certain: its
    confidence is 1 and nothing is left to review.
    """
    values = before.model_dump(mode="json")
    for name in CORRECTABLE:
        if name in given:
            values[name] = given[name]
    if "span" in given:
        span, item = text_at(text, tuple(given["span"]))  # type: ignore[arg-type]
        values["span"] = list(span)
        if "text" not in given:
            values["text"] = item
    values["countries"] = list(dict.fromkeys(c.upper() for c in values["countries"]))
    if "ministries" in given:
        values["ministries"] = [
            {"country": m["country"].upper(), "ministry": m["ministry"]} for m in values["ministries"]
        ]
    problems = _registry_problems(values, given, registry)
    if problems:
        raise CorrectionRefused(problems)
    if "ministries" not in given and ({"countries", "policy_area"} & set(given)):
        found = responsible_ministries(values["policy_area"], values["countries"], registry)
        values["ministries"] = [{"country": m.country, "ministry": m.ministry} for m in found]
    values["confidence"] = 1.0
    values["review"] = []
    return ExtractedCommitment.model_validate(values)


def changes(before: ExtractedCommitment | None, after: ExtractedCommitment) -> list[FieldChange]:
    """The correctable fields whose value differs, before (null for an addition) and after."""
    old = before.model_dump(mode="json") if before is not None else {}
    new = after.model_dump(mode="json")
    return [
        FieldChange(field=name, before=old.get(name), after=new[name])
        for name in CORRECTABLE
        if old.get(name) != new[name]
    ]


# --- a document's own facts ------------------------------------------------------------------------------

#: the facts of a document part a `facts` correction may set, in the order changes are listed
DOCUMENT_FACTS = ("kind", "title", "issuing_body", "number", "session", "adopted", "place", "calendar_facts")


def apply_facts(
    part: dict[str, Any], given: dict[str, Any], registry: ActorRegistry
) -> tuple[dict[str, Any], list[FieldChange]]:
    """A document part's facts with the given ones set, and what changed; refused whole when a calendar fact
    names a series the registry does not know or a numbered series without its ordinal."""
    problems = []
    for index, fact in enumerate(given.get("calendar_facts") or []):
        series = registry.series_by_id(fact["series"])
        if series is None:
            problems.append(f"calendar_facts[{index}]: unknown series {fact['series']!r} (`GET /v1/calendar/series`)")
        elif series.numbered and fact.get("ordinal") is None:
            problems.append(f"calendar_facts[{index}]: {fact['series']} is numbered: give the occurrence's ordinal")
    if problems:
        raise CorrectionRefused(problems)
    after = {**part, **given}
    changed = [
        FieldChange(field=name, before=part.get(name), after=after.get(name))
        for name in DOCUMENT_FACTS
        if name in given and part.get(name) != after.get(name)
    ]
    # which facts an editor has set, so a reader of the document sees them apart from what was read
    marked = set(part.get("corrected") or ()) | {change.field for change in changed}
    after["corrected"] = [name for name in DOCUMENT_FACTS if name in marked]
    return after, changed
