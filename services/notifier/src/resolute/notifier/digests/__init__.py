"""Daily digests: a subscription's events of a day gathered into one signed message."""
