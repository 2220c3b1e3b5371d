"""HTTP routes for deadlines: upcoming (or overdue) dates per assignment, for portals and calendar feeds."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from resolute.shared.api.deadlines import DeadlinePage, DeadlineQuery
from resolute.shared.api.routes import route
from resolute.shared.web.dependencies import SessionDep
from resolute.shared.web.problems import PROBLEM_RESPONSES
from resolute.shared.web.routing import serve
from resolute.tracker.deadlines.queries import deadline_page
from resolute.tracker.parameters import ContextDep

router = APIRouter(tags=["deadlines"], responses=PROBLEM_RESPONSES)


@serve(router, route("list_deadlines"))
async def list_deadlines(
    query: Annotated[DeadlineQuery, Query()], session: SessionDep, ctx: ContextDep
) -> DeadlinePage:
    return await deadline_page(session, query, ctx.clock.now().date())
