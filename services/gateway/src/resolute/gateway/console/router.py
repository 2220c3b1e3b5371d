"""The console's pages: sign-in, dashboard, documents and their review, commitments, a ministry's inbox,
assignments, calendar, subscriptions, administration. None is in the API's OpenAPI document."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode, urlparse

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from resolute.gateway.console.api import ApiProblem
from resolute.gateway.console.oidc import FLOW_COOKIE, FLOW_SECONDS, Flow, SignInRefused
from resolute.gateway.console.pages import (
    Forbidden,
    Page,
    PageDep,
    form_lines,
    form_text,
    render,
    translator,
)
from resolute.gateway.console.serving import CONSOLE_UPLOAD_PATH
from resolute.gateway.console.sessions import (
    CSRF_FIELD,
    PRE_SESSION_COOKIE,
    SESSION_COOKIE,
    csrf_matches,
    end_session,
    start_session,
)
from resolute.gateway.console.views import (
    CORRECTION_FIELDS,
    DEADLINE_KINDS,
    DOCUMENT_KINDS,
    SPLIT_MARK,
    STATUSES,
    WEAK_BELOW,
    FormRefused,
    calendar_rows,
    change_rows,
    correction_body,
    facts_body,
    history_rows,
    inbox_order,
    marked_text,
    merge_neighbours,
    ministry_lines,
    month_ends,
    owns,
    progress_chart,
    shown_value,
    split_spans,
)
from resolute.gateway.state import gateway_state
from resolute.shared.api.subscriptions import SUBSCRIBABLE_TYPES
from resolute.shared.clock import utcnow

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this host only (never another site)."""
    if not target or not target.startswith("/") or target.startswith("//") or urlparse(target).netloc:
        return "/"
    return target


def _query(filters: dict[str, str | None]) -> str:
    """A list page's filters as a query string, for its next-page link."""
    return urlencode({k: v for k, v in filters.items() if v})


def _utc(local: str | None) -> str | None:
    """A datetime-local field (no zone) read as UTC, the zone every console time is shown in."""
    if not local:
        return local
    try:
        moment = datetime.fromisoformat(local)
    except ValueError:
        return local  # the API says what is wrong with it
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


def _cookie_options(request: Request) -> dict[str, Any]:
    settings = gateway_state(request).settings
    secure = settings.console_secure_cookies or request.url.scheme == "https"
    return {"httponly": True, "samesite": "strict", "secure": secure, "path": "/"}


# --- signing in and out -------------------------------------------------------------------------------------


@router.get("/sign-in")
async def sign_in_form(request: Request, next: str | None = None, problem: str | None = None) -> Response:
    token = request.cookies.get(PRE_SESSION_COOKIE) or secrets.token_urlsafe(32)
    settings = gateway_state(request).settings
    response = render(
        request,
        "sign_in.html",
        401 if problem else 200,
        csrf=token,
        next=_safe_next(next),
        problem=problem,
        oidc=settings.console_oidc_enabled,
    )
    response.set_cookie(PRE_SESSION_COOKIE, token, max_age=3600, **_cookie_options(request))
    return response


@router.post("/sign-in")
async def sign_in(request: Request) -> Response:
    form = await request.form()
    t = translator(request)
    presented = form.get(CSRF_FIELD)
    expected = request.cookies.get(PRE_SESSION_COOKIE) or ""
    if not expected or not csrf_matches(expected, presented if isinstance(presented, str) else None):
        raise Forbidden(t("error.csrf"))
    key = form_text(form, "key") or ""
    next_path = _safe_next(form_text(form, "next"))
    state = gateway_state(request)
    principal = await state.authenticator.api_key(key) if key and not state.authenticator.is_jwt(key) else None
    if principal is None:
        return await sign_in_form(request, next_path, problem=t("sign_in.invalid_key"))
    return await open_session(request, principal, next_path)


