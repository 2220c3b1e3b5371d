"""Resolute gateway."""
