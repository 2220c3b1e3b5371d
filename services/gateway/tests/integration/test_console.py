"""The web console as a browser meets it, without the browser: sign-in, sessions, CSRF, scopes, pages, errors.

Each "browser" is an HTTP client of its own with its own cookie jar, talking to the gateway app. The pages that
need data run in front of the real services (ingest, tracker, notifier over HTTP, one broker).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
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
from resolute.shared.testing.fixtures import serving

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
