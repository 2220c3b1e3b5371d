"""Idempotency-Key on the gateway's creating routes: a retried request gets the first one's answer."""
