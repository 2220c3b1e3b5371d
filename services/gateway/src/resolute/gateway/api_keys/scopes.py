"""What each scope may do: admin everything, editor uploads and verifies, reader reads, a ministry its own."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from resolute.shared.actors import Country

#: matched whole (`fullmatch`: a trailing newline is not a scope); a ministry scope must also name a ministry of
#: the registry (`unknown_ministry`)
SCOPE_PATTERN = re.compile(r"admin|editor|reader|ministry:[A-Z]{2}:[a-z][a-z0-9-]*")


class InvalidScope(ValueError):
    pass


def validate_scope(scope: str) -> str:
    if not SCOPE_PATTERN.fullmatch(scope):
        raise InvalidScope(
            f"{scope!r} is not a scope; use admin, editor, reader or ministry:<CC>:<ministry>, e.g. ministry:EE:defence"
        )
    return scope


def unknown_ministry(scope: str, countries: Sequence[Country]) -> str | None:
    """Why a ministry scope names nothing in the registry (no such country, or no such ministry of it)."""
    if not scope.startswith("ministry:"):
        return None
    _, code, ministry = scope.split(":", 2)
    country = next((c for c in countries if c.code == code), None)
    if country is None:
        return f"{scope!r} names no country of the registry: `GET /v1/actors` lists them"
    if all(m.id != ministry for m in country.ministries):
        known = ", ".join(m.id for m in country.ministries)
        return f"{scope!r}: {code} has no ministry {ministry!r} in the registry (it has {known})"
    return None


@dataclass(frozen=True)
class Principal:
    key_id: str
    scope: str
    name: str | None = None

    @property
    def role(self) -> str:
        return self.scope.split(":", 1)[0]

    @property
    def ministry(self) -> tuple[str, str] | None:
        if self.role != "ministry":
            return None
        _, country, ministry = self.scope.split(":", 2)
        return country, ministry

    def has_role(self, *roles: str) -> bool:
        return self.role == "admin" or self.role in roles

    @property
    def owner(self) -> str:
        """Who owns what this principal creates: a ministry owns across its keys; other keys own alone."""
        return self.scope if self.role == "ministry" else f"key:{self.key_id}"
