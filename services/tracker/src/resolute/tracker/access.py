"""Who may change what: the gateway checks roles coarsely; the tracker checks them again and owns ownership."""

from __future__ import annotations

from resolute.shared.web.identity import Caller
from resolute.shared.web.problems import ProblemError

ROLES = ("admin", "editor", "reader", "ministry")


def role_of(caller: Caller) -> str | None:
    """admin, editor, reader or ministry; None when no scope came with the request."""
    if not caller.scope:
        return None
    role = caller.scope.split(":", 1)[0]
    return role if role in ROLES else None


def require_role(caller: Caller, *roles: str) -> str:
    """The caller's role, if it is admin or one of `roles`; a 403 problem otherwise."""
    role = role_of(caller)
    if role == "admin" or (role is not None and role in roles):
        return role
    allowed = ["admin", *roles]
    raise ProblemError(
        403, f"this needs one of the roles {allowed}; the caller has '{caller.scope or 'none'}'", kind="forbidden"
    )
