"""The web console as a browser meets it, without the browser: sign-in, sessions, CSRF, scopes, pages, errors.

Each "browser" is an HTTP client of its own with its own cookie jar, talking to the gateway app. The pages that
need data run in front of the real services (ingest, tracker, notifier over HTTP, one broker).
"""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi import FastAPI, Form
from fastapi.responses import JSONResponse, RedirectResponse

from resolute.gateway.console import router as console_router_module
from resolute.gateway.console.oidc import FLOW_COOKIE, Flow
from resolute.gateway.console.pages import CONTENT_SECURITY_POLICY
from resolute.gateway.console.sessions import CSRF_HEADER, PRE_SESSION_COOKIE, SESSION_COOKIE
from resolute.shared.testing.fixtures import eventually, serving

from .conftest import ADMIN_KEY, Gateway, GatewayFactory, IdentityProvider, SeedCommitments

pytestmark = pytest.mark.integration

CONSOLE = Path(console_router_module.__file__).parent
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Browser:
    """One person's browser: its own cookies, following nothing by itself (each redirect is checked)."""

    def __init__(self, app: FastAPI) -> None:
        self.client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://service")
        self.csrf: str | None = None

    async def sign_in(self, key: str, next_path: str = "/") -> httpx.Response:
        form = await self.client.get("/sign-in", params={"next": next_path})
        token = _CSRF.search(form.text)
        assert token, form.text
        response = await self.client.post(
            "/sign-in", data={"csrf_token": token.group(1), "key": key, "next": next_path}
        )
        if response.status_code == 303:
            page = await self.client.get(response.headers["location"])
            found = _CSRF.search(page.text)
            self.csrf = found.group(1) if found else None
        return response

    async def page(self, path: str, **params: Any) -> httpx.Response:
        response = await self.client.get(path, params=params)
        found = _CSRF.search(response.text)
        if found:
            self.csrf = found.group(1)
        return response

    async def submit(self, path: str, data: dict[str, Any], *, csrf: str | None = "session") -> httpx.Response:
        fields = dict(data)
        if csrf == "session":
            assert self.csrf, "open a page first"
            fields["csrf_token"] = self.csrf
        elif csrf is not None:
            fields["csrf_token"] = csrf
        return await self.client.post(path, data=fields)

    async def close(self) -> None:
        await self.client.aclose()


@asynccontextmanager
async def browser(gateway: Gateway) -> AsyncIterator[Browser]:
    person = Browser(gateway.app)
    try:
        yield person
    finally:
        await person.close()


@pytest.fixture
async def gw(make_gateway: GatewayFactory) -> AsyncIterator[Gateway]:
    async with make_gateway() as gateway:
        yield gateway


def _console_routes() -> list[tuple[str, str]]:
    """Every console route as (method, a concrete path), path parameters filled in."""
    routes = []
    for route in console_router_module.router.routes:
        path = re.sub(r"{(\w+)}", lambda m: "7" if m.group(1) == "ordinal" else "x" + uuid.uuid4().hex[:6], route.path)  # type: ignore[attr-defined]
        for method in route.methods:  # type: ignore[attr-defined]
            routes.append((method, path))
    return routes


def _problem_text(response: httpx.Response) -> str:
    """The visible title and detail of a problem page."""
    match = re.search(r'<section class="problem".*?</section>', response.text, re.S)
    assert match, response.text[:500]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0))).strip()


# --- signing in ---------------------------------------------------------------------------------------------


async def test_no_page_opens_without_signing_in(gw: Gateway) -> None:
    open_routes = {"/sign-in", "/sign-in/oidc", "/sign-in/oidc/callback"}
    routes = [(m, p) for m, p in _console_routes() if p not in open_routes]
    assert len(routes) >= 20
    async with browser(gw) as anyone:
        for method, path in routes:
            response = await anyone.client.request(method, path, params={"a": "b"} if method == "GET" else None)
            assert response.status_code == 303, (method, path, response.text[:200])
            location = urlsplit(response.headers["location"])
            assert location.path == "/sign-in", (method, path)
            if method == "GET":
                assert parse_qs(location.query)["next"] == [f"{path}?a=b"]
        assert (await anyone.client.get("/v1/me")).status_code == 401  # no cookie, no key: the API says so too


