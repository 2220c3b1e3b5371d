"""Who is calling: API keys, OIDC access tokens and feed tokens, turned into one Principal; rate limits per caller."""
