"""Admins' edits to the registry as pure functions on its document; the result is validated before it is kept."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from resolute.shared.actors import ActorRegistry, Reorganisation, ReorganisationError, with_reorganisation

Document = dict[str, Any]


class RegistryEditError(Exception):
    """An edit that cannot be applied: `status` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def validated(document: Document) -> ActorRegistry:
    """The edited document as a registry, or a 422 naming what is wrong (unknown area, dangling reference...)."""
    try:
        return ActorRegistry.model_validate(document)
    except ValidationError as exc:
        raise RegistryEditError(422, _first_error(exc)) from exc


def _first_error(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first.get("loc", ()))
    return f"{where + ': ' if where else ''}{first.get('msg')}"


def _find_country(document: Document, code: str) -> Document:
    for country in document["countries"]:
        if country["code"] == code:
            return country  # type: ignore[no-any-return]
    raise RegistryEditError(404, f"no country {code} in the registry")


def put_country(document: Document, code: str, details: Document) -> tuple[Document, str]:
    """Add a country or change its details (its ministries stay as they are)."""
    edited = {**document, "countries": [dict(c) for c in document["countries"]]}
    for country in edited["countries"]:
        if country["code"] == code:
            country.update(details)
            return edited, f"country {code} changed"
    edited["countries"].append({"code": code, **details, "ministries": []})
    return edited, f"country {code} added"


def put_ministry(document: Document, code: str, ministry_id: str, details: Document) -> tuple[Document, str]:
    """Add a ministry to a country or change it."""
    edited = {**document, "countries": [dict(c) for c in document["countries"]]}
    country = _find_country(edited, code)
    ministries = [dict(m) for m in country.get("ministries", [])]
    for ministry in ministries:
        if ministry["id"] == ministry_id:
            ministry.update(details)
            country["ministries"] = ministries
            return edited, f"ministry {code}/{ministry_id} changed"
    ministries.append({"id": ministry_id, **details})
    country["ministries"] = ministries
    return edited, f"ministry {code}/{ministry_id} added"


def remove_ministry(document: Document, code: str, ministry_id: str) -> tuple[Document, str]:
    """Remove a ministry; a country's default lead cannot go (name another one first)."""
    edited = {**document, "countries": [dict(c) for c in document["countries"]]}
    country = _find_country(edited, code)
    if not any(m["id"] == ministry_id for m in country.get("ministries", [])):
        raise RegistryEditError(404, f"no ministry {code}/{ministry_id} in the registry")
    if country.get("default_lead") == ministry_id:
        raise RegistryEditError(409, f"{code}/{ministry_id} is the country's default lead; name another one first")
    country["ministries"] = [m for m in country["ministries"] if m["id"] != ministry_id]
    return edited, f"ministry {code}/{ministry_id} removed"


def _put_keyed(document: Document, section: str, ident: str, details: Document, label: str) -> tuple[Document, str]:
    items = [dict(i) for i in document.get(section, [])]
    for item in items:
        if item["id"] == ident:
            item.update(details)
            return {**document, section: items}, f"{label} {ident} changed"
    items.append({"id": ident, **details})
    return {**document, section: items}, f"{label} {ident} added"


def put_body(document: Document, body_id: str, details: Document) -> tuple[Document, str]:
    return _put_keyed(document, "bodies", body_id, details, "body")


def put_series(document: Document, series_id: str, details: Document) -> tuple[Document, str]:
    return _put_keyed(document, "series", series_id, details, "series")


def add_reorganisation(document: Document, code: str, reorganisation: Reorganisation) -> tuple[Document, str]:
    """A government reorganisation after the country's last one: its ministries become the reorganised ones
    (earlier organisations are read back by undoing it). A 404 for an unknown country, a 409 for one that does
    not come after the last, a 422 for one that does not fit the organisation it changes."""
    registry = validated(document)
    country = registry.country(code)
    if country is None:
        raise RegistryEditError(404, f"no country {code} in the registry")
    if country.reorganisations and country.reorganisations[-1].effective >= reorganisation.effective:
        last = country.reorganisations[-1].effective
        raise RegistryEditError(409, f"{code} was last reorganised on {last}: a new reorganisation must come after")
    try:
        changed = with_reorganisation(registry, code, reorganisation)
    except ReorganisationError as exc:
        raise RegistryEditError(422, str(exc)) from exc
    except ValidationError as exc:
        raise RegistryEditError(422, _first_error(exc)) from exc
    change = f"country {code} reorganised on {reorganisation.effective}: {reorganisation.title}"
    return changed.model_dump(mode="json"), change