async def test_signing_in_with_a_key_opens_a_strict_httponly_session_and_signing_out_ends_it(gw: Gateway) -> None:
    async with browser(gw) as officer:
        response = await officer.sign_in(ADMIN_KEY, next_path="/admin")
        assert response.status_code == 303 and response.headers["location"] == "/admin"
        cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE + "="))
        attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
        assert {"httponly", "path", "max-age"} <= attributes and "samesite=strict" in cookie.lower()
        assert "secure" not in attributes  # plain http here; see the next test
        token = officer.client.cookies[SESSION_COOKIE]
        assert token.startswith("rss_")

        me = await officer.client.get("/v1/me")  # the API knows the session as the key's principal
        assert me.status_code == 200 and me.json()["scope"] == "admin"

        await officer.page("/")
        out = await officer.submit("/sign-out", {})
        assert out.status_code == 303 and out.headers["location"] == "/sign-in"
        assert SESSION_COOKIE not in officer.client.cookies

    async with browser(gw) as replay:  # the old cookie, presented again, opens nothing
        replay.client.cookies.set(SESSION_COOKIE, token)
        assert (await replay.client.get("/")).status_code == 303
        assert (await replay.client.get("/v1/me")).status_code == 401


async def test_cookies_are_secure_behind_tls(make_gateway: GatewayFactory) -> None:
    async with make_gateway(console_secure_cookies=True) as gateway, browser(gateway) as officer:
        form = await officer.client.get("/sign-in")
        assert "secure" in form.headers["set-cookie"].lower()


async def test_a_wrong_key_is_refused_on_the_sign_in_page(gw: Gateway) -> None:
    async with browser(gw) as someone:
        for key in ("rsk_not-a-key", "", "eyJhbGciOiJIUzI1NiJ9.e30.x"):
            response = await someone.sign_in(key)
            assert response.status_code == 401, key
            assert "This key is unknown or revoked" in response.text
            assert SESSION_COOKIE not in someone.client.cookies


async def test_a_sign_in_form_without_its_token_is_refused(gw: Gateway) -> None:
    async with browser(gw) as forger:
        response = await forger.client.post("/sign-in", data={"key": ADMIN_KEY, "csrf_token": "guess"})
        assert response.status_code == 403 and "did not come from this console" in _problem_text(response)
        await forger.client.get("/sign-in")  # a pre-session token exists now, but the form does not carry it
        response = await forger.client.post("/sign-in", data={"key": ADMIN_KEY})
        assert response.status_code == 403
        assert SESSION_COOKIE not in forger.client.cookies
        assert PRE_SESSION_COOKIE in forger.client.cookies


async def test_after_signing_in_the_way_back_stays_on_this_host(gw: Gateway) -> None:
    for target in ("//evil.example/x", "https://evil.example/", "javascript:alert(1)", "evil"):
        async with browser(gw) as officer:
            response = await officer.sign_in(ADMIN_KEY, next_path=target)
            assert response.headers["location"] == "/", target


# --- CSRF ---------------------------------------------------------------------------------------------------


async def test_a_form_without_the_sessions_csrf_token_is_refused_and_changes_nothing(gw: Gateway) -> None:
    async with browser(gw) as admin:
        await admin.sign_in(ADMIN_KEY)
        await admin.page("/admin")
        before = (await gw.get("/v1/api-keys")).json()["items"]
        for csrf in (None, "", "forged-" + uuid.uuid4().hex):
            response = await admin.submit("/admin/keys", {"scope": "reader", "name": "sneaky"}, csrf=csrf)
            assert response.status_code == 403, csrf
            assert "did not come from this console" in _problem_text(response)
        assert (await gw.get("/v1/api-keys")).json()["items"] == before

        issued = await admin.submit("/admin/keys", {"scope": "reader", "name": "real"})
        assert issued.status_code == 200 and "This key is shown only once" in issued.text
        assert len((await gw.get("/v1/api-keys")).json()["items"]) == len(before) + 1


async def test_the_api_called_with_a_session_cookie_needs_the_csrf_header_to_change_anything(gw: Gateway) -> None:
    async with browser(gw) as admin:
        await admin.sign_in(ADMIN_KEY)
        assert (await admin.client.get("/v1/api-keys")).status_code == 200
        refused = await admin.client.post("/v1/api-keys", json={"scope": "reader"})
        assert refused.status_code == 403 and refused.json()["type"].endswith("/csrf")
        wrong = await admin.client.post("/v1/api-keys", json={"scope": "reader"}, headers={CSRF_HEADER: "nope"})
        assert wrong.status_code == 403
        assert admin.csrf
        made = await admin.client.post("/v1/api-keys", json={"scope": "reader"}, headers={CSRF_HEADER: admin.csrf})
        assert made.status_code == 201


async def test_revoking_a_key_signs_out_everyone_who_signed_in_with_it(gw: Gateway) -> None:
    key = await gw.new_key("reader", "a desk officer")
    async with browser(gw) as reader, browser(gw) as admin:
        await reader.sign_in(key)
        assert (await reader.page("/documents")).status_code in (200, 502, 503)  # signed in (services are down)
        key_id = next(k["id"] for k in (await gw.get("/v1/api-keys")).json()["items"] if k["name"] == "a desk officer")
        await admin.sign_in(ADMIN_KEY)
        await admin.page("/admin")
        assert (await admin.submit(f"/admin/keys/{key_id}/revoke", {})).status_code == 303
        assert (await reader.client.get("/documents")).status_code == 303
        assert (await reader.client.get("/v1/me")).status_code == 401


