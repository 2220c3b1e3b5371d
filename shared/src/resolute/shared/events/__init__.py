"""Events: one envelope for every message, and one catalogue listing every event type with its model."""

from resolute.shared.events.catalogue import EVENT_CATALOGUE, EventSpec, event_spec
from resolute.shared.events.envelope import Envelope, EnvelopeError, decode_envelope, new_envelope

__all__ = [
    "EVENT_CATALOGUE",
    "Envelope",
    "EnvelopeError",
    "EventSpec",
    "decode_envelope",
    "event_spec",
    "new_envelope",
]
