"""Gateway settings: where the services are, the bootstrap admin key, OIDC, limits and CORS."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from limits import parse_many
from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import NoDecode

from resolute.shared.settings import ServiceSettings, service_env

MIGRATIONS_DIR = Path(__file__).resolve().parents[3] / "migrations"

CommaSeparated = Annotated[list[str], NoDecode]


class GatewaySettings(ServiceSettings):
    service_name: str = "gateway"
    port: int = Field(default=8000, validation_alias=AliasChoices("RESOLUTE_GATEWAY_PORT", "port"))
    database_url: str = Field(default="", validation_alias=service_env("gateway", "database_url"))
    admin_key: str | None = Field(
        default=None,
        validation_alias=AliasChoices("RESOLUTE_ADMIN_KEY", "admin_key"),
        description="bootstraps the first admin API key on a fresh stack",
    )
    ingest_url: str = Field(default="http://127.0.0.1:8101", validation_alias=service_env("gateway", "ingest_url"))
    tracker_url: str = Field(default="http://127.0.0.1:8102", validation_alias=service_env("gateway", "tracker_url"))
    notifier_url: str = Field(default="http://127.0.0.1:8103", validation_alias=service_env("gateway", "notifier_url"))
    upstream_timeout_seconds: float = Field(default=30.0, validation_alias=service_env("gateway", "upstream_timeout"))
    upstream_read_retries: int = Field(
        default=2, ge=0, le=5, validation_alias=service_env("gateway", "upstream_read_retries")
    )

    max_body_bytes: int = Field(
        default=1024 * 1024,
        ge=1024,
        validation_alias=service_env("gateway", "max_body_bytes"),
        description="largest request body on any route but the document upload",
    )
    max_upload_bytes: int = Field(
        default=20 * 1024 * 1024 + 64 * 1024,
        ge=1024,
        validation_alias=service_env("gateway", "max_upload_bytes"),
        description="largest document upload (the ingest service's limit plus multipart framing)",
    )
    rate_limit: str = Field(
        default="50/second;1000/minute",
        validation_alias=service_env("gateway", "rate_limit"),
        description="requests each key (or token) may make, e.g. '50/second;1000/minute'; empty for no limit",
    )

    auth_cache_seconds: float = Field(
        default=5.0,
        ge=0,
        validation_alias=service_env("gateway", "auth_cache_seconds"),
        description="how long a checked key is trusted without a lookup (another replica's revocation takes this long)",
    )

    cors_origins: CommaSeparated = Field(
        default_factory=list,
        validation_alias=service_env("gateway", "cors_origins"),
        description="portal origins allowed to call the API from a browser, comma-separated; '*' for any",
    )

    oidc_issuer: str | None = Field(default=None, validation_alias=service_env("gateway", "oidc_issuer"))
    oidc_audience: str | None = Field(default=None, validation_alias=service_env("gateway", "oidc_audience"))
    oidc_jwks_url: str | None = Field(default=None, validation_alias=service_env("gateway", "oidc_jwks_url"))
    oidc_scope_claim: str = Field(
        default="resolute_scope",
        validation_alias=service_env("gateway", "oidc_scope_claim"),
        description="the claim holding the Resolute scope (a string, space-separated string or list)",
    )
    oidc_algorithms: CommaSeparated = Field(
        default_factory=lambda: ["RS256", "ES256"], validation_alias=service_env("gateway", "oidc_algorithms")
    )
    oidc_jwks_cache_seconds: float = Field(
        default=300.0, ge=0, validation_alias=service_env("gateway", "oidc_jwks_cache_seconds")
    )

    console_session_seconds: int = Field(
        default=8 * 3600,
        ge=300,
        le=30 * 86400,
        validation_alias=service_env("gateway", "console_session_seconds"),
        description="how long a console sign-in lasts",
    )
    console_secure_cookies: bool = Field(
        default=False,
        validation_alias=service_env("gateway", "console_secure_cookies"),
        description="mark console cookies Secure even when the gateway sees plain http (behind a TLS proxy)",
    )
    console_oidc_client_id: str | None = Field(
        default=None,
        validation_alias=service_env("gateway", "console_oidc_client_id"),
        description="the console's OIDC client (a public client: authorisation code with PKCE)",
    )
    console_oidc_client_secret: str | None = Field(
        default=None,
        validation_alias=service_env("gateway", "console_oidc_client_secret"),
        description="only for identity providers that make every client confidential",
    )
    console_oidc_authorize_url: str | None = Field(
        default=None, validation_alias=service_env("gateway", "console_oidc_authorize_url")
    )
    console_oidc_token_url: str | None = Field(
        default=None, validation_alias=service_env("gateway", "console_oidc_token_url")
    )
    console_oidc_redirect_url: str | None = Field(
        default=None,
        validation_alias=service_env("gateway", "console_oidc_redirect_url"),
        description="the callback as the identity provider knows it (default: this gateway's /sign-in/oidc/callback)",
    )
    console_oidc_scopes: str = Field(default="openid", validation_alias=service_env("gateway", "console_oidc_scopes"))

    @field_validator("cors_origins", "oidc_algorithms", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("rate_limit")
    @classmethod
    def _rate_limit_parses(cls, value: str) -> str:
        if value.strip():
            try:
                parse_many(value)
            except ValueError as exc:
                raise ValueError(f"{value!r} is not a rate limit such as '50/second;1000/minute'") from exc
        return value.strip()

    @property
    def oidc_enabled(self) -> bool:
        return bool(self.oidc_issuer and self.oidc_jwks_url)

    @property
    def console_oidc_enabled(self) -> bool:
        """OIDC sign-in in the console: tokens can be verified, and the console has a client to get them."""
        return bool(
            self.oidc_enabled
            and self.console_oidc_client_id
            and self.console_oidc_authorize_url
            and self.console_oidc_token_url
        )

    @property
    def public_base_url(self) -> str:
        return f"http://{self.host}:{self.port}"
