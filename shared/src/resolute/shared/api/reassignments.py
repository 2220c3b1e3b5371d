"""Government reorganisations as the public API records them (served by tracker), and the reassignments they
propose: an abolished, merged or renamed ministry's open assignments wait for an admin to move them to its
successor."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from resolute.shared.api.commitments import CountryCode, Slug
from resolute.shared.api.lists import Filters, ListQuery, Page

ProposalStatus = Literal["proposed", "confirmed", "dismissed"]
ProposalReason = Literal["renamed", "merged", "abolished", "portfolio_moved"]


class ReorganisationRecorded(BaseModel):
    """A reorganisation kept as a new registry revision, and how many open assignments it proposes to move."""

    revision: int
    country: str
    effective: date
    title: str
    proposals: int = Field(description="open assignments proposed for reassignment to a successor")


class ReassignmentProposalOut(BaseModel):
    """An open assignment whose ministry a reorganisation ended (or whose portfolio it moved), and the ministry
    proposed to carry it on. Nothing moves until an admin confirms, from the day the reorganisation takes
    effect; the assignment's history then shows the move."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    assignment_id: str
    commitment_id: str
    country: str
    from_ministry: str
    to_ministry: str
    reason: ProposalReason
    reorganisation: str = Field(description="the reorganisation's title")
    effective: date = Field(description="the day it took (or takes) effect: confirmable from then")
    source_url: str = Field(description="the public page the reorganisation was taken from")
    registry_revision: int
    status: ProposalStatus
    created_at: datetime
    decided_at: datetime | None = None
    decided_by: str | None = None
    note: str | None = None


class ReassignmentProposalPage(Page[ReassignmentProposalOut]):
    """Proposals, oldest first."""


class ProposalFilters(Filters):
    """Which proposals: by status (default: every one), country, ministry (moved from or to), assignment."""

    status: ProposalStatus | None = None
    country: CountryCode | None = None
    ministry: Slug | None = Field(default=None, description="the ministry the assignment moves from or to")
    assignment_id: str | None = Field(default=None, max_length=100)


class ProposalQuery(ProposalFilters, ListQuery):
    """`GET /v1/reassignments`: proposals, oldest first."""


class ProposalDecisionIn(BaseModel):
    """Admin: confirm or dismiss a proposal, optionally saying why."""

    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(default=None, max_length=4000)
