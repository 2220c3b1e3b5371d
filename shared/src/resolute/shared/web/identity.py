"""Who is calling, as the gateway tells the services behind it (they are reachable only from the gateway)."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from resolute.shared.web.problems import ProblemError

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


ROLES = ("admin", "editor", "reader", "ministry")


def role_of(caller: Caller) -> str | None:
    """admin, editor, reader or ministry; None when no scope came with the request."""
    if not caller.scope:
        return None
    role = caller.scope.split(":", 1)[0]
    return role if role in ROLES else None


def require_role(caller: Caller, *roles: str) -> str:
    """The caller's role, if it is admin or one of `roles`; a 403 problem otherwise. The gateway checks roles
    first; a service checks them again, since its rules are the last word."""
    role = role_of(caller)
    if role == "admin" or (role is not None and role in roles):
        return role
    allowed = ["admin", *roles]
    raise ProblemError(
        403, f"this needs one of the roles {allowed}; the caller has '{caller.scope or 'none'}'", kind="forbidden"
    )
