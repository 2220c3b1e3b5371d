"""OIDC access tokens (JWT) as an alternative to API keys, verified against the issuer's published keys."""
