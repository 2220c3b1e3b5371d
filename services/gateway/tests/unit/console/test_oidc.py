"""The console's OIDC flow, the parts without a provider: PKCE, the flow cookie, the authorisation URL."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from resolute.gateway.console.oidc import Flow, OidcClient, SignInRefused


def test_the_challenge_is_s256_of_the_verifier_as_rfc_7636_computes_it() -> None:
    flow = Flow(state="s", verifier="dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", next_path="/")
    assert flow.challenge == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"  # RFC 7636, appendix B


def test_each_flow_is_random_and_survives_its_cookie() -> None:
    one, two = Flow.start("/inbox"), Flow.start("/inbox")
    assert one.state != two.state and one.verifier != two.verifier and len(one.verifier) >= 43
    assert Flow.from_cookie(one.cookie()) == one
    for broken in (None, "", "not base64 at all!", "WzEsMiwzXQ=="):  # the last: [1, 2, 3]
        assert Flow.from_cookie(broken) is None


def test_the_authorisation_url_asks_for_a_code_with_the_challenge() -> None:
    client = OidcClient(
        "console", "https://id.example.gov/authorize?tenant=x", "https://id.example.gov/token", "openid"
    )
    flow = Flow.start("/")
    url = urlsplit(client.authorize_redirect(flow, "https://resolute.example/sign-in/oidc/callback"))
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert query == {
        "tenant": "x", "response_type": "code", "client_id": "console", "scope": "openid", "state": flow.state,
        "redirect_uri": "https://resolute.example/sign-in/oidc/callback", "code_challenge": flow.challenge,
        "code_challenge_method": "S256",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("state", "code", "error", "reason"),
    [
        ("other", "c", None, "not started here"),
        (None, "c", None, "not started here"),
        ("s", None, None, "no authorisation code"),
        ("s", "c", "access_denied", "refused: access_denied"),
    ],
)
async def test_a_callback_that_does_not_match_its_flow_signs_nobody_in(
    state: str | None, code: str | None, error: str | None, reason: str
) -> None:
    client = OidcClient("console", "https://id.example.gov/authorize", "http://127.0.0.1:9/token", "openid")
    async with httpx.AsyncClient() as http:
        with pytest.raises(SignInRefused, match=reason):
            await client.sign_in(
                Flow("s", "v" * 43, "/"), state=state, code=code, error=error, redirect_uri="x", client=http,
                verifier=None,  # type: ignore[arg-type]  # never reached: refused before any token
            )  # fmt: skip
