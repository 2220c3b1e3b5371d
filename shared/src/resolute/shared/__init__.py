"""Resolute shared."""
