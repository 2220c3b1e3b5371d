"""Recording commitments from ingest and fanning them out into assignments, idempotently."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from resolute.shared.events.catalogue import CommitmentAssignedV1, CommitmentExtractedV1
from resolute.shared.messaging import Outbox
from resolute.tracker.commitments.models import Assignment, Commitment

ASSIGNMENT_NAMESPACE = uuid.UUID("6f1d2a0e-3c55-4c1b-9f57-52a1c8a0b7e4")


def assignment_id(commitment_id: str, country: str | None, ministry: str | None, body: str | None) -> str:
    return str(uuid.uuid5(ASSIGNMENT_NAMESPACE, f"{commitment_id}|{country or ''}|{ministry or ''}|{body or ''}"))


def plan_assignments(event: CommitmentExtractedV1) -> list[tuple[str | None, str | None, str | None, str]]:
    """(country, ministry, body, role) for each party answerable: one lead ministry per country, one per body."""
    leads: dict[str, str] = {}
    for ref in event.ministries:
        leads.setdefault(ref.country, ref.ministry)
    plan: list[tuple[str | None, str | None, str | None, str]] = [
        (country, leads.get(country), None, "lead") for country in event.countries
    ]
    plan += [(None, None, body, "body") for body in event.bodies]
    return plan


async def record_extracted_commitment(
    session: AsyncSession, outbox: Outbox, event: CommitmentExtractedV1, *, published_at: datetime, now: datetime
) -> Commitment:
    """Keep the commitment and add its missing assignments; `published_at` orders lists (one per document)."""
    commitment = await session.get(Commitment, event.commitment_id)
    if commitment is None:
        commitment = Commitment(
            id=event.commitment_id,
            document_id=event.document_id,
            document_title=event.document_title,
            document_kind=event.document_kind,
            document_number=event.document_number,
            issuing_body=event.issuing_body,
            position=event.position,
            label=event.label,
            section=event.section,
            text=event.text,
            countries=event.countries,
            bodies=event.bodies,
            ministries=[m.model_dump() for m in event.ministries],
            policy_area=event.policy_area,
            deadline=event.deadline.model_dump(mode="json") if event.deadline else None,
            published_at=published_at,
            created_at=now,
        )
        session.add(commitment)
    for country, ministry, body, role in plan_assignments(event):
        ident = assignment_id(event.commitment_id, country, ministry, body)
        if await session.get(Assignment, ident) is not None:
            continue
        session.add(
            Assignment(
                id=ident,
                commitment_id=event.commitment_id,
                country=country,
                ministry=ministry,
                body=body,
                role=role,
                status="not_reported",
                created_at=now,
                updated_at=now,
            )
        )
        await outbox.add(
            session,
            CommitmentAssignedV1(
                assignment_id=ident,
                commitment_id=event.commitment_id,
                document_id=event.document_id,
                document_title=event.document_title,
                country=country,
                ministry=ministry,
                body=body,
                role=role,  # type: ignore[arg-type]
                text=event.text,
                policy_area=event.policy_area,
            ),
            key=ident,
            event_id=f"assigned:{ident}",
            time=now,
        )
    await session.flush()
    return commitment
