"""Load the actor registry from YAML, so the shipped seed and admin exports share one validated path.

The shipped registry is `registry.yaml` (today's countries, ministries, groups, bodies and series) and the
files of `history/` beside it (dated occurrences of each series, group memberships over time, government
reorganisations), each history row with its source. They are merged into one document and validated together:
a history row that names an unknown series, group, country, ministry or policy area is refused with the rest.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from resolute.shared.actors.models import ActorRegistry

REGISTRY_RESOURCE = "registry.yaml"
HISTORY_DIRECTORY = "history"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~6x faster; safe either way


def _mapping(document: str | bytes, what: str) -> dict[str, Any]:
    raw: Any = yaml.load(document, Loader=_LOADER)
    if not isinstance(raw, dict):
        raise ValueError(f"{what}: the YAML document must be a mapping")
    return raw


def _entities(raw: dict[str, Any], section: str, key: str) -> dict[str, dict[str, Any]]:
    entries = raw.get(section) or []
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ValueError(f"actor registry: {section} must be a list of mappings")
    return {str(e.get(key)): e for e in entries}


def merge_history(raw: dict[str, Any], history: dict[str, Any], what: str = "history") -> None:
    """Attach one history document's rows to the registry document's entities, in place.

    `series: {id: {cadence_source, occurrences}}`, `groups: {id: {formed, source, memberships}}` and
    `countries: {code: {reorganisations}}`: each names an entity the registry defines. A `sources` section
    only holds YAML anchors that rows refer to, and is not kept."""
    sections = {"series": ("series", "id"), "groups": ("groups", "id"), "countries": ("countries", "code")}
    unknown_sections = sorted(set(history) - set(sections) - {"sources"})  # `sources`: YAML anchors only
    if unknown_sections:
        raise ValueError(f"{what}: unknown sections {unknown_sections}")
    for name, (section, key) in sections.items():
        rows = history.get(name) or {}
        if not isinstance(rows, dict):
            raise ValueError(f"{what}: {name} must map ids to their history")
        targets = _entities(raw, section, key)
        for ident, extra in rows.items():
            target = targets.get(str(ident))
            if target is None:
                raise ValueError(f"{what}: {name} names {ident!r}, which the registry does not define")
            if not isinstance(extra, dict):
                raise ValueError(f"{what}: the history of {ident!r} must be a mapping")
            clashes = sorted(k for k in extra if k in target)
            if clashes:
                raise ValueError(f"{what}: {ident!r} already has {clashes} in the registry")
            target.update(extra)


def parse_registry(document: str | bytes, history: Iterable[str | bytes] = ()) -> ActorRegistry:
    """Validate a registry given as YAML text, with any history documents merged into it first."""
    raw = _mapping(document, "actor registry")
    for i, text in enumerate(history):
        merge_history(raw, _mapping(text, f"history document {i + 1}"), f"history document {i + 1}")
    return ActorRegistry.model_validate(raw)


def load_registry(path: Path | str | None = None) -> ActorRegistry:
    """Read and validate a registry file; without a path, the seed shipped with this package. The files of a
    `history/` directory beside the registry file are part of it."""
    if path is None:
        return default_registry()
    registry_file = Path(path)
    directory = registry_file.parent / HISTORY_DIRECTORY
    history = [p.read_bytes() for p in sorted(directory.glob("*.yaml"))] if directory.is_dir() else []
    return parse_registry(registry_file.read_bytes(), history)


def load_shipped_registry() -> ActorRegistry:
    """Parse and validate the shipped registry and its history afresh (`default_registry` caches this)."""
    package = files("resolute.shared.actors")
    history_dir = package.joinpath(HISTORY_DIRECTORY)
    history = sorted((p for p in history_dir.iterdir() if p.name.endswith(".yaml")), key=lambda p: p.name)
    return parse_registry(package.joinpath(REGISTRY_RESOURCE).read_bytes(), [p.read_bytes() for p in history])


@lru_cache(maxsize=1)
def default_registry() -> ActorRegistry:
    """The registry shipped with the package, parsed once per process."""
    return load_shipped_registry()
