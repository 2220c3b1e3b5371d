"""Seeding the registry from the shipped YAML, reading the revision in force, and recording admins' edits."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from resolute.shared.actors import ActorRegistry
from resolute.shared.logging import get_logger
from resolute.tracker.actors.edits import Document, RegistryEditError, validated
from resolute.tracker.actors.models import RegistryRevision
from resolute.tracker.actors.seeding import merge_seed, seed_hash

log = get_logger(__name__)


@dataclass(frozen=True)
class RegistrySnapshot:
    """One revision of the registry, validated."""

    revision: int
    registry: ActorRegistry
    changed_at: datetime | None


def registry_document(registry: ActorRegistry) -> Document:
    return registry.model_dump(mode="json")


class ActorDirectory:
    """The registry in force, re-read only when a newer revision exists (admins edit it on any replica)."""

    def __init__(self, seed: ActorRegistry) -> None:
        self.seed = seed
        self._cached: RegistrySnapshot | None = None

    async def current(self, session: AsyncSession) -> RegistrySnapshot:
        latest = await session.scalar(select(func.max(RegistryRevision.revision)))
        if latest is None:
            return RegistrySnapshot(0, self.seed, None)
        cached = self._cached
        if cached is not None and cached.revision == latest:
            return cached
        row = await session.get(RegistryRevision, latest)
        assert row is not None
        snapshot = RegistrySnapshot(latest, ActorRegistry.model_validate(row.document), row.created_at)
        self._cached = snapshot
        return snapshot

    async def as_of(self, session: AsyncSession, when: datetime) -> RegistrySnapshot | None:
        """The revision that was in force at `when` (None before the registry was first seeded)."""
        row = await session.scalar(
            select(RegistryRevision)
            .where(RegistryRevision.created_at <= when)
            .order_by(RegistryRevision.revision.desc())
            .limit(1)
        )
        if row is None:
            return None
        return RegistrySnapshot(row.revision, ActorRegistry.model_validate(row.document), row.created_at)


#: what follows a merged seed, in the transaction that keeps it: (session, registry before, after, revision)
RevisionFollower = Callable[[AsyncSession, ActorRegistry, ActorRegistry, int], Awaitable[object]]


async def ensure_registry(
    sessionmaker: async_sessionmaker[AsyncSession],
    seed: ActorRegistry,
    *,
    now: datetime,
    follow: RevisionFollower | None = None,
) -> int:
    """Seed an empty registry, or merge a changed shipped seed into an edited one. Safe on every start and
    with several replicas starting at once (the revision number is the primary key). `follow` runs in the
    transaction of a merged revision, on the one replica that writes it (deadlines and assignments follow)."""
    seed_doc = registry_document(seed)
    digest = seed_hash(seed_doc)
    for _ in range(3):
        try:
            async with sessionmaker() as session, session.begin():
                latest = await session.scalar(
                    select(RegistryRevision).order_by(RegistryRevision.revision.desc()).limit(1)
                )
                if latest is None:
                    session.add(
                        _revision(1, seed_doc, seed_doc, digest, "seed", "seeded from the shipped registry", now)
                    )
                    log.info("registry_seeded", revision=1)
                    return 1
                if latest.seed_hash == digest:
                    return latest.revision
                merged = merge_seed(latest.seed_document, seed_doc, latest.document)
                try:
                    validated(merged)
                except RegistryEditError as exc:
                    log.error("registry_seed_merge_invalid", error=exc.message, revision=latest.revision)
                    return latest.revision
                revision = latest.revision + 1
                session.add(
                    _revision(revision, merged, seed_doc, digest, "seed", "shipped registry changed; merged", now)
                )
                await session.flush()  # a replica writing the same revision fails here, before following it
                if follow is not None:
                    before = ActorRegistry.model_validate(latest.document)
                    await follow(session, before, ActorRegistry.model_validate(merged), revision)
                log.info("registry_seed_merged", revision=revision)
                return revision
        except IntegrityError:
            continue  # another replica seeded at the same moment: read what it wrote
    raise RuntimeError("could not seed the actor registry")


def _revision(
    revision: int, document: Document, seed_doc: Document, digest: str, source: str, change: str, now: datetime,
    actor: str | None = None,
) -> RegistryRevision:  # fmt: skip
    return RegistryRevision(
        revision=revision,
        document=document,
        seed_document=seed_doc,
        seed_hash=digest,
        source=source,
        change=change,
        actor=actor,
        created_at=now,
    )


async def edit_registry(
    session: AsyncSession,
    directory: ActorDirectory,
    edit: Callable[[Document], tuple[Document, str]],
    *,
    actor: str | None,
    now: datetime,
) -> RegistrySnapshot:
    """Apply one admin edit as a new revision; the registry is validated whole before it is kept."""
    latest = await session.scalar(
        select(RegistryRevision).order_by(RegistryRevision.revision.desc()).limit(1).with_for_update()
    )
    if latest is None:
        raise RegistryEditError(409, "the registry has not been seeded yet; try again shortly")
    document, change = edit(latest.document)
    registry = validated(document)
    row = _revision(
        latest.revision + 1, registry_document(registry), latest.seed_document, latest.seed_hash, "admin", change,
        now, actor,
    )  # fmt: skip
    session.add(row)
    await session.flush()
    log.info("registry_edited", revision=row.revision, change=change, actor=actor)
    return RegistrySnapshot(row.revision, registry, now)


def revision_summary(row: RegistryRevision) -> dict[str, Any]:
    return {
        "revision": row.revision,
        "source": row.source,
        "change": row.change,
        "actor": row.actor,
        "created_at": row.created_at,
    }
