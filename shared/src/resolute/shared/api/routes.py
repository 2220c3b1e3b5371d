"""The public API's route table: every route the gateway serves for a service, declared once.

Each entry says which service serves the route and where (the gateway serves it at `/v1` + that path), who
may call it, its query, body and answer models, and how it is documented. The gateway makes its forwarders
from this table; each service binds its handler to its entry (`resolute.shared.web.routing.serve`), which
refuses a handler that does not take the entry's query and body models. So a new route or a new filter is
one entry or one model field, and the gateway and the service document and validate it alike.

Path parameters are typed by name (`resolute.shared.api.paths`); problems (which errors a route documents)
follow from the entry's shape at the gateway.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, TypedDict, Unpack

from pydantic import BaseModel

from resolute.shared.actors import Reorganisation
from resolute.shared.api.actors import ActorsQuery, BodyIn, CountryIn, MinistryIn, RegistryOut, RevisionList, SeriesIn
from resolute.shared.api.calendar import OccurrenceDetail, OccurrenceIn, OccurrencePage, OccurrenceQuery, SeriesList
from resolute.shared.api.commitments import (
    AssignmentOut,
    AssignmentPage,
    AssignmentQuery,
    CommitmentDetail,
    CommitmentPage,
    CommitmentQuery,
    HistoryOut,
    PointInTimeQuery,
    ReassignmentIn,
    StatusReportIn,
)
from resolute.shared.api.deadlines import DeadlinePage, DeadlineQuery
from resolute.shared.api.documents import (
    DocumentAccepted,
    DocumentCommitmentQuery,
    DocumentOut,
    DocumentPage,
    DocumentQuery,
    DocumentTextOut,
    DocumentTextQuery,
    ExtractedCommitmentPage,
)
from resolute.shared.api.lists import ListQuery
from resolute.shared.api.paths import PATH_PARAMETERS
from resolute.shared.api.reassignments import (
    ProposalDecisionIn,
    ProposalQuery,
    ReassignmentProposalOut,
    ReassignmentProposalPage,
    ReorganisationRecorded,
)
from resolute.shared.api.review import (
    CommitmentAddIn,
    CommitmentRevisionIn,
    CorrectionOut,
    CorrectionPage,
    CorrectionQuery,
    DocumentFactsIn,
    MergeIn,
    ProposalOut,
    PublicationPolicyIn,
    PublicationPolicyList,
    PublicationPolicyOut,
    PublishIn,
    ReviewQueueQuery,
    ReviewStartIn,
    SplitIn,
    WithdrawalIn,
)
from resolute.shared.api.review import (
    ProposalQuery as SpanProposalQuery,
)
from resolute.shared.api.scorecards import (
    CountryScorecard,
    CountryScorecardQuery,
    MinistryScorecard,
    MinistryScorecardQuery,
)
from resolute.shared.api.subscriptions import (
    DeadLetterQuery,
    DeliveryDetail,
    DeliveryPage,
    DeliveryQuery,
    DeliveryQueued,
    DigestPreview,
    NoticePage,
    NoticeQuery,
    RecoverIn,
    RecoverOut,
    SecretRotated,
    SubscriptionCreated,
    SubscriptionIn,
    SubscriptionOut,
    SubscriptionPage,
    SubscriptionQuery,
    SubscriptionUpdate,
)

Service = Literal["ingest", "tracker", "notifier"]
Method = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
_PLACEHOLDER = re.compile(r"{(\w+)}")


@dataclass(frozen=True)
class Scope:
    """Who may call a route: any key (`roles` None), or admins and the roles named (none: admins only)."""

    roles: tuple[str, ...] | None = None


ANY_KEY = Scope()
ADMIN = Scope(())
EDITOR = Scope(("editor",))
REPORTER = Scope(("editor", "ministry"))


@dataclass(frozen=True)
class PublicRoute:
    """One route of the public API and the service route behind it.

    `name` is the operation's name on both sides (its OpenAPI operationId starts with it). `answer` None is a
    204 without a body. `conflicts`: the route may answer 409 (an action on something in the wrong state).
    `hand_written`: the gateway does more than forward (an upload of several media types), so it writes the
    route itself from this entry instead of making a forwarder.
    """

    name: str
    method: Method
    path: str
    service: Service
    summary: str
    tags: tuple[str, ...]
    scope: Scope = ANY_KEY
    query: type[BaseModel] | None = None
    body: type[BaseModel] | None = None
    answer: type[BaseModel] | None = None
    status: int = 200
    conflicts: bool = False
    hand_written: bool = False
    description: str | None = None

    @property
    def public_path(self) -> str:
        return "/v1" + self.path

    @property
    def path_parameters(self) -> tuple[str, ...]:
        """The `{name}`s of the path, in order."""
        return tuple(_PLACEHOLDER.findall(self.path))

    @property
    def is_list(self) -> bool:
        return self.query is not None and issubclass(self.query, ListQuery)


class _Details(TypedDict, total=False):
    scope: Scope
    query: type[BaseModel]
    body: type[BaseModel]
    answer: type[BaseModel]
    status: int
    conflicts: bool
    hand_written: bool
    description: str


def _documents(name: str, method: Method, path: str, summary: str, **details: Unpack[_Details]) -> PublicRoute:
    return PublicRoute(name, method, "/documents" + path, "ingest", summary, ("documents",), **details)


def _review(name: str, method: Method, path: str, summary: str, **details: Unpack[_Details]) -> PublicRoute:
    """A review route: ingest serves it (it owns documents and their text); editors and admins, unless said."""
    details.setdefault("scope", EDITOR)
    return PublicRoute(name, method, path, "ingest", summary, ("review",), **details)


def _tracker(
    name: str, method: Method, path: str, summary: str, tags: tuple[str, ...], **details: Unpack[_Details]
) -> PublicRoute:
    return PublicRoute(name, method, path, "tracker", summary, tags, **details)


def _subscriptions(name: str, method: Method, path: str, summary: str, **details: Unpack[_Details]) -> PublicRoute:
    return PublicRoute(name, method, "/subscriptions" + path, "notifier", summary, ("subscriptions",), **details)


_ASSIGNMENTS = ("commitments", "assignments")
_ITEM = "/{subscription_id}"

UPLOAD_DOCUMENT = _documents(
    "upload_document", "POST", "",
    "Upload a document or a new version of one (multipart `file`, or JSON `{text}`); answered once it is stored "
    "(editor)",
    scope=EDITOR, answer=DocumentAccepted, status=202, hand_written=True,
    description="Text, Markdown, HTML, PDF (with a text layer) or DOCX, told apart by content. The same bytes again "
    "answer the stored document (`duplicate`); a new version of a current document (named by `supersedes`, or "
    "recognised by its issuing body, kind, number/session and title) supersedes it.",
)  # fmt: skip

DOCUMENT_ROUTES = (
    UPLOAD_DOCUMENT,
    _documents(
        "list_documents", "GET", "", "Documents, newest first unless `sort` says otherwise",
        query=DocumentQuery, answer=DocumentPage,
    ),
    _documents("get_document", "GET", "/{document_id}", "A document's status, version and lineage", answer=DocumentOut),
    _documents(
        "get_document_versions", "GET", "/{document_id}/versions",
        "Every version of this document, oldest first (the last one is current)", answer=DocumentPage,
    ),
    _documents(
        "get_document_text", "GET", "/{document_id}/text",
        "The document's text with each commitment's span, for highlighting in place",
        query=DocumentTextQuery, answer=DocumentTextOut,
    ),
    _documents(
        "get_document_commitments", "GET", "/{document_id}/commitments",
        "The document's commitments as extracted, in document order, filtered",
        query=DocumentCommitmentQuery, answer=ExtractedCommitmentPage,
    ),
)  # fmt: skip

_COMMITMENT = "/documents/{document_id}/commitments/{commitment_id}"
_CORRECTION = (
    "An editor's correction (admins too; a ministry key is refused): the answer shows every change it made, "
    "before and after. A document published at once sends it to the tracker now (assignments, deadlines and "
    "webhooks follow); one held for review sends its commitments, corrected, when it is published. Only the "
    "current version of a document is corrected (a superseded one is a 409); a correction the registry or the "
    "text refutes (an unknown country or ministry, a span outside the text) is a 422 and changes nothing."
)

REVIEW_ROUTES = (
    _review(
        "review_queue", "GET", "/review/documents",
        "Current documents waiting for review (needs_review, in_review), oldest first (editor)",
        query=ReviewQueueQuery, answer=DocumentPage,
    ),
    _review(
        "start_review", "POST", "/documents/{document_id}/review", "Take a document into review (editor)",
        body=ReviewStartIn, answer=DocumentOut, conflicts=True,
    ),
    _review(
        "publish_document", "POST", "/documents/{document_id}/publish",
        "Publish a reviewed document: commitments held back reach the tracker now, corrected (editor)",
        body=PublishIn, answer=DocumentOut, conflicts=True,
    ),
    _review(
        "propose_commitment", "GET", "/documents/{document_id}/proposal",
        "What the extractor reads in a span, as a commitment: where an addition starts (editor)",
        query=SpanProposalQuery, answer=ProposalOut,
    ),
    _review(
        "add_commitment", "POST", "/documents/{document_id}/commitments",
        "Add a commitment from a span of the text, with the fields the extractor proposes for it (editor)",
        body=CommitmentAddIn, answer=CorrectionOut, status=201, conflicts=True, description=_CORRECTION,
    ),
    _review(
        "revise_commitment", "PATCH", _COMMITMENT,
        "Correct a commitment: text or span, label, section, addressees, ministries, policy area, deadline (editor)",
        body=CommitmentRevisionIn, answer=CorrectionOut, conflicts=True, description=_CORRECTION,
    ),
    _review(
        "withdraw_commitment", "POST", _COMMITMENT + "/withdraw",
        "Withdraw what is not a commitment, with the reason (kept, never deleted) (editor)",
        body=WithdrawalIn, answer=CorrectionOut, conflicts=True, description=_CORRECTION,
    ),
    _review(
        "split_commitment", "POST", _COMMITMENT + "/split",
        "Split a commitment read as one into two or more, by their spans; the first keeps its id (editor)",
        body=SplitIn, answer=CorrectionOut, status=201, conflicts=True, description=_CORRECTION,
    ),
    _review(
        "merge_commitments", "POST", "/documents/{document_id}/commitments/merge",
        "Merge commitments read apart into the first of them; the others are withdrawn, merged into it (editor)",
        body=MergeIn, answer=CorrectionOut, conflicts=True, description=_CORRECTION,
    ),
    _review(
        "correct_document_facts", "PATCH", "/documents/{document_id}/facts",
        "Correct a document's own facts (kind, title, issuing body, number, session, adopted, place) and the "
        "events it dates (editor)",
        body=DocumentFactsIn, answer=CorrectionOut, conflicts=True, description=_CORRECTION,
    ),
    _review(
        "document_corrections", "GET", "/documents/{document_id}/corrections",
        "Every correction of a document (all its versions), oldest first: who, when, why, before and after",
        scope=ANY_KEY, query=CorrectionQuery, answer=CorrectionPage,
    ),
    _review(
        "commitment_corrections", "GET", "/commitments/{commitment_id}/corrections",
        "Every correction of a commitment (across its document's versions), oldest first",
        scope=ANY_KEY, query=CorrectionQuery, answer=CorrectionPage,
    ),
    _review(
        "list_publication_policies", "GET", "/review/policies",
        "Each issuing body's choice: commitments at once, after review, or auto (editor)",
        answer=PublicationPolicyList,
    ),
    _review(
        "set_publication_policy", "PUT", "/review/policies/{body_id}",
        "Choose how an issuing body's documents reach the tracker: auto, at_once, after_review (editor)",
        body=PublicationPolicyIn, answer=PublicationPolicyOut,
    ),
)  # fmt: skip

COMMITMENT_ROUTES = (
    _tracker(
        "list_commitments", "GET", "/commitments",
        "Commitments, newest documents first, in text order (`q`, `country`, `ministry`, `status`, ...)",
        ("commitments",), query=CommitmentQuery, answer=CommitmentPage,
    ),
    _tracker(
        "get_commitment", "GET", "/commitments/{commitment_id}", "A commitment with its assignments (now, or `as_of`)",
        ("commitments",), query=PointInTimeQuery, answer=CommitmentDetail,
    ),
    _tracker(
        "list_assignments", "GET", "/assignments",
        "Assignments, newest first (`country`, `ministry`, `status`, `overdue`, ...)",
        _ASSIGNMENTS, query=AssignmentQuery, answer=AssignmentPage,
    ),
    _tracker(
        "get_assignment", "GET", "/assignments/{assignment_id}", "One assignment (now, or `as_of`)",
        _ASSIGNMENTS, query=PointInTimeQuery, answer=AssignmentOut,
    ),
    _tracker(
        "report_status", "POST", "/assignments/{assignment_id}/status",
        "Report a status (ministry: a claim on its own assignments; editor: verify or dispute)",
        _ASSIGNMENTS, scope=REPORTER, body=StatusReportIn, answer=AssignmentOut,
    ),
    _tracker(
        "reassign", "POST", "/assignments/{assignment_id}/reassign",
        "Move a country's assignment to another ministry (admin)",
        _ASSIGNMENTS, scope=ADMIN, body=ReassignmentIn, answer=AssignmentOut,
    ),
    _tracker(
        "assignment_history", "GET", "/assignments/{assignment_id}/history",
        "Every change to an assignment, oldest first", _ASSIGNMENTS, answer=HistoryOut,
    ),
    _tracker(
        "list_deadlines", "GET", "/deadlines",
        "Deadlines per assignment, soonest first (`from`, `to`, `country`, `ministry`, ...)",
        ("deadlines",), query=DeadlineQuery, answer=DeadlinePage,
    ),
)  # fmt: skip

CALENDAR_ROUTES = (
    _tracker(
        "list_occurrences", "GET", "/calendar/occurrences",
        "Institutional events, shipped, learnt, confirmed and projected, earliest first "
        "(`series`, `state`, `conflict`, `from`, `to`)",
        ("calendar",), query=OccurrenceQuery, answer=OccurrencePage,
    ),
    _tracker(
        "list_series", "GET", "/calendar/series",
        "Calendar series: cadence, history, conflicts, and the last and next occurrence (how sure its projection is)",
        ("calendar",), answer=SeriesList,
    ),
    _tracker(
        "get_occurrence", "GET", "/calendar/occurrences/{series}/{ordinal}",
        "One occurrence (known or projected) with its history", ("calendar",), answer=OccurrenceDetail,
    ),
    _tracker(
        "confirm_occurrence", "PUT", "/calendar/occurrences/{series}/{ordinal}",
        "Confirm when and where an occurrence meets (admin); deadlines hanging on it are re-scheduled",
        ("calendar",), scope=ADMIN, body=OccurrenceIn, answer=OccurrenceDetail,
    ),
)  # fmt: skip

ACTOR_ROUTES = (
    _tracker(
        "get_actors", "GET", "/actors",
        "Countries with their ministries, bodies, calendar series and policy areas (now, or `as_of`)",
        ("actors",), query=ActorsQuery, answer=RegistryOut,
    ),
    _tracker(
        "list_revisions", "GET", "/actors/revisions", "Every revision of the registry, newest first (admin)",
        ("actors",), scope=ADMIN, answer=RevisionList,
    ),
    _tracker(
        "put_country", "PUT", "/actors/countries/{code}", "Add a country or change its details (admin)",
        ("actors",), scope=ADMIN, body=CountryIn, answer=RegistryOut,
    ),
    _tracker(
        "put_ministry", "PUT", "/actors/countries/{code}/ministries/{ministry}",
        "Add a ministry or change it: name, policy areas (admin)",
        ("actors",), scope=ADMIN, body=MinistryIn, answer=RegistryOut,
    ),
    _tracker(
        "delete_ministry", "DELETE", "/actors/countries/{code}/ministries/{ministry}",
        "Remove a ministry no open assignment names (admin)",
        ("actors",), scope=ADMIN, answer=RegistryOut, conflicts=True,
    ),
    _tracker(
        "put_body", "PUT", "/actors/bodies/{body_id}", "Add a body or change it (admin)",
        ("actors",), scope=ADMIN, body=BodyIn, answer=RegistryOut,
    ),
    _tracker(
        "put_series", "PUT", "/actors/series/{series_id}", "Add a calendar series or change it (admin)",
        ("actors",), scope=ADMIN, body=SeriesIn, answer=RegistryOut,
    ),
    _tracker(
        "record_reorganisation", "POST", "/actors/countries/{code}/reorganisations",
        "Record a government reorganisation with its effective date (admin); open assignments of the ministries it "
        "ends are proposed for reassignment",
        ("actors",), scope=ADMIN, body=Reorganisation, answer=ReorganisationRecorded, status=201, conflicts=True,
        description="Changes in order: `create`, `rename` (with what it `was`), `move` (areas `from` one ministry "
        "`to` another) and `abolish` (with its `successor`, which takes the areas it still held; a merger is one "
        "abolition per merged ministry). It must come after the country's last reorganisation and fit the "
        "organisation it changes; `as_of` before it reads the old organisation.",
    ),
)  # fmt: skip

REASSIGNMENT_ROUTES = (
    _tracker(
        "list_reassignments", "GET", "/reassignments",
        "Reassignments reorganisations propose, oldest first (`status`, `country`, `ministry`, `assignment_id`)",
        ("reassignments",), scope=EDITOR, query=ProposalQuery, answer=ReassignmentProposalPage,
    ),
    _tracker(
        "confirm_reassignment", "POST", "/reassignments/{proposal_id}/confirm",
        "Move the assignment to the successor ministry, from the day the reorganisation takes effect (admin)",
        ("reassignments",), scope=ADMIN, body=ProposalDecisionIn, answer=ReassignmentProposalOut, conflicts=True,
    ),
    _tracker(
        "dismiss_reassignment", "POST", "/reassignments/{proposal_id}/dismiss",
        "Leave the assignment where it is (admin)",
        ("reassignments",), scope=ADMIN, body=ProposalDecisionIn, answer=ReassignmentProposalOut, conflicts=True,
    ),
)  # fmt: skip

SCORECARD_ROUTES = (
    _tracker(
        "country_scorecard", "GET", "/scorecards/countries",
        "Per country (and body): assignments by status, overdue, due within 30 days",
        ("scorecards",), query=CountryScorecardQuery, answer=CountryScorecard,
    ),
    _tracker(
        "ministry_scorecard", "GET", "/scorecards/ministries",
        "Per ministry: assignments by status, overdue, due within 30 days",
        ("scorecards",), query=MinistryScorecardQuery, answer=MinistryScorecard,
    ),
)  # fmt: skip

SUBSCRIPTION_ROUTES = (
    _subscriptions(
        "create_subscription", "POST", "", "Subscribe a webhook; the answer holds its whsec_ secret, shown once",
        body=SubscriptionIn, answer=SubscriptionCreated, status=201,
    ),
    _subscriptions(
        "list_subscriptions", "GET", "", "Your subscriptions (an admin's: everyone's, or `owner`'s), oldest first",
        query=SubscriptionQuery, answer=SubscriptionPage,
    ),
    _subscriptions(
        "list_notices", "GET", "/notices", "Notices about your subscriptions (e.g. one was disabled), newest first",
        query=NoticeQuery, answer=NoticePage,
    ),
    _subscriptions("get_subscription", "GET", _ITEM, "One subscription", answer=SubscriptionOut),
    _subscriptions(
        "update_subscription", "PATCH", _ITEM,
        "Change URL, event types, filters, mode, rate limit, or enable/disable (only the fields given)",
        body=SubscriptionUpdate, answer=SubscriptionOut,
    ),
    _subscriptions(
        "delete_subscription", "DELETE", _ITEM, "Delete a subscription and its delivery log", status=204,
    ),
    _subscriptions(
        "rotate_secret", "POST", _ITEM + "/secret/rotate",
        "A new signing secret; the previous one keeps signing for a while (24 h by default) so receivers can switch",
        answer=SecretRotated,
    ),
    _subscriptions(
        "list_deliveries", "GET", _ITEM + "/deliveries",
        "Delivery log with every attempt, newest first (`status`, `event_type`)",
        query=DeliveryQuery, answer=DeliveryPage,
    ),
    _subscriptions(
        "get_delivery", "GET", _ITEM + "/deliveries/{delivery_id}", "One delivery: its body and attempts",
        answer=DeliveryDetail,
    ),
    _subscriptions(
        "replay_delivery", "POST", _ITEM + "/deliveries/{delivery_id}/replay",
        "Send one delivery again now, with the same webhook-id, starting its retry schedule afresh",
        answer=DeliveryQueued, status=202, conflicts=True,
    ),
    _subscriptions(
        "recover", "POST", _ITEM + "/recover",
        "Re-send every failed (dead) delivery since a time, with their original webhook-ids",
        body=RecoverIn, answer=RecoverOut,
    ),
    _subscriptions(
        "list_dead_letters", "GET", _ITEM + "/dead-letters",
        "Deliveries given up after the last attempt (or when the subscription was disabled), newest first",
        query=DeadLetterQuery, answer=DeliveryPage,
    ),
    _subscriptions(
        "digest_preview", "GET", _ITEM + "/digest", "What the next daily digest holds so far, and when it is sent",
        answer=DigestPreview,
    ),
    _subscriptions(
        "send_test", "POST", _ITEM + "/test", "Send a signed test event", answer=DeliveryQueued, status=202,
        conflicts=True,
    ),
)  # fmt: skip

#: every public route a service serves, in the order the gateway documents them
PUBLIC_ROUTES: tuple[PublicRoute, ...] = (
    *DOCUMENT_ROUTES,
    *REVIEW_ROUTES,
    *COMMITMENT_ROUTES,
    *CALENDAR_ROUTES,
    *ACTOR_ROUTES,
    *REASSIGNMENT_ROUTES,
    *SCORECARD_ROUTES,
    *SUBSCRIPTION_ROUTES,
)
ROUTES_BY_NAME: dict[str, PublicRoute] = {route.name: route for route in PUBLIC_ROUTES}


def route(name: str) -> PublicRoute:
    """The entry a handler is bound to, by its operation name."""
    return ROUTES_BY_NAME[name]


def _check_table() -> None:
    """Every name unique, every path parameter typed: an entry that breaks either fails on import."""
    if len(ROUTES_BY_NAME) != len(PUBLIC_ROUTES):
        raise TypeError("two public routes share a name")
    for entry in PUBLIC_ROUTES:
        unknown = set(entry.path_parameters) - set(PATH_PARAMETERS)
        if unknown:
            raise TypeError(f"{entry.name}: no type for the path parameters {sorted(unknown)}")


_check_table()
