"""FastAPI dependencies every service's routers use."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from resolute.shared.web.state import ServiceState, state_of


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """A session from the service's runtime; routes open their own transaction when they write.

    GET and HEAD get a read-only session, so on SQLite a burst of reads never queues behind the writers.
    """
    runtime = state_of(request, ServiceState).runtime
    maker = runtime.read_sessionmaker if request.method in ("GET", "HEAD") else runtime.sessionmaker
    async with maker() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session)]
