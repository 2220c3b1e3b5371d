"""What goes wrong reading a message, in a module of its own so that the envelope and the catalogue can both
raise it without importing each other."""

from __future__ import annotations


class EnvelopeError(ValueError):
    """A message that is not a well-formed envelope of a known event type: it belongs in the dead-letter topic."""