@router.get("/sign-in/oidc")
async def sign_in_with_provider(request: Request, next: str | None = None) -> Response:
    """Off to the identity provider, with a fresh state and PKCE challenge remembered in the flow cookie."""
    oidc = gateway_state(request).console_oidc
    if oidc is None:
        return RedirectResponse("/sign-in", status_code=303)
    flow = Flow.start(_safe_next(next))
    response = RedirectResponse(oidc.authorize_redirect(flow, _callback_url(request)), status_code=303)
    options = _cookie_options(request) | {"samesite": "lax"}
    response.set_cookie(FLOW_COOKIE, flow.cookie(), max_age=FLOW_SECONDS, **options)
    return response


@router.get("/sign-in/oidc/callback")
async def provider_callback(
    request: Request, state: str | None = None, code: str | None = None, error: str | None = None
) -> Response:
    gateway = gateway_state(request)
    oidc, verifier = gateway.console_oidc, gateway.authenticator.jwt_verifier
    if oidc is None or verifier is None:
        return RedirectResponse("/sign-in", status_code=303)
    flow = Flow.from_cookie(request.cookies.get(FLOW_COOKIE))
    try:
        principal = await oidc.sign_in(
            flow,
            state=state,
            code=code,
            error=error,
            redirect_uri=_callback_url(request),
            client=gateway.http_client,
            verifier=verifier,
        )
    except SignInRefused as refused:
        response = await sign_in_form(request, flow.next_path if flow else None, problem=str(refused))
    else:
        assert flow is not None
        # The way back from the provider was a cross-site navigation: a page of ours moves on, so that the
        # (SameSite=Strict) session cookie goes with the first request.
        response = await open_session(request, principal, flow.next_path, through_page=True)
    response.delete_cookie(FLOW_COOKIE, path="/")
    return response


def _callback_url(request: Request) -> str:
    configured = gateway_state(request).settings.console_oidc_redirect_url
    return configured or str(request.url_for("provider_callback"))


async def open_session(request: Request, principal: Any, next_path: str, *, through_page: bool = False) -> Response:
    """A new console session for a principal (after a key or an OIDC sign-in), and the way back."""
    state = gateway_state(request)
    lifetime = timedelta(seconds=state.settings.console_session_seconds)
    async with state.sessionmaker() as session, session.begin():
        _, token = await start_session(session, principal, now=utcnow(), lifetime=lifetime)
    response: Response
    if through_page:
        response = render(request, "signed_in.html", next=next_path)
    else:
        response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(SESSION_COOKIE, token, max_age=int(lifetime.total_seconds()), **_cookie_options(request))
    response.delete_cookie(PRE_SESSION_COOKIE, path="/")
    return response


