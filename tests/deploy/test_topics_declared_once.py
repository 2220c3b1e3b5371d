"""Topics, partitions, retention and consumer groups live in resolute.shared.topics; everything else follows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from aiokafka.admin import AIOKafkaAdminClient

from deploy.generate import SERVICES, generated_files, stale_files, useful_consumers
from resolute.shared.messaging.publisher import ensure_topics
from resolute.shared.testing.broker import TansuBroker
from resolute.shared.topics import CONSUMER_GROUPS, TOPICS, declared_topics
from resolute.shared.web.state import ServiceState, state_of
from tests.deploy.support import COMPOSE_FILE, DEPLOY, OVERLAYS, REPO, find, render

DECLARED = {t.name: (t.partitions, t.retention_ms) for t in declared_topics()}


def test_the_generated_files_are_up_to_date() -> None:
    stale = [str(p.relative_to(REPO)) for p in stale_files()]
    assert stale == [], "run `python -m deploy.generate` (make generate-deploy) and commit the result"
    assert len(generated_files()) >= 8


def test_declared_topics_are_every_topic_and_its_dead_letter_twin() -> None:
    assert set(DECLARED) == {t.name for t in TOPICS} | {t.dead_letter for t in TOPICS}
    assert all(partitions >= 1 for partitions, _ in DECLARED.values())
    for group in CONSUMER_GROUPS:
        assert set(group.topics) <= set(DECLARED), group.name


@pytest.mark.parametrize("overlay", list(OVERLAYS))
def test_strimzi_topics_are_the_declared_ones(overlay: str) -> None:
    topics = find(render(overlay), "KafkaTopic")
    rendered = {t["spec"]["topicName"]: (t["spec"]["partitions"], t["spec"]["config"]["retention.ms"]) for t in topics}
    assert rendered == DECLARED


def test_compose_creates_the_declared_topics() -> None:
    script = (DEPLOY / "compose" / "kafka" / "create-topics.sh").read_text()
    created = {
        name: (int(partitions), int(retention))
        for name, partitions, retention in re.findall(r"^topic (\S+) (\d+) (\d+)$", script, re.MULTILINE)
    }
    assert created == DECLARED
    compose = COMPOSE_FILE.read_text()
    assert "./deploy/compose/kafka/create-topics.sh:/opt/resolute/create-topics.sh" in compose


@pytest.mark.integration
async def test_the_services_own_topic_creation_makes_the_declared_topics(kafka: TansuBroker) -> None:
    """The embedded stack creates topics itself (ensure_topics): on a real broker, it makes what is declared."""
    await ensure_topics(kafka.bootstrap_servers)
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka.bootstrap_servers)
    await admin.start()
    try:
        described = await admin.describe_topics(list(DECLARED))
    finally:
        await admin.close()
    partitions = {t["topic"]: len(t["partitions"]) for t in described if t["error_code"] == 0}
    assert partitions == {name: p for name, (p, _) in DECLARED.items()}


def test_the_services_consume_the_declared_groups(tmp_path: Path) -> None:
    from resolute.notifier.main import create_app as notifier_app
    from resolute.notifier.settings import NotifierSettings
    from resolute.tracker.main import create_app as tracker_app
    from resolute.tracker.settings import TrackerSettings

    consumers = {}
    for name, factory, settings in (
        ("tracker", tracker_app, TrackerSettings(data_dir=tmp_path)),
        ("notifier", notifier_app, NotifierSettings(data_dir=tmp_path)),
    ):
        app = factory(settings)  # type: ignore[operator]
        consumers[name] = state_of(app, ServiceState).runtime.consumer.group
    assert {g.service: g for g in CONSUMER_GROUPS} == consumers


@pytest.mark.parametrize("overlay", list(OVERLAYS))
def test_consuming_services_scale_no_further_than_their_partitions(overlay: str) -> None:
    """A consumer group gives each partition to one member: replicas beyond the widest topic sit idle."""
    docs = render(overlay)
    for group in CONSUMER_GROUPS:
        ceiling = useful_consumers(group)
        (deployment,) = find(docs, "Deployment", f"resolute-{group.service}")
        assert deployment["spec"]["replicas"] <= ceiling
        for hpa in find(docs, "HorizontalPodAutoscaler", f"resolute-{group.service}"):
            assert hpa["spec"]["maxReplicas"] <= ceiling, f"{group.service} HPA exceeds {ceiling} partitions"
    assert {s.name for s in SERVICES if s.group} == {g.service for g in CONSUMER_GROUPS}
