"""HTTP routes for the actor registry: read it (now or as of a date), and admins' edits, each a new revision."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from resolute.shared.web.dependencies import SessionDep
from resolute.shared.web.identity import caller_from
from resolute.shared.web.problems import PROBLEM_RESPONSES, ProblemError
from resolute.tracker.access import require_role
from resolute.tracker.actors import edits
from resolute.tracker.actors.edits import Document, RegistryEditError
from resolute.tracker.actors.models import RegistryRevision
from resolute.tracker.actors.schemas import (
    BodyIn,
    CountryIn,
    MinistryIn,
    RegistryOut,
    RevisionList,
    RevisionOut,
    SeriesIn,
)
from resolute.tracker.actors.service import RegistrySnapshot, edit_registry
from resolute.tracker.assignments.models import Assignment
from resolute.tracker.deadlines.service import CLOSED_STATUSES
from resolute.tracker.parameters import AsOfQuery, ContextDep

router = APIRouter(tags=["actors"], responses=PROBLEM_RESPONSES)

CountryPath = Annotated[str, Path(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2, upper case")]
SlugPath = Annotated[str, Path(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=60)]


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


@router.get("/actors", response_model=RegistryOut, summary="Countries, ministries, bodies and calendar series")
async def get_actors(
    session: SessionDep,
    ctx: ContextDep,
    as_of: AsOfQuery,
    country: Annotated[list[str] | None, Query(description="only these countries (ISO alpha-2)")] = None,
) -> RegistryOut:
    snapshot = await ctx.directory.as_of(session, as_of) if as_of else await ctx.directory.current(session)
    if snapshot is None:
        raise ProblemError(404, "the registry did not exist yet at that time", kind="not-found")
    return _registry_out(snapshot, country)


@router.get("/actors/revisions", response_model=RevisionList, summary="Every revision of the registry, newest first")
async def list_revisions(session: SessionDep) -> RevisionList:
    rows = (await session.scalars(select(RegistryRevision).order_by(RegistryRevision.revision.desc()))).all()
    return RevisionList(
        items=[
            RevisionOut(revision=r.revision, source=r.source, change=r.change, actor=r.actor, created_at=r.created_at)
            for r in rows
        ]
    )


async def _edit(
    request: Request, session: AsyncSession, ctx: ContextDep, edit: Callable[[Document], tuple[Document, str]]
) -> RegistryOut:
    caller = caller_from(request)
    require_role(caller)
    try:
        async with session.begin():
            snapshot = await edit_registry(session, ctx.directory, edit, actor=caller.principal, now=ctx.clock.now())
    except RegistryEditError as exc:
        kind = {404: "not-found", 409: "conflict"}.get(exc.status, "validation")
        raise ProblemError(exc.status, exc.message, kind=kind) from exc
    except IntegrityError as exc:
        raise ProblemError(
            409, "the registry changed at the same moment; send the edit again", kind="conflict"
        ) from exc
    return _registry_out(snapshot)


@router.put("/actors/countries/{code}", response_model=RegistryOut, summary="Admin: add a country or change it")
async def put_country(
    code: CountryPath, body: CountryIn, request: Request, session: SessionDep, ctx: ContextDep
) -> RegistryOut:
    return await _edit(request, session, ctx, lambda doc: edits.put_country(doc, code, body.model_dump()))


@router.put(
    "/actors/countries/{code}/ministries/{ministry}",
    response_model=RegistryOut,
    summary="Admin: add a ministry or change it (name, policy areas)",
)
async def put_ministry(
    code: CountryPath, ministry: SlugPath, body: MinistryIn, request: Request, session: SessionDep, ctx: ContextDep
) -> RegistryOut:
    return await _edit(request, session, ctx, lambda doc: edits.put_ministry(doc, code, ministry, body.model_dump()))


@router.delete(
    "/actors/countries/{code}/ministries/{ministry}",
    response_model=RegistryOut,
    summary="Admin: remove a ministry that no open assignment names",
)
async def delete_ministry(
    code: CountryPath, ministry: SlugPath, request: Request, session: SessionDep, ctx: ContextDep
) -> RegistryOut:
    require_role(caller_from(request))
    in_use = await session.scalar(
        select(
            exists().where(
                Assignment.country == code, Assignment.ministry == ministry, Assignment.status.not_in(CLOSED_STATUSES)
            )
        )
    )
    await session.rollback()
    if in_use:
        raise ProblemError(409, f"open assignments name {code}/{ministry}; reassign them first", kind="conflict")
    return await _edit(request, session, ctx, lambda doc: edits.remove_ministry(doc, code, ministry))


@router.put("/actors/bodies/{body_id}", response_model=RegistryOut, summary="Admin: add a body or change it")
async def put_body(
    body_id: SlugPath, body: BodyIn, request: Request, session: SessionDep, ctx: ContextDep
) -> RegistryOut:
    return await _edit(request, session, ctx, lambda doc: edits.put_body(doc, body_id, body.model_dump()))


@router.put(
    "/actors/series/{series_id}", response_model=RegistryOut, summary="Admin: add a calendar series or change it"
)
async def put_series(
    series_id: SlugPath, body: SeriesIn, request: Request, session: SessionDep, ctx: ContextDep
) -> RegistryOut:
    return await _edit(request, session, ctx, lambda doc: edits.put_series(doc, series_id, body.model_dump()))