# --- what pages are made of ---------------------------------------------------------------------------------


async def test_pages_allow_only_this_hosts_scripts_styles_and_images(gw: Gateway) -> None:
    async with browser(gw) as someone:
        page = await someone.client.get("/sign-in")
        assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert "default-src 'self'" in CONTENT_SECURITY_POLICY and "script-src 'self'" in CONTENT_SECURITY_POLICY
        assert page.headers["x-frame-options"] == "DENY" and page.headers["cache-control"] == "no-store"
        for asset in re.findall(r'(?:src|href)="(/[^"]+)"', page.text):
            assert (await someone.client.get(asset)).status_code == 200, asset

        docs = await someone.client.get("/docs")
        assets = re.findall(r"""(?:src|href|url)\s*[=:]\s*['"]([^'"]+)['"]""", docs.text)
        assert assets and all(a.startswith("/") for a in assets), assets
        for asset in assets:
            assert (await someone.client.get(asset)).status_code == 200, asset


def test_no_template_script_or_style_names_another_host() -> None:
    sources = [*CONSOLE.glob("templates/*.html"), *CONSOLE.glob("static/*")]
    assert len(sources) > 15
    absolute = re.compile(r"""(?:src|href|action|url)\s*[=(]\s*["']?(?:https?:)?//""", re.I)
    offenders = [str(p.name) for p in sources if absolute.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
    scripts = [p.name for p in CONSOLE.glob("templates/*.html") if re.search(r"<script(?![^>]*\bsrc=)", p.read_text())]
    assert scripts == []  # no inline script: the CSP would refuse it
    styles = [p.name for p in CONSOLE.glob("templates/*.html") if re.search(r"""\sstyle=["']""", p.read_text())]
    assert styles == []


async def test_a_service_that_is_down_is_a_page_people_can_read(gw: Gateway) -> None:
    async with browser(gw) as officer:
        await officer.sign_in(ADMIN_KEY)
        response = await officer.page("/commitments")
        assert response.status_code in (502, 503)
        text = _problem_text(response)
        assert "tracker" in text.lower() and "Traceback" not in response.text
        assert '<nav aria-label="Main">' in response.text  # still the signed-in user's page


# --- OIDC ---------------------------------------------------------------------------------------------------


class AuthorisationServer(IdentityProvider):
    """The identity provider's authorisation and token endpoints, checking PKCE as a real one does."""

    client_id = "resolute-console"

    def __init__(self) -> None:
        super().__init__()
        self.kid = self.new_key()
        self.codes: dict[str, dict[str, str]] = {}
        self.roles = "ministry:EE:defence"

        @self.app.get("/authorize")
        async def authorize_request(
            response_type: str, client_id: str, redirect_uri: str, state: str, code_challenge: str,
            code_challenge_method: str, scope: str = "",
        ) -> RedirectResponse:  # fmt: skip
            assert response_type == "code" and client_id == self.client_id and code_challenge_method == "S256"
            code = uuid.uuid4().hex
            self.codes[code] = {"challenge": code_challenge, "redirect_uri": redirect_uri}
            return RedirectResponse(f"{redirect_uri}?code={code}&state={state}", status_code=302)

        @self.app.post("/token")
        async def token(
            grant_type: str = Form(), code: str = Form(), redirect_uri: str = Form(), client_id: str = Form(),
            code_verifier: str = Form(),
        ) -> JSONResponse:  # fmt: skip
            grant = self.codes.pop(code, None)
            verified = grant is not None and Flow("", code_verifier, "").challenge == grant["challenge"]
            if grant_type != "authorization_code" or not verified or grant["redirect_uri"] != redirect_uri:
                return JSONResponse({"error": "invalid_grant"}, status_code=400)
            access = self.token(self.kid, roles=self.roles, name="Kadri Tamm", sub="kadri")
            return JSONResponse({"access_token": access, "token_type": "Bearer", "expires_in": 300})


@asynccontextmanager
async def oidc_gateway(make_gateway: GatewayFactory, provider: AuthorisationServer) -> AsyncIterator[Gateway]:
    async with serving(provider.app) as idp:
        settings = {
            "oidc_issuer": provider.issuer,
            "oidc_audience": provider.audience,
            "oidc_jwks_url": f"{idp}/jwks",
            "oidc_scope_claim": "roles",
            "console_oidc_client_id": provider.client_id,
            "console_oidc_authorize_url": f"{idp}/authorize",
            "console_oidc_token_url": f"{idp}/token",
        }
        async with make_gateway(**settings) as gateway:
            yield gateway


async def _to_provider_and_back(person: Browser, next_path: str) -> tuple[httpx.Response, str]:
    """Start at the console, let the provider (a real HTTP server) answer, and return the callback URL."""
    start = await person.client.get("/sign-in/oidc", params={"next": next_path})
    assert start.status_code == 303
    async with httpx.AsyncClient() as to_provider:
        answer = await to_provider.get(start.headers["location"])
    assert answer.status_code == 302
    return start, answer.headers["location"]


async def test_oidc_sign_in_is_the_authorisation_code_flow_with_pkce(make_gateway: GatewayFactory) -> None:
    provider = AuthorisationServer()
    async with oidc_gateway(make_gateway, provider) as gateway, browser(gateway) as kadri:
        form = await kadri.client.get("/sign-in")
        assert 'href="/sign-in/oidc?next=' in form.text

        start, callback = await _to_provider_and_back(kadri, "/inbox")
        query = parse_qs(urlsplit(start.headers["location"]).query)
        assert query["code_challenge_method"] == ["S256"] and query["redirect_uri"] == [
            "http://service/sign-in/oidc/callback"
        ]
        assert "samesite=lax" in start.headers["set-cookie"].lower()  # survives the provider's redirect back

        back = await kadri.client.get(callback)
        assert back.status_code == 200 and 'content="0; url=/inbox"' in back.text
        assert FLOW_COOKIE not in kadri.client.cookies
        me = (await kadri.client.get("/v1/me")).json()
        assert me == {
            "id": "oidc:kadri", "name": "Kadri Tamm", "scope": "ministry:EE:defence", "role": "ministry",
            "country": "EE", "ministry": "defence",
        }  # fmt: skip


async def test_an_oidc_callback_that_is_not_this_browsers_flow_signs_nobody_in(make_gateway: GatewayFactory) -> None:
    provider = AuthorisationServer()
    async with oidc_gateway(make_gateway, provider) as gateway:
        async with browser(gateway) as victim, browser(gateway) as attacker:
            _, callback = await _to_provider_and_back(attacker, "/")
            refused = await victim.client.get(callback)  # the attacker's code, in the victim's browser
            assert refused.status_code == 401 and "not started here" in refused.text
            assert SESSION_COOKIE not in victim.client.cookies

        async with browser(gateway) as kadri:
            _, callback = await _to_provider_and_back(kadri, "/")
            flow = Flow.from_cookie(kadri.client.cookies[FLOW_COOKIE])
            assert flow is not None
            kadri.client.cookies.set(FLOW_COOKIE, Flow(flow.state, "x" * 43, "/").cookie())  # a wrong verifier
            refused = await kadri.client.get(callback)
            assert refused.status_code == 401 and "refused the code (400)" in refused.text
            assert SESSION_COOKIE not in kadri.client.cookies

        provider.roles = "openid profile"  # a user the provider knows, with no Resolute scope
        async with browser(gateway) as stranger:
            _, callback = await _to_provider_and_back(stranger, "/")
            refused = await stranger.client.get(callback)
            assert refused.status_code == 401 and "holds no Resolute scope" in refused.text


# --- pages in front of the real services --------------------------------------------------------------------


@pytest.fixture
async def people(gateway: Gateway) -> dict[str, str]:
    return {
        "admin": ADMIN_KEY,
        "editor": await gateway.new_key("editor", "Secretariat editor"),
        "reader": await gateway.new_key("reader", "Portal reader"),
        "ee-defence": await gateway.new_key("ministry:EE:defence", "Estonian Ministry of Defence"),
        "lv-defence": await gateway.new_key("ministry:LV:defence", "Latvian Ministry of Defence"),
    }


async def _assignment_ids(gateway: Gateway, country: str) -> list[str]:
    listing = await gateway.get("/v1/assignments", params={"country": country, "limit": 200})
    return [a["id"] for a in listing.json()["items"]]


async def test_every_page_opens_for_every_role(
    gateway: Gateway, people: dict[str, str], seed_commitments: SeedCommitments
) -> None:
    commitment_id = (await seed_commitments(3))[0]
    assignment_id = (await _assignment_ids(gateway, "EE"))[0]
    document_id = (await gateway.get(f"/v1/commitments/{commitment_id}")).json()["document_id"]
    pages = [
        "/", "/documents", "/commitments", f"/commitments/{commitment_id}", "/assignments",
        f"/assignments/{assignment_id}", "/calendar", "/subscriptions",
        f"/commitments/{commitment_id}?as_of=2026-01-01",
    ]  # fmt: skip
    for role, key in people.items():
        async with browser(gateway) as person:
            assert (await person.sign_in(key)).status_code == 303, role
            for path in [*pages, "/inbox", "/admin"]:
                response = await person.page(path)
                expected = 200
                if path == "/admin" and role != "admin":
                    expected = 403
                if path == "/inbox" and not role.endswith("defence"):
                    expected = 303  # the inbox is a ministry's; others see every assignment
                if path == f"/assignments/{assignment_id}" and role == "lv-defence":
                    expected = 403
                assert response.status_code == expected, (role, path, response.text[:300])
                assert "Traceback" not in response.text
            menu = (await person.page("/")).text
            assert ('href="/inbox"' in menu) == role.endswith("defence")
            assert ('href="/admin"' in menu) == (role == "admin")
    assert document_id  # the seeded document has no text stored in ingest: its page is the ingest's 404
    async with browser(gateway) as editor:
        await editor.sign_in(people["editor"])
        missing = await editor.page(f"/documents/{document_id}")
        assert missing.status_code == 404 and "Traceback" not in missing.text


async def test_a_ministry_sees_only_its_own_assignments_and_another_ministrys_is_a_403_page(
    gateway: Gateway, people: dict[str, str], seed_commitments: SeedCommitments
) -> None:
    await seed_commitments(2)
    estonian, latvian = await _assignment_ids(gateway, "EE"), await _assignment_ids(gateway, "LV")
    async with browser(gateway) as ee:
        await ee.sign_in(people["ee-defence"])
        inbox = (await ee.page("/inbox")).text
        assert all(f"/assignments/{a}" in inbox for a in estonian)
        assert not any(f"/assignments/{a}" in inbox for a in latvian)
        listing = (await ee.page("/assignments")).text
        assert not any(f"/assignments/{a}" in listing for a in latvian)
        refused = await ee.page(f"/assignments/{latvian[0]}")
        assert refused.status_code == 403
        assert "belongs to another ministry" in _problem_text(refused)
        report = await ee.submit(f"/assignments/{latvian[0]}/status", {"status": "completed"})
        assert report.status_code == 403
    latvian_now = (await gateway.get(f"/v1/assignments/{latvian[0]}")).json()
    assert latvian_now["status"] == "not_reported"


async def test_a_ministry_reports_with_evidence_and_the_editor_verifies(
    gateway: Gateway, people: dict[str, str], seed_commitments: SeedCommitments
) -> None:
    await seed_commitments(1)
    assignment_id = (await _assignment_ids(gateway, "EE"))[0]
    async with browser(gateway) as ee:
        await ee.sign_in(people["ee-defence"])
        await ee.page(f"/assignments/{assignment_id}")
        refused = await ee.submit(
            f"/assignments/{assignment_id}/status", {"status": "in_progress", "evidence_urls": "not a link"}
        )
        assert refused.status_code == 422 and "Traceback" not in refused.text
        assert (await gateway.get(f"/v1/assignments/{assignment_id}")).json()["status"] == "not_reported"

        sent = await ee.submit(
            f"/assignments/{assignment_id}/status",
            {
                "status": "in_progress",
                "note": "Procurement of the rail gauge study started.",
                "evidence_urls": "https://www.kaitseministeerium.ee/et/uudised/1\n\nhttps://www.riigiteataja.ee/akt/2",
            },
        )
        assert sent.status_code == 303 and sent.headers["location"] == f"/assignments/{assignment_id}"
        shown = await ee.page(f"/assignments/{assignment_id}")
        assert "Your report is recorded." in shown.text and "Procurement of the rail gauge study" in shown.text
        assert "Your report is recorded." not in (await ee.page(f"/assignments/{assignment_id}")).text  # once
    after = (await gateway.get(f"/v1/assignments/{assignment_id}")).json()
    assert after["status"] == "in_progress" and after["verification"] == "pending"
    assert after["evidence_urls"] == [
        "https://www.kaitseministeerium.ee/et/uudised/1",
        "https://www.riigiteataja.ee/akt/2",
    ]

    async with browser(gateway) as editor:
        await editor.sign_in(people["editor"])
        await editor.page(f"/assignments/{assignment_id}")
        verified = await editor.submit(f"/assignments/{assignment_id}/status", {"status": "in_progress"})
        assert verified.status_code == 303
        page = await editor.page(f"/assignments/{assignment_id}")
        assert 'data-field="verification"><span class="badge verification-verified">' in page.text
    assert (await gateway.get(f"/v1/assignments/{assignment_id}")).json()["verification"] == "verified"


# --- review and correction through the pages ---------------------------------------------------------------

_RESOLUTION = """RESOLUTION
of the 50th Session of the Baltic Assembly
Tallinn, 20 November 2031

The Baltic Assembly,

calls on the governments of Estonia, Latvia and Lithuania:
- to build a joint reserve of ammunition by the end of 2033;
- to agree on the shared air defence plan at the 37th Baltic Council;

calls on the Baltic Council of Ministers:
- to report on the rail connections every year.
"""


async def _uploaded(gateway: Gateway, editor: Browser) -> tuple[str, list[dict[str, Any]]]:
    """The editor uploads a resolution through the console's form; its id and commitments once it is read."""
    await editor.page("/documents")
    files = {"file": ("ba-50th-session-resolution.txt", _RESOLUTION.encode(), "text/plain")}
    assert editor.csrf
    sent = await editor.client.post("/documents/upload", data={"csrf_token": editor.csrf}, files=files)
    assert sent.status_code == 303, sent.text

    async def read() -> list[dict[str, Any]] | None:
        listing = (await gateway.get("/v1/documents", params={"status": "processed"})).json()["items"]
        mine = [d for d in listing if d.get("filename") == "ba-50th-session-resolution.txt"]
        if not mine:
            return None
        items = (await gateway.get(f"/v1/documents/{mine[0]['id']}/commitments")).json()["items"]
        return [{"document_id": mine[0]["id"], **c} for c in items] or None

    commitments = await eventually(read, timeout=30)
    assert isinstance(commitments, list) and len(commitments) == 3
    return commitments[0]["document_id"], commitments


def _form_of(page: str) -> dict[str, str]:
    """The correction form's fields as the page fills them (what a browser would send back unchanged)."""
    form = page[: page.index('/correct">')]
    form = page[form.rindex("<form") :]
    form = form[: form.index("</form>")]
    fields = dict(re.findall(r'<input id="c-[a-z]+" name="([a-z_]+)"(?: [a-z]+="[^"]*")*? value="([^"]*)"', form))
    for name, value in re.findall(r'<textarea id="c-[a-z]+" name="([a-z_]+)"[^>]*>([^<]*)</textarea>', form):
        fields[name] = value
    kind = re.search(r'<option value="([a-z]+)" selected>', form)
    fields["deadline_kind"] = kind.group(1) if kind else ""
    return {name: html.unescape(value) for name, value in fields.items()}


async def test_an_editor_corrects_a_deadline_on_the_review_page_and_the_record_follows(
    gateway: Gateway, people: dict[str, str]
) -> None:
    async with browser(gateway) as editor:
        await editor.sign_in(people["editor"])
        document_id, commitments = await _uploaded(gateway, editor)
        ammunition = next(c for c in commitments if "ammunition" in c["text"])
        page = await editor.page(f"/documents/{document_id}", commitment=ammunition["id"])
        assert page.status_code == 200 and "Correct this commitment" in page.text
        shown = _form_of(page.text)
        assert shown["deadline_kind"] == ammunition["deadline"]["kind"]

        unchanged = await editor.submit(
            f"/documents/{document_id}/commitments/{ammunition['id']}/correct", {**shown, "reason": "checked"}
        )
        assert unchanged.status_code == 422 and "Nothing changed" in _problem_text(unchanged)

        corrected = await editor.submit(
            f"/documents/{document_id}/commitments/{ammunition['id']}/correct",
            {**shown, "deadline_kind": "date", "deadline_verbatim": "by 30 June 2033", "deadline_date": "2033-06-30",
             "deadline_year": "", "reason": "the session moved the date forward (see the minutes)"},
        )  # fmt: skip
        assert corrected.status_code == 303, corrected.text
        assert corrected.headers["location"] == f"/documents/{document_id}?commitment={ammunition['id']}#detail"
        after = await editor.page(f"/documents/{document_id}", commitment=ammunition["id"])
        assert "Corrected (1 field(s))" in after.text
        assert "the session moved the date forward" in after.text and "by 30 June 2033 (2033-06-30)" in after.text

    revised = next(
        c for c in (await gateway.get(f"/v1/documents/{document_id}/commitments")).json()["items"]
        if c["id"] == ammunition["id"]
    )  # fmt: skip
    assert revised["deadline"]["date"] == "2033-06-30" and revised["text"] == ammunition["text"]
    corrections = (await gateway.get(f"/v1/commitments/{ammunition['id']}/corrections")).json()["items"]
    assert [c["kind"] for c in corrections] == ["revise"]
    assert [ch["field"] for ch in corrections[0]["commitments"][0]["changes"]] == ["deadline"]

    async def tracked() -> bool:
        detail = (await gateway.get(f"/v1/commitments/{ammunition['id']}")).json()
        return bool(detail.get("due_date") == "2033-06-30")

    await eventually(tracked, timeout=30)
    async with browser(gateway) as reader:
        await reader.sign_in(people["reader"])
        history = await reader.page(f"/commitments/{ammunition['id']}")
        assert "Corrections (1)" in history.text and "the session moved the date forward" in history.text
        assert "Correct this commitment" not in (await reader.page(f"/documents/{document_id}")).text


async def test_a_ministry_cannot_correct_and_a_withdrawal_needs_its_reason(
    gateway: Gateway, people: dict[str, str]
) -> None:
    async with browser(gateway) as editor:
        await editor.sign_in(people["editor"])
        document_id, commitments = await _uploaded(gateway, editor)
        target = commitments[-1]
        async with browser(gateway) as ee:
            await ee.sign_in(people["ee-defence"])
            await ee.page("/")
            refused = await ee.submit(
                f"/documents/{document_id}/commitments/{target['id']}/withdraw", {"reason": "not ours"}
            )
            assert refused.status_code == 403 and "Traceback" not in refused.text
        await editor.page(f"/documents/{document_id}", commitment=target["id"])
        no_reason = await editor.submit(f"/documents/{document_id}/commitments/{target['id']}/withdraw", {})
        assert no_reason.status_code == 422 and "Say why" in _problem_text(no_reason)
        standing = (await gateway.get(f"/v1/documents/{document_id}/commitments")).json()["items"]
        assert target["id"] in {c["id"] for c in standing}

        withdrawn = await editor.submit(
            f"/documents/{document_id}/commitments/{target['id']}/withdraw",
            {"reason": "a report the Council of Ministers owes the Assembly, not a government commitment"},
        )
        assert withdrawn.status_code == 303
        page = await editor.page(f"/documents/{document_id}")
        assert "Withdrawn: its assignments are closed." in page.text
        assert f'id="c-{target["id"]}"' not in page.text  # no longer highlighted as a commitment
        assert "Corrections (1)" in page.text
    standing = (await gateway.get(f"/v1/documents/{document_id}/commitments")).json()["items"]
    assert target["id"] not in {c["id"] for c in standing}


async def test_an_editor_adds_a_commitment_from_a_span_after_seeing_the_proposal(
    gateway: Gateway, people: dict[str, str]
) -> None:
    async with browser(gateway) as editor:
        await editor.sign_in(people["editor"])
        document_id, commitments = await _uploaded(gateway, editor)
        text = (await gateway.get(f"/v1/documents/{document_id}/text")).json()["text"]
        # the editor withdraws the rail item, then adds it back from its words: the extractor proposes its fields
        rail = next(c for c in commitments if "rail" in c["text"])
        await editor.page(f"/documents/{document_id}", commitment=rail["id"])
        await editor.submit(
            f"/documents/{document_id}/commitments/{rail['id']}/withdraw", {"reason": "read again below"}
        )
        words = "to report on the rail connections every year"
        start = len(text[: text.index(words)])
        proposal = await editor.page(f"/documents/{document_id}", start=start, end=start + len(words))
        assert proposal.status_code == 200 and "The extractor reads" in proposal.text
        assert f'name="start" value="{start}"' in proposal.text
        added = await editor.submit(
            f"/documents/{document_id}/commitments/add",
            {"start": str(start), "end": str(start + len(words)), "reason": "the Council of Ministers owes it"},
        )
        assert added.status_code == 303, added.text
        assert "?commitment=" in added.headers["location"]
        new_id = added.headers["location"].split("?commitment=")[1].split("#")[0]
        shown = await editor.page(f"/documents/{document_id}", commitment=new_id)
        assert "Added: the extractor" in shown.text and f'id="c-{new_id}"' in shown.text
        bad = await editor.submit(
            f"/documents/{document_id}/commitments/add", {"start": "", "end": "", "reason": "x y z"}
        )
        assert bad.status_code == 422 and "Choose the words first" in _problem_text(bad)
    standing = (await gateway.get(f"/v1/documents/{document_id}/commitments")).json()["items"]
    assert any(c["id"] == new_id and c["origin"] == "added" for c in standing)


class _FormReader(HTMLParser):
    """The fields of one form of a page as a browser would send them back unchanged (ticked boxes only)."""

    def __init__(self, action: str) -> None:
        super().__init__(convert_charrefs=True)
        self.action, self.inside, self.fields = action, False, {}  # type: dict[str, str]
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("action") == self.action and not self.fields
        elif not self.inside:
            return
        elif tag == "input" and a.get("name") and (a.get("type") != "checkbox" or "checked" in a):
            self.fields[a["name"]] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.fields[self._textarea or ""] = ""
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.fields[self._select] = a.get("value", "")

    def handle_data(self, data: str) -> None:
        if self.inside and self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.inside:
            self.inside = False
            self.fields.setdefault("", "")
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def _fields(page: str, action: str) -> dict[str, str]:
    reader = _FormReader(action)
    reader.feed(page)
    fields = {k: v for k, v in reader.fields.items() if k}
    assert fields, f"no form posting to {action}"
    fields.pop("csrf_token", None)
    return fields


async def test_an_editor_splits_a_commitment_where_its_words_are_marked_and_merges_it_back(
    gateway: Gateway, people: dict[str, str]
) -> None:
    async with browser(gateway) as editor:
        await editor.sign_in(people["editor"])
        document_id, commitments = await _uploaded(gateway, editor)
        ammunition = next(c for c in commitments if "ammunition" in c["text"])
        base = f"/documents/{document_id}/commitments/{ammunition['id']}"
        page = await editor.page(f"/documents/{document_id}", commitment=ammunition["id"])
        assert "Split into several commitments" in page.text and "Merge with its neighbours" in page.text
        words = _fields(page.text, base + "/split")["parts"]
        assert "ammunition by the end of 2033" in words

        marked = words.replace(" by the end", "\n---\nby the end")
        changed = await editor.submit(base + "/split", {"parts": marked.replace("2033", "2034"), "reason": "x y z"})
        assert changed.status_code == 422 and "only add --- lines" in _problem_text(changed)
        split = await editor.submit(base + "/split", {"parts": marked, "reason": "two duties, each with its own date"})
        assert split.status_code == 303, split.text
        after = (await gateway.get(f"/v1/documents/{document_id}/commitments")).json()["items"]
        assert len(after) == 4
        first, second = after[0], after[1]
        assert first["id"] == ammunition["id"] and first["text"].endswith("reserve of ammunition")
        assert second["text"].startswith("by the end of 2033")

        page = await editor.page(f"/documents/{document_id}", commitment=ammunition["id"])
        assert "Split into 2 commitments" in page.text
        none_ticked = await editor.submit(base + "/merge", {"reason": "read as one again"})
        assert none_ticked.status_code == 422 and "Tick at least one" in _problem_text(none_ticked)
        merged = await editor.submit(base + "/merge", {"merge_with": second["id"], "reason": "one duty after all"})
        assert merged.status_code == 303, merged.text
        page = await editor.page(f"/documents/{document_id}", commitment=ammunition["id"])
        assert "2 commitments merged into one" in page.text
    standing = (await gateway.get(f"/v1/documents/{document_id}/commitments")).json()["items"]
    assert len(standing) == 3 and standing[0]["id"] == ammunition["id"]
    corrections = (await gateway.get(f"/v1/documents/{document_id}/corrections")).json()["items"]
    assert sorted(c["kind"] for c in corrections) == ["merge", "split"]


async def test_an_editor_corrects_the_documents_own_facts_and_the_meetings_it_dates(
    gateway: Gateway, people: dict[str, str]
) -> None:
    async with browser(gateway) as editor:
        await editor.sign_in(people["editor"])
        document_id, commitments = await _uploaded(gateway, editor)
        page = await editor.page(f"/documents/{document_id}")
        assert "The document&#39;s own facts" in page.text
        shown = _fields(page.text, f"/documents/{document_id}/facts")
        assert shown["place"] == "Tallinn" and shown["kind"] == "resolution" and shown["part"] == "0"

        unchanged = await editor.submit(f"/documents/{document_id}/facts", {**shown, "reason": "checked"})
        assert unchanged.status_code == 422 and "Nothing changed" in _problem_text(unchanged)
        bad = await editor.submit(f"/documents/{document_id}/facts", {**shown, "session": "fifty", "reason": "x y z"})
        assert bad.status_code == 422 and "session 'fifty' is not a number" in html.unescape(_problem_text(bad))

        row = shown["calendar_rows"]
        meeting = {f"cf{int(row) - 1}_series": "baltic-council", f"cf{int(row) - 1}_ordinal": "37",
                   f"cf{int(row) - 1}_start": "2031-12-01", f"cf{int(row) - 1}_place": "Vilnius"}  # fmt: skip
        corrected = await editor.submit(
            f"/documents/{document_id}/facts",
            {**shown, **meeting, "place": "Riga", "reason": "adopted in Riga; the minutes date the 37th Council"},
        )
        assert corrected.status_code == 303, corrected.text
        page = await editor.page(f"/documents/{document_id}")
        assert "Facts corrected (2)" in page.text and "corrected: title" not in page.text
        assert "corrected: place, calendar_facts" in page.text

    part = (await gateway.get(f"/v1/documents/{document_id}")).json()["parts"][0]
    assert part["place"] == "Riga"
    assert {"series": "baltic-council", "ordinal": 37, "start": "2031-12-01"}.items() <= next(
        f for f in part["calendar_facts"] if f["series"] == "baltic-council"
    ).items()
    air_defence = next(c for c in commitments if "air defence" in c["text"])

    async def dated() -> bool:  # the tracker learned the meeting's date: the deadline follows
        detail = (await gateway.get(f"/v1/commitments/{air_defence['id']}")).json()
        return bool(detail.get("due_date") == "2031-12-01")

    await eventually(dated, timeout=30)
