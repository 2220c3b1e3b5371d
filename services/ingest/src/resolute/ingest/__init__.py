"""Resolute ingest."""
