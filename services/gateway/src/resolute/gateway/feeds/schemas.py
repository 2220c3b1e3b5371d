"""A deadline feed's query: which deadlines, plus the credentials a calendar client puts in the URL."""

from __future__ import annotations

from datetime import date

from pydantic import ConfigDict, Field, model_validator

from resolute.gateway.public_routes import FeedQuery
from resolute.shared.api.commitments import Id, Slug


class DeadlineFeedQuery(FeedQuery):
    """Without `from`, the feed holds the past year's deadlines, every one still overdue, and all to come."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: date | None = Field(default=None, alias="from", description="only deadlines on or after this date")
    to: date | None = Field(default=None, description="only deadlines on or before this date")
    projected: bool | None = Field(default=None, description="true: only projected dates; false: only firm ones")
    include_closed: bool = Field(
        default=False, description="also completed, not implemented and superseded ones (as cancelled events)"
    )
    document_id: Id | None = None
    series: Slug | None = Field(default=None, description="only deadlines set by this calendar series")

    @model_validator(mode="after")
    def _ordered(self) -> DeadlineFeedQuery:
        if self.from_ and self.to and self.from_ > self.to:
            raise ValueError("'from' is later than 'to'")
        return self
