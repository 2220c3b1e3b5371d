"""The public API's path parameters, declared once by name: the gateway and the service serving a route take
the same type for each `{name}` in its path, so both validate and document it alike.

Ids are bounded tokens: nothing a caller puts in a path can become another route of the service behind.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_TOKEN = r"^[A-Za-z0-9_-]{1,64}$"

DocumentIdPath = Annotated[str, Path(min_length=1, max_length=100, description="the document's id")]
CommitmentIdPath = Annotated[str, Path(min_length=1, max_length=100, description="the commitment's id")]
AssignmentIdPath = Annotated[str, Path(min_length=1, max_length=100, description="the assignment's id")]
SeriesPath = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=60, description="the series' id")]
OrdinalPath = Annotated[int, Path(ge=1, le=9999, description="the occurrence's number; a year for unnumbered series")]
CountryCodePath = Annotated[str, Path(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2, upper case")]
SlugPath = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=60)]
SubscriptionIdPath = Annotated[str, Path(pattern=_TOKEN, description="the subscription's id")]
ProposalIdPath = Annotated[str, Path(min_length=1, max_length=100, description="the reassignment proposal's id")]
DeliveryIdPath = Annotated[str, Path(pattern=_TOKEN, description="the delivery's id (its webhook-id)")]

#: the type of every `{name}` the route table's paths use
PATH_PARAMETERS: dict[str, Any] = {
    "document_id": DocumentIdPath,
    "commitment_id": CommitmentIdPath,
    "assignment_id": AssignmentIdPath,
    "series": SeriesPath,
    "ordinal": OrdinalPath,
    "code": CountryCodePath,
    "ministry": SlugPath,
    "body_id": SlugPath,
    "series_id": SlugPath,
    "subscription_id": SubscriptionIdPath,
    "delivery_id": DeliveryIdPath,
    "proposal_id": ProposalIdPath,
}
