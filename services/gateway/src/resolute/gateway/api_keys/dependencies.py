"""The auth dependencies under the name the first routers imported them by (they live in `resolute.gateway.auth`)."""

from __future__ import annotations

from resolute.gateway.auth.dependencies import FeedReaderDep, PrincipalDep, current_principal, require_role

__all__ = ["FeedReaderDep", "PrincipalDep", "current_principal", "require_role"]
