"""Signing in to the console through the organisation's identity provider: authorisation code with PKCE.

The console is a public client: it sends the browser to the provider with a random `state` and the
S256 challenge of a random verifier, both remembered in a short-lived HttpOnly cookie; the provider sends
the browser back with a code, which the gateway exchanges (with the verifier) for an access token. That
token is verified exactly as a bearer token on /v1 is (issuer, audience, signature, the scope claim), so an
OIDC user has in the console the scope the API would give them. Only then does a console session start.

The flow's cookie is SameSite=Lax (the provider's redirect back is a cross-site navigation that a Strict
cookie would not survive); it holds nothing but the flow's own random values and expires in ten minutes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass
from urllib.parse import urlencode

import httpx

from resolute.gateway.api_keys.scopes import Principal
from resolute.gateway.oidc.verifier import InvalidToken, JwtVerifier, KeysUnavailable, MissingScope

FLOW_COOKIE = "resolute_oidc"
FLOW_SECONDS = 600


class SignInRefused(Exception):
    """The provider's answer does not sign anyone in; the message says why, for the sign-in page."""


@dataclass(frozen=True)
class Flow:
    """One sign-in in progress: what the callback must see again, and where to go after."""

    state: str
    verifier: str
    next_path: str

    @classmethod
    def start(cls, next_path: str) -> Flow:
        return cls(secrets.token_urlsafe(24), secrets.token_urlsafe(48), next_path)

    @property
    def challenge(self) -> str:
        digest = hashlib.sha256(self.verifier.encode("ascii")).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")

    def cookie(self) -> str:
        return base64.urlsafe_b64encode(json.dumps([self.state, self.verifier, self.next_path]).encode()).decode()

    @classmethod
    def from_cookie(cls, value: str | None) -> Flow | None:
        if not value:
            return None
        try:
            state, verifier, next_path = json.loads(base64.urlsafe_b64decode(value.encode()))
        except (ValueError, TypeError):
            return None
        if not all(isinstance(v, str) for v in (state, verifier, next_path)):
            return None
        return cls(state, verifier, next_path)


@dataclass(frozen=True)
class OidcClient:
    """The console as a client of the identity provider."""

    client_id: str
    authorize_url: str
    token_url: str
    scopes: str
    client_secret: str | None = None

    def authorize_redirect(self, flow: Flow, redirect_uri: str) -> str:
        query = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": redirect_uri,
            "scope": self.scopes,
            "state": flow.state,
            "code_challenge": flow.challenge,
            "code_challenge_method": "S256",
        }
        separator = "&" if "?" in self.authorize_url else "?"
        return self.authorize_url + separator + urlencode(query)

    async def sign_in(
        self,
        flow: Flow | None,
        *,
        state: str | None,
        code: str | None,
        error: str | None,
        redirect_uri: str,
        client: httpx.AsyncClient,
        verifier: JwtVerifier,
    ) -> Principal:
        """The principal the provider's callback signs in, or SignInRefused with the reason."""
        if error:
            raise SignInRefused(f"the identity provider refused: {error}")
        if flow is None or not state or not secrets.compare_digest(flow.state, state):
            raise SignInRefused("this sign-in was not started here, or took too long; start again")
        if not code:
            raise SignInRefused("the identity provider sent no authorisation code")
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "client_id": self.client_id,
            "code_verifier": flow.verifier,
        }
        if self.client_secret:
            form["client_secret"] = self.client_secret
        try:
            response = await client.post(self.token_url, data=form, headers={"Accept": "application/json"})
        except httpx.HTTPError as exc:
            raise SignInRefused(f"the identity provider cannot be reached ({type(exc).__name__})") from exc
        if response.status_code != 200:
            raise SignInRefused(f"the identity provider refused the code ({response.status_code})")
        try:
            token = response.json().get("access_token")
        except ValueError:
            token = None
        if not isinstance(token, str) or not token:
            raise SignInRefused("the identity provider's answer holds no access token")
        try:
            return await verifier.verify(token)
        except (InvalidToken, MissingScope, KeysUnavailable) as exc:
            raise SignInRefused(str(exc)) from exc
