"""API keys: shown once, stored hashed, scoped, revocable."""
