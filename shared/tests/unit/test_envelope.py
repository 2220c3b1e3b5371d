"""The envelope and the catalogue: typed, versioned, and strict about what is not an envelope."""

from __future__ import annotations

import json

import pytest

from resolute.shared.events import EVENT_CATALOGUE, EnvelopeError, decode_envelope, new_envelope
from resolute.shared.events.catalogue import (
    WEBHOOK_EVENT_TYPES,
    CommitmentAssignedV1,
    EventSpec,
    public_event_types,
    unversioned,
)
from resolute.shared.topics import NOTIFIER_GROUP, TOPICS


def _assigned() -> CommitmentAssignedV1:
    return CommitmentAssignedV1(
        assignment_id="a1", commitment_id="c1", document_id="d1", country="EE", ministry="defence", text="to act"
    )


def test_new_envelope_takes_type_and_topic_from_the_catalogue() -> None:
    envelope = new_envelope(_assigned(), source="/resolute/tracker", subject="a1")
    assert envelope.type == "commitment.assigned.v1"
    assert envelope.webhook_type == "commitment.assigned"
    assert envelope.specversion == "1.0"
    assert envelope.dataschema == "urn:resolute:event:commitment.assigned.v1"
    assert envelope.data["country"] == "EE"


def test_round_trip_through_bytes_keeps_typed_data() -> None:
    envelope = new_envelope(_assigned(), source="/resolute/tracker", subject="a1")
    decoded = decode_envelope(envelope.to_bytes())
    assert decoded == envelope
    data = decoded.typed_data()
    assert isinstance(data, CommitmentAssignedV1)
    assert data.ministry == "defence"


@pytest.mark.parametrize(
    "raw",
    [None, b"", b"not json", b"[1,2]", b'{"id": "x"}', json.dumps({"id": "x", "type": "commitment.assigned.v1",
     "source": "s", "time": "2026-01-01T00:00:00Z", "data": {"assignment_id": 5}}).encode()],
)  # fmt: skip
def test_what_is_not_a_valid_envelope_raises(raw: bytes | None) -> None:
    with pytest.raises(EnvelopeError):
        decode_envelope(raw)


def test_unknown_types_decode_so_consumers_can_ignore_them() -> None:
    raw = json.dumps({"id": "x", "type": "something.new.v9", "source": "s", "time": "2026-01-01T00:00:00Z"})
    assert decode_envelope(raw.encode()).type == "something.new.v9"


def test_every_event_type_is_versioned_past_tense_and_on_a_declared_topic() -> None:
    declared = {t.name for t in TOPICS}
    for event_type, spec in EVENT_CATALOGUE.items():
        name, _, version = event_type.rpartition(".")
        assert version.startswith("v") and version[1:].isdigit(), event_type
        assert "." in name, event_type
        assert spec.topic.name in declared
    assert "commitment.assigned" in WEBHOOK_EVENT_TYPES
    assert "deadline.approaching" in WEBHOOK_EVENT_TYPES


def test_only_events_marked_public_become_webhook_types() -> None:
    public = {unversioned(t)[0] for t, spec in EVENT_CATALOGUE.items() if spec.public}
    assert set(WEBHOOK_EVENT_TYPES) == public
    assert "commitment.extracted" not in WEBHOOK_EVENT_TYPES  # on a topic, but only for the services
    assert "commitment.withdrawn" not in WEBHOOK_EVENT_TYPES
    assert EventSpec("x.happened.v1", CommitmentAssignedV1, TOPICS[0]).public is False  # internal unless said


def test_every_public_event_reaches_the_notifier() -> None:
    """A public type on a topic the notifier does not read would be subscribable and never delivered."""
    for event_type in public_event_types():
        assert EVENT_CATALOGUE[event_type].topic.name in NOTIFIER_GROUP.topics, event_type


def test_the_envelope_and_the_catalogue_do_not_import_each_other_at_call_time() -> None:
    """The catalogue knows nothing of the envelope (so no import waits inside a function to break a cycle)."""
    import ast
    import inspect

    from resolute.shared.events import catalogue, envelope

    for module in (catalogue, envelope):
        tree = ast.parse(inspect.getsource(module))
        nested = [
            node
            for function in ast.walk(tree)
            if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
            for node in ast.walk(function)
            if isinstance(node, ast.Import | ast.ImportFrom)
        ]
        assert not nested, module.__name__
    assert "resolute.shared.events.envelope" not in inspect.getsource(catalogue)