@router.post("/sign-out")
async def sign_out(page: PageDep) -> Response:
    await page.form()
    token = page.request.cookies.get(SESSION_COOKIE) or ""
    state = gateway_state(page.request)
    async with state.sessionmaker() as session, session.begin():
        await end_session(session, token, now=utcnow())
    state.authenticator.forget_session(token)
    response = RedirectResponse("/sign-in", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# --- dashboard ----------------------------------------------------------------------------------------------


@router.get("/")
async def dashboard(page: PageDep) -> Response:
    today = gateway_state(page.request).clock.now().date()
    mine = page.principal.ministry
    scope = {"country": mine[0], "ministry": mine[1]} if mine else {}
    countries = await page.api.get("/scorecards/countries")
    ministries = await page.api.get("/scorecards/ministries", {"country": mine[0]} if mine else None)
    upcoming = await page.api.get("/deadlines", {**scope, "from": today, "to": today + timedelta(days=30), "limit": 20})
    overdue = await page.api.get("/deadlines", {**scope, "overdue": "true", "limit": 20})
    points = []
    for day in month_ends(today, 6):
        card = await page.api.get("/scorecards/countries", {"as_of": day})
        totals: dict[str, int] = {}
        for score in card["items"]:
            for status, count in score["by_status"].items():
                totals[status] = totals.get(status, 0) + count
        points.append((day, totals))
    labels = {s: page.t(f"status.{s}") for s in STATUSES}
    return page.render(
        "dashboard.html",
        countries=countries,
        ministries=ministries["items"],
        upcoming=upcoming["items"],
        overdue=overdue["items"],
        chart=progress_chart(points, page.t("dashboard.chart_title"), labels),
        points=points,
        statuses=STATUSES,
    )


# --- documents ----------------------------------------------------------------------------------------------


@router.get("/documents")
async def documents(
    page: PageDep, status: str | None = None, sort: str | None = None, cursor: str | None = None
) -> Response:
    listing = await page.api.get("/documents", {"status": status, "sort": sort, "cursor": cursor, "limit": 50})
    queue = await page.api.all_pages("/review/documents", limit=200) if page.is_editor else []
    return page.render(
        "documents.html", documents=listing, status=status, sort=sort, may_upload=page.is_editor, queue=queue
    )


@router.post(CONSOLE_UPLOAD_PATH)
async def upload_documents(page: PageDep) -> Response:
    """Without JavaScript: the files of the upload form, each posted to /v1/documents as it would be one by one."""
    form = await page.form()
    files = [f for f in form.getlist("file") if isinstance(f, UploadFile) and f.filename]
    if not files:
        return page.back("/documents", page.t("documents.no_file"))
    accepted = 0
    for upload in files:
        content = await upload.read()
        await page.api.post(
            "/documents", None, files={"file": (upload.filename, content, upload.content_type or "text/plain")}
        )
        accepted += 1
    return page.back("/documents", page.t("documents.uploaded", count=accepted))


@router.get("/documents/{document_id}")
async def document_review(
    page: PageDep,
    document_id: str,
    commitment: str | None = None,
    start: int | None = None,
    end: int | None = None,
) -> Response:
    """The text with every commitment at its span; for editors, the review: correct the one picked, add one
    from a selection (with what the extractor proposes for it first), take into review, publish."""
    document = await page.api.get(f"/documents/{document_id}")
    text = await page.api.get(f"/documents/{document_id}/text")
    items = await page.api.all_pages(f"/documents/{document_id}/commitments", limit=5000)
    selected = next((c for c in items if c["id"] == commitment), None)
    source = text["text"][selected["span"][0] : selected["span"][1]] if selected and selected.get("span") else ""
    corrections = await page.api.all_pages(f"/documents/{document_id}/corrections", limit=500)
    proposal = None
    if page.is_editor and start is not None and end is not None:
        proposal = await page.api.get(f"/documents/{document_id}/proposal", {"start": start, "end": end})
    return page.render(
        "document.html",
        document=document,
        segments=marked_text(text["text"], items),
        commitments=items,
        selected=selected,
        selected_ministries=ministry_lines(selected.get("ministries")) if selected else "",
        selected_source=source,
        split_mark=SPLIT_MARK,
        neighbours=merge_neighbours(items, selected["id"]) if selected else [],
        document_kinds=DOCUMENT_KINDS,
        calendar_rows=calendar_rows,
        weak=[c for c in items if float(c.get("confidence", 1.0)) < WEAK_BELOW],
        may_correct=page.is_editor and document.get("status") == "processed",
        corrections=corrections,
        change_rows=change_rows,
        shown=shown_value,
        proposal=proposal,
        deadline_kinds=DEADLINE_KINDS,
    )


def _reason(page: Page, form: FormData) -> str:
    reason = form_text(form, "reason")
    if not reason:
        raise ApiProblem(422, page.t("correction.no_reason"), page.t("correction.no_reason_detail"))
    return reason


def _detail(document_id: str, commitment_id: str | None = None) -> str:
    return f"/documents/{document_id}" + (f"?commitment={commitment_id}#detail" if commitment_id else "")


@router.post("/documents/{document_id}/facts")
async def correct_facts(page: PageDep, document_id: str) -> Response:
    """Correct what one part of a document says of itself and the meetings it dates (only what changed)."""
    form = await page.form()
    reason = _reason(page, form)
    document = await page.api.get(f"/documents/{document_id}")
    parts = document.get("parts") or []
    number = form_text(form, "part") or "0"
    if not number.isdigit() or int(number) >= max(len(parts), 1):
        raise ApiProblem(422, page.t("correction.refused"), page.t("facts.no_part"))
    rows = form_text(form, "calendar_rows") or "0"
    values = {name: form_text(form, name) for name in form}
    try:
        body = facts_body(parts[int(number)] if parts else {}, values, int(rows) if rows.isdigit() else 0)
    except FormRefused as refused:
        raise ApiProblem(422, page.t("correction.refused"), str(refused)) from refused
    if not body:
        raise ApiProblem(422, page.t("correction.nothing"), page.t("facts.nothing_detail"))
    await page.api.patch(f"/documents/{document_id}/facts", {**body, "part": int(number), "reason": reason})
    return page.back(_detail(document_id), page.t("facts.done", count=len(body)))


@router.post("/documents/{document_id}/{action}")
async def review_action(page: PageDep, document_id: str, action: str) -> Response:
    """Take a document into review, or publish it (its held commitments then reach the tracker)."""
    if action not in ("review", "publish"):
        raise ApiProblem(404, page.t("error.not_found"), page.t("error.not_found_detail"))
    form = await page.form()
    note = form_text(form, "note")
    await page.api.post(f"/documents/{document_id}/{action}", {"note": note} if note else {})
    return page.back(_detail(document_id), page.t(f"review.{action}_done"))


@router.post("/documents/{document_id}/commitments/add")
async def add_commitment(page: PageDep, document_id: str) -> Response:
    """A commitment the extractor missed, from the span the editor selected; the extractor proposes its fields."""
    form = await page.form()
    start, end = form_text(form, "start") or "", form_text(form, "end") or ""
    if not (start.isdigit() and end.isdigit()):
        raise ApiProblem(422, page.t("correction.no_span"), page.t("correction.no_span_detail"))
    answer = await page.api.post(
        f"/documents/{document_id}/commitments", {"span": [int(start), int(end)], "reason": _reason(page, form)}
    )
    added = next((c["commitment_id"] for c in answer["commitments"] if c["effect"] == "added"), None)
    return page.back(_detail(document_id, added), page.t("correction.added"))


@router.post("/documents/{document_id}/commitments/{commitment_id}/{action}")
async def correct_commitment(page: PageDep, document_id: str, commitment_id: str, action: str) -> Response:
    """Correct a commitment's fields (only those the editor changed are sent), withdraw it, split it where the
    editor marked its words, or merge it with the neighbours ticked."""
    if action not in ("correct", "withdraw", "split", "merge"):
        raise ApiProblem(404, page.t("error.not_found"), page.t("error.not_found_detail"))
    form = await page.form()
    reason = _reason(page, form)
    path = f"/documents/{document_id}/commitments/{commitment_id}"
    if action == "withdraw":
        await page.api.post(path + "/withdraw", {"reason": reason})
        return page.back(_detail(document_id), page.t("correction.withdrawn"))
    if action == "merge":
        others = [value for value in form.getlist("merge_with") if isinstance(value, str) and value]
        if not others:
            raise ApiProblem(422, page.t("correction.refused"), page.t("merge.none_ticked"))
        body = {"commitment_ids": [commitment_id, *others], "reason": reason}
        await page.api.post(f"/documents/{document_id}/commitments/merge", body)
        return page.back(_detail(document_id, commitment_id), page.t("merge.done", count=len(others) + 1))
    items = await page.api.all_pages(f"/documents/{document_id}/commitments", limit=5000)
    current = next((c for c in items if c["id"] == commitment_id), None)
    if current is None:
        raise ApiProblem(404, page.t("error.not_found"), page.t("error.not_found_detail"))
    if action == "split":
        return await _split(page, form, document_id, current, reason)
    values = {name: form_text(form, name) for name in CORRECTION_FIELDS}
    values["text"] = form_text(form, "text")
    try:
        body = correction_body(current, values)
    except FormRefused as refused:
        raise ApiProblem(422, page.t("correction.refused"), str(refused)) from refused
    if not body:
        raise ApiProblem(422, page.t("correction.nothing"), page.t("correction.nothing_detail"))
    await page.api.patch(path, {**body, "reason": reason})
    return page.back(_detail(document_id, commitment_id), page.t("correction.done", count=len(body)))


async def _split(page: Page, form: FormData, document_id: str, current: dict[str, Any], reason: str) -> Response:
    """Split where the editor put `---` lines in the commitment's words; each part's span is where its words are."""
    text = await page.api.get(f"/documents/{document_id}/text")
    start, end = current["span"]
    try:
        spans = split_spans(text["text"][start:end], start, form_text(form, "parts") or "")
    except FormRefused as refused:
        raise ApiProblem(422, page.t("correction.refused"), str(refused)) from refused
    body = {"parts": [{"span": list(span)} for span in spans], "reason": reason}
    await page.api.post(f"/documents/{document_id}/commitments/{current['id']}/split", body)
    return page.back(_detail(document_id, current["id"]), page.t("split.done", count=len(spans)))


# --- commitments and assignments ----------------------------------------------------------------------------

_COMMITMENT_FILTERS = ("q", "country", "ministry", "policy_area", "status", "due_before", "due_after", "document_id")


@router.get("/commitments")
async def commitments(page: PageDep, request: Request) -> Response:
    filters = {k: request.query_params.get(k) for k in _COMMITMENT_FILTERS}
    listing = await page.api.get("/commitments", {**filters, "cursor": request.query_params.get("cursor"), "limit": 50})
    return page.render("commitments.html", listing=listing, filters=filters, statuses=STATUSES, query=_query(filters))


@router.get("/commitments/{commitment_id}")
async def commitment_page(page: PageDep, commitment_id: str, as_of: str | None = None) -> Response:
    commitment = await page.api.get(f"/commitments/{commitment_id}", {"as_of": as_of})
    histories = {
        a["id"]: history_rows((await page.api.get(f"/assignments/{a['id']}/history"))["items"])
        for a in commitment["assignments"]
    }
    try:
        corrections = await page.api.all_pages(f"/commitments/{commitment_id}/corrections", limit=500)
    except ApiProblem as problem:
        if problem.status != 404:
            raise
        corrections = []  # known to the tracker only (no document text in ingest): nothing was corrected there
    return page.render(
        "commitment.html",
        commitment=commitment,
        histories=histories,
        as_of=as_of,
        corrections=corrections,
        change_rows=change_rows,
        shown=shown_value,
    )


@router.get("/inbox")
async def inbox(page: PageDep) -> Response:
    mine = page.principal.ministry
    if mine is None:
        return page.back("/assignments")
    scope = {"country": mine[0], "ministry": mine[1]}
    assignments = await page.api.all_pages("/assignments", {**scope, "open": "true"})
    deadlines = await page.api.all_pages("/deadlines", {**scope, "from": "2000-01-01"})
    commitments = await page.api.all_pages("/commitments", scope, limit=5000)
    texts = {c["id"]: c["text"] for c in commitments}
    return page.render("inbox.html", rows=inbox_order(assignments, deadlines), texts=texts)


@router.get("/assignments")
async def assignments(page: PageDep, request: Request) -> Response:
    filters = {k: request.query_params.get(k) for k in ("country", "ministry", "status", "overdue", "verification")}
    if mine := page.principal.ministry:  # a ministry works on its own assignments only
        filters |= {"country": mine[0], "ministry": mine[1]}
    listing = await page.api.get(
        "/assignments", {**filters, "cursor": request.query_params.get("cursor"), "limit": 50, "sort": "-updated_at"}
    )
    return page.render("assignments.html", listing=listing, filters=filters, statuses=STATUSES, query=_query(filters))


@router.get("/assignments/{assignment_id}")
async def assignment_page(page: PageDep, assignment_id: str) -> Response:
    assignment = await page.api.get(f"/assignments/{assignment_id}")
    if not owns(page.principal.ministry, assignment):
        raise Forbidden(page.t("assignment.not_yours"))
    history = await page.api.get(f"/assignments/{assignment_id}/history")
    commitment = await page.api.get(f"/commitments/{assignment['commitment_id']}")
    return page.render(
        "assignment.html",
        assignment=assignment,
        history=history_rows(history["items"]),
        commitment=commitment,
        statuses=STATUSES,
        may_report=page.principal.role in ("ministry", "admin") or page.is_editor,
    )


@router.post("/assignments/{assignment_id}/status")
async def report_status(page: PageDep, assignment_id: str) -> Response:
    form = await page.form()
    body: dict[str, Any] = {
        "status": form_text(form, "status"),
        "note": form_text(form, "note"),
        "evidence_urls": form_lines(form, "evidence_urls"),
    }
    if kind := form_text(form, "kind"):
        body["kind"] = kind
    await page.api.post(f"/assignments/{assignment_id}/status", body)
    return page.back(f"/assignments/{assignment_id}", page.t("assignment.reported"))


# --- calendar -----------------------------------------------------------------------------------------------


@router.get("/calendar")
async def calendar(page: PageDep) -> Response:
    series = await page.api.get("/calendar/series")
    occurrences = await page.api.all_pages("/calendar/occurrences", limit=2000)
    return page.render("calendar.html", series=series["items"], occurrences=occurrences, may_confirm=page.is_admin)


@router.post("/calendar")
async def confirm_any_occurrence(page: PageDep) -> Response:
    """A meeting not listed yet (a deadline hangs on "the 32nd Baltic Council", whose date nobody knew)."""
    form = await page.form()
    series, ordinal = form_text(form, "series") or "", form_text(form, "ordinal") or ""
    if not ordinal.isdigit():
        raise ApiProblem(422, page.t("calendar.bad_ordinal"), page.t("calendar.bad_ordinal_detail", value=ordinal))
    return await _confirm(page, form, series, int(ordinal))


@router.post("/calendar/{series}/{ordinal}")
async def confirm_occurrence(page: PageDep, series: str, ordinal: int) -> Response:
    return await _confirm(page, await page.form(), series, ordinal)


async def _confirm(page: Page, form: FormData, series: str, ordinal: int) -> Response:
    body = {"start": form_text(form, "start"), "end": form_text(form, "end"), "place": form_text(form, "place")}
    await page.api.put(f"/calendar/occurrences/{series}/{ordinal}", {k: v for k, v in body.items() if v})
    return page.back("/calendar", page.t("calendar.confirmed", series=series, ordinal=ordinal))


# --- subscriptions ------------------------------------------------------------------------------------------


@router.get("/subscriptions")
async def subscriptions(page: PageDep) -> Response:
    listing = await page.api.all_pages("/subscriptions")
    return page.render("subscriptions.html", subscriptions=listing, secret=None, event_types=SUBSCRIBABLE_TYPES)


@router.post("/subscriptions")
async def create_subscription(page: PageDep) -> Response:
    form = await page.form()
    body: dict[str, Any] = {"url": form_text(form, "url")}
    event_types = [e for e in form.getlist("event_types") if isinstance(e, str) and e]
    if event_types:
        body["event_types"] = event_types
    countries = [c.strip().upper() for c in (form_text(form, "countries") or "").split(",") if c.strip()]
    if countries:
        body["filter"] = {"countries": countries}
    if form_text(form, "mode") == "daily_digest":
        body["mode"] = "daily_digest"
    created = await page.api.post("/subscriptions", body)
    listing = await page.api.all_pages("/subscriptions")
    return page.render("subscriptions.html", subscriptions=listing, secret=created, event_types=SUBSCRIBABLE_TYPES)


@router.get("/subscriptions/{subscription_id}")
async def subscription_page(page: PageDep, subscription_id: str, delivery: str | None = None) -> Response:
    subscription = await page.api.get(f"/subscriptions/{subscription_id}")
    deliveries = await page.api.get(f"/subscriptions/{subscription_id}/deliveries", {"limit": 100})
    detail = await page.api.get(f"/subscriptions/{subscription_id}/deliveries/{delivery}") if delivery else None
    return page.render(
        "subscription.html", subscription=subscription, deliveries=deliveries["items"], detail=detail, secret=None
    )


@router.post("/subscriptions/{subscription_id}/{action}")
async def subscription_action(page: PageDep, subscription_id: str, action: str) -> Response:
    form = await page.form()
    base = f"/subscriptions/{subscription_id}"
    if action == "test":
        await page.api.post(base + "/test")
        return page.back(base, page.t("subscription.test_sent"))
    if action == "replay":
        await page.api.post(f"{base}/deliveries/{form_text(form, 'delivery_id')}/replay")
        return page.back(base, page.t("subscription.replayed"))
    if action == "recover":
        await page.api.post(base + "/recover", {"since": _utc(form_text(form, "since"))})
        return page.back(base, page.t("subscription.recovered"))
    if action == "rotate":
        rotated = await page.api.post(base + "/secret/rotate")
        subscription = await page.api.get(base)
        deliveries = await page.api.get(base + "/deliveries", {"limit": 100})
        return page.render(
            "subscription.html", subscription=subscription, deliveries=deliveries["items"], detail=None, secret=rotated
        )
    if action == "delete":
        await page.api.delete(base)
        return page.back("/subscriptions", page.t("subscription.deleted"))
    raise ApiProblem(404, page.t("error.not_found"))


# --- administration -----------------------------------------------------------------------------------------


@router.get("/admin")
async def admin(page: PageDep) -> Response:
    return await _admin_page(page, issued=None)


@router.post("/admin/keys")
async def issue_key(page: PageDep) -> Response:
    form = await page.form()
    issued = await page.api.post("/api-keys", {"scope": form_text(form, "scope"), "name": form_text(form, "name")})
    return await _admin_page(page, issued=issued)


async def _admin_page(page: Page, issued: dict[str, Any] | None) -> Response:
    """Keys are the gateway's own; the registry is the tracker's, so the keys stay usable when it is down."""
    keys = await page.api.all_pages("/api-keys", limit=1000)
    try:
        registry, registry_problem = await page.api.get("/actors"), None
    except ApiProblem as problem:
        registry, registry_problem = None, problem
    return page.render("admin.html", keys=keys, registry=registry, registry_problem=registry_problem, issued=issued)


@router.post("/admin/keys/{key_id}/revoke")
async def revoke_key(page: PageDep, key_id: str) -> Response:
    await page.form()
    await page.api.delete(f"/api-keys/{key_id}")
    return page.back("/admin", page.t("admin.revoked"))


@router.post("/admin/ministries")
async def put_ministry(page: PageDep) -> Response:
    form = await page.form()
    code, slug = (form_text(form, "country") or "").upper(), form_text(form, "ministry") or ""
    areas = [a.strip() for a in (form_text(form, "areas") or "").split(",") if a.strip()]
    await page.api.put(f"/actors/countries/{code}/ministries/{slug}", {"name": form_text(form, "name"), "areas": areas})
    return page.back("/admin", page.t("admin.ministry_saved", country=code, ministry=slug))
