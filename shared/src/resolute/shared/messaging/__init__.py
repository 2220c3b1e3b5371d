"""Kafka plumbing: transactional outbox with a relay, idempotent inbox consumer, dead-letter topics."""

from resolute.shared.messaging.consumer import EventHandler, InboxConsumer
from resolute.shared.messaging.outbox import Outbox, OutboxRelay
from resolute.shared.messaging.publisher import KafkaPublisher
from resolute.shared.messaging.tables import MessagingTables, define_messaging_tables

__all__ = [
    "EventHandler",
    "InboxConsumer",
    "KafkaPublisher",
    "MessagingTables",
    "Outbox",
    "OutboxRelay",
    "define_messaging_tables",
]
