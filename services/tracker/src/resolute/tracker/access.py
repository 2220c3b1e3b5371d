"""Who may change what: the gateway checks roles coarsely; the tracker checks them again and owns ownership.

The role rules are the services' common ones (`resolute.shared.web.identity`)."""

from __future__ import annotations

from resolute.shared.web.identity import ROLES, require_role, role_of

__all__ = ["ROLES", "require_role", "role_of"]
