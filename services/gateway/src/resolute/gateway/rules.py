"""Rules the gateway checks before forwarding that depend on the resource, not only on the caller's role:
refused here (403), unsent. The service checks them again; its rules are the last word."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Request

from resolute.gateway.api_keys.scopes import Principal
from resolute.gateway.state import gateway_state
from resolute.gateway.upstreams.client import fetch_json, upstream_path
from resolute.shared.api.commitments import StatusReportIn
from resolute.shared.web.problems import ProblemError

#: (request, caller, the route's arguments: path parameters, `query`, `body`) -> raise a problem or return
BeforeForwarding = Callable[[Request, Principal, dict[str, Any]], Awaitable[None]]


async def ministry_reports_on_its_own(request: Request, principal: Principal, arguments: dict[str, Any]) -> None:
    """A ministry key reports claims on its own country's and ministry's assignments only."""
    if principal.ministry is None:
        return
    body: StatusReportIn = arguments["body"]
    if body.kind not in (None, "claim"):
        raise ProblemError(403, "a ministry reports claims; verifying and disputing are for editors", kind="forbidden")
    tracker = gateway_state(request).upstreams["tracker"]
    path = upstream_path("/assignments/{id}", id=arguments["assignment_id"])
    assignment = await fetch_json(request, tracker, path, principal)
    if (assignment.get("country"), assignment.get("ministry")) != principal.ministry:
        raise ProblemError(
            403, "a ministry key may report only on its own country's and ministry's assignments", kind="forbidden"
        )


#: by route name (`resolute.shared.api.routes`)
BEFORE_FORWARDING: dict[str, BeforeForwarding] = {"report_status": ministry_reports_on_its_own}
