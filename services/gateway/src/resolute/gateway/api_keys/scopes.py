"""What each scope may do: admin everything, editor uploads and verifies, reader reads, a ministry its own."""

from __future__ import annotations

import re
from dataclasses import dataclass

SCOPE_PATTERN = re.compile(r"^(admin|editor|reader|ministry:[A-Z]{2}:[a-z][a-z0-9-]*)$")


class InvalidScope(ValueError):
    pass


def validate_scope(scope: str) -> str:
    if not SCOPE_PATTERN.match(scope):
        raise InvalidScope(
            f"{scope!r} is not a scope; use admin, editor, reader or ministry:<CC>:<ministry>, e.g. ministry:EE:defence"
        )
    return scope


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
