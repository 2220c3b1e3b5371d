"""Who is calling, as the gateway tells the services behind it (they are reachable only from the gateway)."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

PRINCIPAL_HEADER = "X-Resolute-Principal"
SCOPE_HEADER = "X-Resolute-Scope"


@dataclass(frozen=True)
class Caller:
    principal: str | None
    scope: str | None

    @property
    def ministry(self) -> tuple[str, str] | None:
        """(country, ministry) for a `ministry:<CC>:<ministry>` scope."""
        if self.scope and self.scope.startswith("ministry:"):
            _, country, ministry = [*self.scope.split(":", 2), "", ""][:3]
            if country and ministry:
                return country.upper(), ministry
        return None


def caller_from(request: Request) -> Caller:
    return Caller(request.headers.get(PRINCIPAL_HEADER), request.headers.get(SCOPE_HEADER))
