"""Operational routes of the public API."""
