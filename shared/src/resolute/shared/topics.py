"""Every Kafka topic and consumer group, declared once; services, compose and k8s manifests all read this."""

from __future__ import annotations

from dataclasses import dataclass

DAY_MS = 24 * 3600 * 1000


@dataclass(frozen=True)
class Topic:
    """A topic with the partitioning and retention production needs; `<name>.dlq` is its dead-letter twin."""

    name: str
    partitions: int
    retention_ms: int
    description: str

    @property
    def dead_letter(self) -> str:
        return f"{self.name}.dlq"


DOCUMENTS = Topic("resolute.documents", 3, 30 * DAY_MS, "documents processed by ingest (key: document id)")
COMMITMENTS = Topic("resolute.commitments", 6, 30 * DAY_MS, "commitments extracted or withdrawn (key: commitment id)")
ASSIGNMENTS = Topic("resolute.assignments", 6, 30 * DAY_MS, "assignments made and status changes (key: assignment id)")
DEADLINES = Topic("resolute.deadlines", 6, 30 * DAY_MS, "deadline milestones reached (key: assignment id)")
CALENDAR = Topic("resolute.calendar", 1, 30 * DAY_MS, "institutional calendar changes (key: series/ordinal)")

TOPICS: tuple[Topic, ...] = (DOCUMENTS, COMMITMENTS, ASSIGNMENTS, DEADLINES, CALENDAR)
DEAD_LETTER_RETENTION_MS = 90 * DAY_MS
DEAD_LETTER_PARTITIONS = 1

# Only on the embedded broker (which keeps everything in memory): its first record names the broker's
# incarnation, so a service tells a broker that came back empty from one that kept its data. Not declared for
# production brokers, which keep their data; there the relay compares end offsets instead.
BROKER_INCARNATION = Topic(
    "resolute.broker-incarnation", 1, 30 * DAY_MS, "embedded broker only: its first record names its incarnation"
)


def declared_topics() -> tuple[Topic, ...]:
    """Every topic a broker must hold, dead-letter twins included: what compose and Strimzi create."""
    twins = tuple(
        Topic(t.dead_letter, DEAD_LETTER_PARTITIONS, DEAD_LETTER_RETENTION_MS, f"dead letters of {t.name}")
        for t in TOPICS
    )
    return TOPICS + twins


@dataclass(frozen=True)
class ConsumerGroup:
    """A consumer group: which service runs it and the topics it reads."""

    name: str
    service: str
    topics: tuple[str, ...]


TRACKER_GROUP = ConsumerGroup("resolute-tracker", "tracker", (DOCUMENTS.name, COMMITMENTS.name))
NOTIFIER_GROUP = ConsumerGroup(
    "resolute-notifier", "notifier", (DOCUMENTS.name, ASSIGNMENTS.name, DEADLINES.name, CALENDAR.name)
)

CONSUMER_GROUPS: tuple[ConsumerGroup, ...] = (TRACKER_GROUP, NOTIFIER_GROUP)


def all_topic_names(include_dead_letters: bool = True) -> list[str]:
    names = [t.name for t in TOPICS]
    if include_dead_letters:
        names += [t.dead_letter for t in TOPICS]
    return names


def topic_by_name(name: str) -> Topic:
    for topic in TOPICS:
        if topic.name == name:
            return topic
    raise KeyError(name)
