"""Resolute cli."""
