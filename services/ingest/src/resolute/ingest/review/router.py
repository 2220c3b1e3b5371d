"""HTTP routes for review and correction, each bound to its entry of the public route table
(`resolute.shared.api.routes.REVIEW_ROUTES`). Who may act is checked again here (editors and admins)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from resolute.ingest.review import service
from resolute.ingest.state import IngestState
from resolute.shared.api.documents import DocumentOut, DocumentPage
from resolute.shared.api.paths import CommitmentIdPath, DocumentIdPath, SlugPath
from resolute.shared.api.review import (
    CommitmentAddIn,
    CommitmentRevisionIn,
    CorrectionOut,
    CorrectionPage,
    CorrectionQuery,
    DocumentFactsIn,
    MergeIn,
    ProposalOut,
    ProposalQuery,
    PublicationPolicyIn,
    PublicationPolicyList,
    PublicationPolicyOut,
    PublishIn,
    ReviewQueueQuery,
    ReviewStartIn,
    SplitIn,
    WithdrawalIn,
)
from resolute.shared.api.routes import route
from resolute.shared.runtime import ServiceRuntime
from resolute.shared.web.dependencies import SessionDep
from resolute.shared.web.identity import caller_from, require_role
from resolute.shared.web.problems import PROBLEM_RESPONSES
from resolute.shared.web.routing import serve
from resolute.shared.web.state import state_of

router = APIRouter(tags=["review"], responses=PROBLEM_RESPONSES)


def _runtime(request: Request) -> ServiceRuntime:
    return state_of(request, IngestState).runtime


@serve(router, route("review_queue"))
async def review_queue(
    query: Annotated[ReviewQueueQuery, Query()], request: Request, session: SessionDep
) -> DocumentPage:
    require_role(caller_from(request), "editor")
    return await service.review_queue(session, query)


@serve(router, route("start_review"))
async def start_review(document_id: DocumentIdPath, body: ReviewStartIn, request: Request) -> DocumentOut:
    runtime = _runtime(request)
    async with runtime.sessionmaker() as session, session.begin():
        return await service.start_review(session, document_id, caller_from(request), runtime.clock.now())


@serve(router, route("publish_document"))
async def publish_document(document_id: DocumentIdPath, body: PublishIn, request: Request) -> DocumentOut:
    runtime = _runtime(request)
    async with runtime.sessionmaker() as session, session.begin():
        return await service.publish(session, runtime.outbox, document_id, caller_from(request), runtime.clock.now())


@serve(router, route("propose_commitment"))
async def propose_commitment(
    document_id: DocumentIdPath, query: Annotated[ProposalQuery, Query()], request: Request, session: SessionDep
) -> ProposalOut:
    return await service.propose(session, document_id, (query.start, query.end), caller_from(request))


@serve(router, route("add_commitment"))
async def add_commitment(document_id: DocumentIdPath, body: CommitmentAddIn, request: Request) -> CorrectionOut:
    runtime = _runtime(request)
    async with runtime.sessionmaker() as session, session.begin():
        return await service.add(session, runtime.outbox, document_id, body, caller_from(request), runtime.clock.now())


@serve(router, route("revise_commitment"))
async def revise_commitment(
    document_id: DocumentIdPath, commitment_id: CommitmentIdPath, body: CommitmentRevisionIn, request: Request
) -> CorrectionOut:
    runtime = _runtime(request)
    async with runtime.sessionmaker() as session, session.begin():
        return await service.revise(
            session, runtime.outbox, document_id, commitment_id, body, caller_from(request), runtime.clock.now()
        )


@serve(router, route("withdraw_commitment"))
async def withdraw_commitment(
    document_id: DocumentIdPath, commitment_id: CommitmentIdPath, body: WithdrawalIn, request: Request
) -> CorrectionOut:
    runtime = _runtime(request)
    async with runtime.sessionmaker() as session, session.begin():
        return await service.withdraw(
            session, runtime.outbox, document_id, commitment_id, body, caller_from(request), runtime.clock.now()
        )


@serve(router, route("split_commitment"))
async def split_commitment(
    document_id: DocumentIdPath, commitment_id: CommitmentIdPath, body: SplitIn, request: Request
) -> CorrectionOut:
    runtime = _runtime(request)
    async with runtime.sessionmaker() as session, session.begin():
        return await service.split(
            session, runtime.outbox, document_id, commitment_id, body, caller_from(request), runtime.clock.now()
        )


@serve(router, route("merge_commitments"))
async def merge_commitments(document_id: DocumentIdPath, body: MergeIn, request: Request) -> CorrectionOut:
    runtime = _runtime(request)
    async with runtime.sessionmaker() as session, session.begin():
        return await service.merge(
            session, runtime.outbox, document_id, body, caller_from(request), runtime.clock.now()
        )


@serve(router, route("correct_document_facts"))
async def correct_document_facts(document_id: DocumentIdPath, body: DocumentFactsIn, request: Request) -> CorrectionOut:
    runtime = _runtime(request)
    async with runtime.sessionmaker() as session, session.begin():
        return await service.correct_facts(
            session, runtime.outbox, document_id, body, caller_from(request), runtime.clock.now()
        )


@serve(router, route("document_corrections"))
async def document_corrections(
    document_id: DocumentIdPath, query: Annotated[CorrectionQuery, Query()], session: SessionDep
) -> CorrectionPage:
    return await service.document_corrections(session, document_id, query)


@serve(router, route("commitment_corrections"))
async def commitment_corrections(
    commitment_id: CommitmentIdPath, query: Annotated[CorrectionQuery, Query()], session: SessionDep
) -> CorrectionPage:
    return await service.commitment_corrections(session, commitment_id, query)


@serve(router, route("list_publication_policies"))
async def list_publication_policies(request: Request, session: SessionDep) -> PublicationPolicyList:
    return await service.list_policies(session, caller_from(request))


@serve(router, route("set_publication_policy"))
async def set_publication_policy(
    body_id: SlugPath, body: PublicationPolicyIn, request: Request
) -> PublicationPolicyOut:
    runtime = _runtime(request)
    async with runtime.sessionmaker() as session, session.begin():
        return await service.set_policy(session, body_id, body, caller_from(request), runtime.clock.now())
