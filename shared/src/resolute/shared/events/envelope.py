"""The CloudEvents-style envelope every Kafka message carries, with typed and versioned `data`."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from resolute.shared.events.catalogue import EVENT_CATALOGUE, event_spec, event_spec_for_model, unversioned
from resolute.shared.events.errors import EnvelopeError

__all__ = ["Envelope", "EnvelopeError", "decode_envelope", "new_envelope"]


class Envelope(BaseModel):
    """CloudEvents 1.0 attributes; `type` is dotted, past tense and versioned (`commitment.extracted.v1`)."""

    model_config = ConfigDict(frozen=True)

    specversion: str = "1.0"
    id: str
    type: str
    source: str
    time: datetime
    subject: str | None = None
    datacontenttype: str = "application/json"
    dataschema: str | None = None
    data: dict[str, Any] = Field(default_factory=dict)

    def to_bytes(self) -> bytes:
        return self.model_dump_json().encode()

    def typed_data(self) -> BaseModel:
        """The `data` validated against the model the catalogue lists for this type."""
        spec = event_spec(self.type)
        try:
            return spec.model.model_validate(self.data)
        except ValidationError as exc:
            raise EnvelopeError(f"{self.type} data does not match its schema: {exc.errors()[:3]}") from exc

    @property
    def webhook_type(self) -> str:
        """The type as ministries see it on webhooks: without the version suffix."""
        return unversioned(self.type)[0]


def new_envelope(
    data: BaseModel,
    *,
    source: str,
    subject: str | None = None,
    event_id: str | None = None,
    time: datetime | None = None,
) -> Envelope:
    """Wrap a catalogued event model; the type comes from the catalogue, never from a string at the call site."""
    spec = event_spec_for_model(type(data))
    return Envelope(
        id=event_id or str(uuid.uuid4()),
        type=spec.type,
        source=source,
        time=time or datetime.now(UTC),
        subject=subject,
        dataschema=f"urn:resolute:event:{spec.type}",
        data=data.model_dump(mode="json"),
    )


def decode_envelope(raw: bytes | None) -> Envelope:
    """Parse a message value; anything unparseable raises EnvelopeError."""
    if raw is None:
        raise EnvelopeError("empty message value")
    try:
        payload = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EnvelopeError(f"message value is not JSON: {exc}") from exc
    if not isinstance(payload, dict):
        raise EnvelopeError("message value is not a JSON object")
    try:
        envelope = Envelope.model_validate(payload)
    except ValidationError as exc:
        raise EnvelopeError(f"message is not an envelope: {exc.errors()[:3]}") from exc
    if envelope.type in EVENT_CATALOGUE:
        envelope.typed_data()
    return envelope
