"""Resolute notifier."""
