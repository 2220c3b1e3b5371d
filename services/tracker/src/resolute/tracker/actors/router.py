"""HTTP routes for the actor registry: read it (now or as of a date), and admins' edits (government
reorganisations among them), each a new revision."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from resolute.shared.actors import Reorganisation
from resolute.shared.api.actors import (
    ActorsQuery,
    BodyIn,
    CountryIn,
    MinistryIn,
    RegistryOut,
    RevisionList,
    RevisionOut,
    SeriesIn,
)
from resolute.shared.api.paths import CountryCodePath, SlugPath
from resolute.shared.api.reassignments import ReorganisationRecorded
from resolute.shared.api.routes import route
from resolute.shared.web.dependencies import SessionDep
from resolute.shared.web.identity import caller_from
from resolute.shared.web.problems import PROBLEM_RESPONSES, ProblemError
from resolute.shared.web.routing import serve
from resolute.tracker import registry_changes
from resolute.tracker.access import require_role
from resolute.tracker.actors import edits
from resolute.tracker.actors.edits import Document, RegistryEditError
from resolute.tracker.actors.models import RegistryRevision
from resolute.tracker.actors.service import RegistrySnapshot
from resolute.tracker.assignments.queries import ministry_in_use
from resolute.tracker.context import TrackerContext
from resolute.tracker.parameters import ContextDep, parse_as_of

router = APIRouter(tags=["actors"], responses=PROBLEM_RESPONSES)


def _registry_out(snapshot: RegistrySnapshot, countries: list[str] | None = None) -> RegistryOut:
    registry = snapshot.registry
    wanted = {c.upper() for c in countries} if countries else None
    return RegistryOut(
        revision=snapshot.revision,
        changed_at=snapshot.changed_at,
        policy_areas=list(registry.policy_areas),
        groups=list(registry.groups),
        countries=[c for c in registry.countries if wanted is None or c.code in wanted],
        bodies=list(registry.bodies),
        series=list(registry.series),
    )


@serve(router, route("get_actors"))
async def get_actors(query: Annotated[ActorsQuery, Query()], session: SessionDep, ctx: ContextDep) -> RegistryOut:
    as_of = parse_as_of(query.as_of)
    snapshot = await ctx.directory.as_of(session, as_of) if as_of else await ctx.directory.current(session)
    if snapshot is None:
        raise ProblemError(404, "the registry did not exist yet at that time", kind="not-found")
    return _registry_out(snapshot, query.country)


@serve(router, route("list_revisions"))
async def list_revisions(session: SessionDep) -> RevisionList:
    rows = (await session.scalars(select(RegistryRevision).order_by(RegistryRevision.revision.desc()))).all()
    return RevisionList(
        items=[
            RevisionOut(revision=r.revision, source=r.source, change=r.change, actor=r.actor, created_at=r.created_at)
            for r in rows
        ]
    )


def _edit_problem(exc: RegistryEditError | IntegrityError) -> ProblemError:
    if isinstance(exc, IntegrityError):
        return ProblemError(409, "the registry changed at the same moment; send the edit again", kind="conflict")
    kind = {404: "not-found", 409: "conflict"}.get(exc.status, "validation")
    return ProblemError(exc.status, exc.message, kind=kind)


async def _edit(
    request: Request, session: AsyncSession, ctx: TrackerContext, edit: Callable[[Document], tuple[Document, str]]
) -> RegistryOut:
    caller = caller_from(request)
    require_role(caller)
    try:
        async with session.begin():
            snapshot = await registry_changes.edit_registry(session, ctx, edit, caller, ctx.clock.now())
    except (RegistryEditError, IntegrityError) as exc:
        raise _edit_problem(exc) from exc
    return _registry_out(snapshot)


@serve(router, route("put_country"))
async def put_country(
    code: CountryCodePath, body: CountryIn, request: Request, session: SessionDep, ctx: ContextDep
) -> RegistryOut:
    return await _edit(request, session, ctx, lambda doc: edits.put_country(doc, code, body.model_dump()))


@serve(router, route("put_ministry"))
async def put_ministry(
    code: CountryCodePath, ministry: SlugPath, body: MinistryIn, request: Request, session: SessionDep, ctx: ContextDep
) -> RegistryOut:
    return await _edit(request, session, ctx, lambda doc: edits.put_ministry(doc, code, ministry, body.model_dump()))


@serve(router, route("delete_ministry"))
async def delete_ministry(
    code: CountryCodePath, ministry: SlugPath, request: Request, session: SessionDep, ctx: ContextDep
) -> RegistryOut:
    require_role(caller_from(request))
    in_use = await ministry_in_use(session, code, ministry)
    await session.rollback()
    if in_use:
        raise ProblemError(409, f"open assignments name {code}/{ministry}; reassign them first", kind="conflict")
    return await _edit(request, session, ctx, lambda doc: edits.remove_ministry(doc, code, ministry))


@serve(router, route("put_body"))
async def put_body(
    body_id: SlugPath, body: BodyIn, request: Request, session: SessionDep, ctx: ContextDep
) -> RegistryOut:
    return await _edit(request, session, ctx, lambda doc: edits.put_body(doc, body_id, body.model_dump()))


@serve(router, route("put_series"))
async def put_series(
    series_id: SlugPath, body: SeriesIn, request: Request, session: SessionDep, ctx: ContextDep
) -> RegistryOut:
    return await _edit(request, session, ctx, lambda doc: edits.put_series(doc, series_id, body.model_dump()))


@serve(router, route("record_reorganisation"))
async def record_reorganisation(
    code: CountryCodePath, body: Reorganisation, request: Request, session: SessionDep, ctx: ContextDep
) -> ReorganisationRecorded:
    caller = caller_from(request)
    require_role(caller)
    try:
        async with session.begin():
            return await registry_changes.record_reorganisation(session, ctx, code, body, caller, ctx.clock.now())
    except (RegistryEditError, IntegrityError) as exc:
        raise _edit_problem(exc) from exc
