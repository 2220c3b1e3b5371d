"""Webhook subscriptions: where to deliver, which events, and the secret that signs them."""
