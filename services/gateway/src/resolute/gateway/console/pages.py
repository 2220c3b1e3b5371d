"""What every console page shares: the signed-in user, the API as that user, rendering, CSRF-checked forms.

A page handler asks for `Page` (the session, or a redirect to sign in), reads and writes through
`page.api` (the public API, console/api.py), and answers `page.render(template, **context)`. Form posts go
through `page.form()`, which refuses a form without the session's CSRF token (403 page) before anything is
done. A refusal of the API is shown as the problem's title and detail, never a trace.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, unquote

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData

from resolute.gateway.api_keys.scopes import Principal
from resolute.gateway.console.api import ApiProblem, ConsoleApi
from resolute.gateway.console.messages import Translator, choose_language
from resolute.gateway.console.sessions import CSRF_FIELD, SESSION_COOKIE, SignedIn, csrf_matches
from resolute.gateway.console.views import format_day, format_when, status_class
from resolute.gateway.state import gateway_state
from resolute.shared.logging import request_id_var

# Every script, style, image and form target is this host's: nothing loads from elsewhere, no inline script runs.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}

NOTICE_COOKIE = "resolute_notice"

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
TEMPLATES.env.filters.update(day=format_day, when=format_when, status_class=status_class)


class SignInFirst(Exception):
    """No live session: the page answers with a redirect to the sign-in page (and back after)."""

    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


class Forbidden(Exception):
    """The user may not see this page (a ministry opening another ministry's assignment)."""

    def __init__(self, detail: str) -> None:
        self.detail = detail


@dataclass
class Nav:
    href: str
    key: str


def navigation(principal: Principal) -> list[Nav]:
    """The menu for a role: everyone reads; ministries have their inbox; editors review; admins administer."""
    items = [Nav("/", "nav.dashboard"), Nav("/documents", "nav.documents"), Nav("/commitments", "nav.commitments")]
    if principal.role == "ministry":
        items.append(Nav("/inbox", "nav.inbox"))
    else:
        items.append(Nav("/assignments", "nav.assignments"))
    items += [Nav("/calendar", "nav.calendar"), Nav("/subscriptions", "nav.subscriptions")]
    if principal.role == "admin":
        items.append(Nav("/admin", "nav.admin"))
    return items


class Page:
    """One request of a signed-in user: their principal, the API as them, and how to answer."""

    def __init__(self, request: Request, signed_in: SignedIn, token: str, api: ConsoleApi) -> None:
        self.request = request
        self.signed_in = signed_in
        self.principal = signed_in.principal
        self.api = api
        self._token = token
        self.t = translator(request)

    @property
    def is_editor(self) -> bool:
        return self.principal.has_role("editor")

    @property
    def is_admin(self) -> bool:
        return self.principal.role == "admin"

    def render(self, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        return render(
            self.request,
            template,
            status_code,
            user=self.principal,
            csrf=self.signed_in.csrf_token,
            nav=navigation(self.principal),
            **context,
        )

    async def form(self) -> FormData:
        """The posted form, once its CSRF token proved it came from a console page of this session."""
        form = await self.request.form()
        presented = form.get(CSRF_FIELD)
        if not csrf_matches(self.signed_in.csrf_token, presented if isinstance(presented, str) else None):
            raise Forbidden(self.t("error.csrf"))
        return form

    def back(self, path: str, notice: str | None = None) -> RedirectResponse:
        """See-other to a console page, with a notice to show there once (a cookie, so no URL can forge one)."""
        response = RedirectResponse(path, status_code=303)
        if notice:
            response.set_cookie(NOTICE_COOKIE, quote(notice), max_age=60, httponly=True, samesite="strict", path="/")
        return response


def translator(request: Request) -> Translator:
    return Translator(choose_language(request.headers.get("accept-language")))


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    t = translator(request)
    notice = request.cookies.get(NOTICE_COOKIE)
    values = {"t": t, "lang": t.language, "path": request.url.path, "notice": unquote(notice) if notice else None}
    response = TEMPLATES.TemplateResponse(request, template, values | context, status_code=status_code)
    response.headers.update(PAGE_HEADERS)
    if notice:
        response.delete_cookie(NOTICE_COOKIE, path="/")
    return response


async def current_page(request: Request) -> AsyncIterator[Page]:
    token = request.cookies.get(SESSION_COOKIE)
    signed_in = await gateway_state(request).authenticator.console_session(token) if token else None
    if token is None or signed_in is None:
        next_path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInFirst(next_path)
    async with ConsoleApi(request.app, token, signed_in.csrf_token, request_id_var.get()) as api:
        page = Page(request, signed_in, token, api)
        request.state.console_page = page  # so that an error page still shows the user's menu
        yield page


PageDep = Annotated[Page, Depends(current_page)]


def sign_in_redirect(exc: SignInFirst) -> RedirectResponse:
    return RedirectResponse(f"/sign-in?next={quote(exc.next_path, safe='/')}", status_code=303)


def problem_page(request: Request, status: int, title: str, detail: str = "") -> Response:
    page = getattr(request.state, "console_page", None)
    if isinstance(page, Page):
        return page.render("problem.html", status, status=status, title=title, detail=detail)
    return render(request, "problem.html", status, status=status, title=title, detail=detail)


def api_problem_page(request: Request, exc: ApiProblem) -> Response:
    return problem_page(request, exc.status, exc.title, exc.detail)


def form_text(form: FormData, name: str) -> str | None:
    """A form field's text, None when left empty."""
    value = form.get(name)
    return value.strip() or None if isinstance(value, str) else None


def form_lines(form: FormData, name: str) -> list[str]:
    """A textarea's non-empty lines (evidence links, one a line)."""
    text = form_text(form, name) or ""
    return [line.strip() for line in text.splitlines() if line.strip()]
