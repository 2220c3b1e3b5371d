"""The dashboard and the alerts query only metrics the running services export; a real Prometheus runs them.

The stack is `resolute dev`'s (broker + four service processes) on the databases compose's PostgreSQL init
script makes. It is exercised first (an upload, a webhook delivery, a dead letter) so that labelled metrics
have series, then scraped directly and by a real Prometheus configured like compose's, with the alert rules.
"""

from __future__ import annotations

import asyncio
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from aiokafka import AIOKafkaProducer
from prometheus_client.parser import text_string_to_metric_families

from resolute.cli.stack import Stack, StackConfig, free_port
from resolute.shared.testing.fixtures import REPO_ROOT, WebhookReceiver, eventually, serving
from resolute.shared.topics import COMMITMENTS, CONSUMER_GROUPS
from tests.deploy.support import (
    AGREED_METRICS,
    PROMETHEUS_CONFIG,
    RULES_FILE,
    SERVICE_NAMES,
    alert_rules,
    dashboard_exprs,
    metric_names,
    runnable,
    selector_labels,
    tool,
)

pytestmark = pytest.mark.e2e

# Agreed metric names whose services do not export them yet on this branch; the dashboard and alerts already
# use them. ONE list: whoever merges the branch that adds a metric removes it here (the test below fails
# until they do, so the list cannot go stale).
PENDING_FROM_OTHER_BRANCHES: set[str] = set()
PROMETHEUS_OWN = {"up"}  # written by Prometheus for every target, not by the services

ADMIN_KEY = "rsk_deploy-" + uuid.uuid4().hex
RESOLUTION = REPO_ROOT / "corpus" / "ba-44th-session-resolution-2025.txt"


@pytest.fixture(scope="module")
def stack(compose_databases: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    config = StackConfig(
        data_dir=Path(tmp_path_factory.mktemp("deploy-stack")),
        ports={name: free_port() for name in SERVICE_NAMES},
        broker_port=free_port(),
        admin_key=ADMIN_KEY,
        database_urls=compose_databases,
        retry_schedule="1,1",
    )
    stack = Stack(config)
    stack.start()
    try:
        yield stack
    finally:
        stack.stop()


async def _exercise(stack: Stack) -> None:
    """An upload whose commitments reach a subscribed webhook, and a message the tracker must dead-letter."""
    gateway = stack.config.url("gateway")
    receiver = WebhookReceiver()
    async with (
        serving(receiver.app) as receiver_url,
        httpx.AsyncClient(base_url=gateway, headers={"Authorization": f"Bearer {ADMIN_KEY}"}, timeout=30) as admin,
    ):
        subscription = await admin.post(
            "/v1/subscriptions", json={"url": f"{receiver_url}/hook", "event_types": ["commitment.assigned"]}
        )
        assert subscription.status_code == 201, subscription.text
        uploaded = await admin.post(
            "/v1/documents", files={"file": (RESOLUTION.name, RESOLUTION.read_bytes(), "text/plain")}
        )
        assert uploaded.status_code == 202, uploaded.text
        await eventually(lambda: len(receiver.requests) > 0, 90)
        assert (await admin.get("/v1/commitments", params={"limit": 5})).status_code == 200
    async with httpx.AsyncClient(base_url=gateway, timeout=30) as anonymous:
        assert (await anonymous.get("/v1/commitments")).status_code == 401
    producer = AIOKafkaProducer(bootstrap_servers=stack.config.bootstrap_servers, enable_idempotence=False)
    await producer.start()
    try:
        await producer.send_and_wait(COMMITMENTS.name, b"not an event", key=b"deploy-check")
    finally:
        await producer.stop()

    def dead_lettered() -> bool:
        return (
            'resolute_dead_letters_total{group="resolute-tracker"'
            in httpx.get(stack.config.url("tracker") + "/metrics").text
        )

    await eventually(dead_lettered, 60)
    await eventually(stack.drained, 60)

    def tracker_counted() -> bool:  # the tracker recounts its gauges a moment after the fan-out commits
        return "resolute_tracker_deadlines{" in httpx.get(stack.config.url("tracker") + "/metrics").text

    await eventually(tracker_counted, 60)


def _scrape(stack: Stack) -> dict[str, dict[str, set[str]]]:
    """sample name -> service -> label names seen on it (only names with at least one sample)."""
    seen: dict[str, dict[str, set[str]]] = {}
    for service in SERVICE_NAMES:
        text = httpx.get(stack.config.url(service) + "/metrics", timeout=10).text
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                seen.setdefault(sample.name, {}).setdefault(service, set()).update(sample.labels)
    return seen


@pytest.fixture(scope="module")
def exported(stack: Stack) -> dict[str, dict[str, set[str]]]:
    asyncio.run(_exercise(stack))
    return _scrape(stack)


def _queried() -> dict[str, set[str]]:
    """metric name -> the dashboard panels / alerts that query it."""
    where: dict[str, set[str]] = {}
    for expr in dashboard_exprs():
        for name in metric_names(expr):
            where.setdefault(name, set()).add("dashboard")
    for rule in alert_rules():
        for name in metric_names(rule["expr"]):
            where.setdefault(name, set()).add(rule["alert"])
    return where


def test_every_queried_metric_is_exported_by_the_running_services(exported: dict[str, dict[str, set[str]]]) -> None:
    queried = _queried()
    missing = {
        name: sorted(users)
        for name, users in queried.items()
        if name not in exported and name not in PROMETHEUS_OWN and _agreed(name) not in PENDING_FROM_OTHER_BRANCHES
    }
    assert missing == {}, "queried but exported by no service (a typo, or a metric that was renamed)"
    arrived = sorted(name for name in PENDING_FROM_OTHER_BRANCHES if _exported_as(name, exported))
    assert arrived == [], "now exported: remove these from PENDING_FROM_OTHER_BRANCHES"
    assert PENDING_FROM_OTHER_BRANCHES <= AGREED_METRICS


def _agreed(sample_name: str) -> str:
    for suffix in ("_bucket", "_count", "_sum"):
        if sample_name.endswith(suffix) and sample_name.removesuffix(suffix) in AGREED_METRICS:
            return sample_name.removesuffix(suffix)
    return sample_name


def _exported_as(metric: str, exported: dict[str, dict[str, set[str]]]) -> bool:
    return any(name in exported for name in (metric, f"{metric}_bucket", f"{metric}_count"))


def test_the_labels_queries_filter_on_exist_on_the_exported_series(exported: dict[str, dict[str, set[str]]]) -> None:
    exprs = dashboard_exprs() + [rule["expr"] for rule in alert_rules()]
    wrong = set()
    for expr in exprs:
        for metric, label in selector_labels(expr):
            if metric not in exported or label == "job":  # job comes from the scrape configuration
                continue
            if not any(label in labels for labels in exported[metric].values()):
                wrong.add((metric, label))
    assert wrong == set()


def test_the_consumer_groups_reporting_lag_are_the_declared_ones(
    stack: Stack, exported: dict[str, dict[str, set[str]]]
) -> None:
    reported = set()
    for service in exported["resolute_consumer_lag_messages"]:
        text = httpx.get(stack.config.url(service) + "/metrics", timeout=10).text
        for family in text_string_to_metric_families(text):
            if family.name == "resolute_consumer_lag_messages":
                reported |= {(service, s.labels["group"], s.labels["topic"]) for s in family.samples}
    declared = {(g.service, g.name, topic) for g in CONSUMER_GROUPS for topic in g.topics}
    assert reported == declared


def test_prometheus_loads_the_rules_scrapes_the_services_and_runs_every_dashboard_query(
    stack: Stack, exported: dict[str, dict[str, set[str]]]
) -> None:
    """Compose's Prometheus configuration, pointed at this stack: jobs, rules and queries as production has them."""
    config = yaml.safe_load(PROMETHEUS_CONFIG.read_text())
    config["global"] = {"scrape_interval": "1s", "evaluation_interval": "1s"}
    config["rule_files"] = [str(RULES_FILE)]
    jobs = [c for c in config["scrape_configs"] if c["job_name"].startswith("resolute-")]
    for job in jobs:
        service = job["job_name"].removeprefix("resolute-")
        job["static_configs"] = [{"targets": [f"127.0.0.1:{stack.config.ports[service]}"]}]
    config["scrape_configs"] = jobs
    port = free_port()
    with tempfile.TemporaryDirectory() as workdir:
        config_path = Path(workdir) / "prometheus.yml"
        config_path.write_text(yaml.safe_dump(config))
        process = subprocess.Popen(
            [
                tool("prometheus"),
                f"--config.file={config_path}",
                f"--storage.tsdb.path={workdir}/data",
                f"--web.listen-address=127.0.0.1:{port}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            api = f"http://127.0.0.1:{port}/api/v1"
            _wait_for_targets(f"http://127.0.0.1:{port}", len(jobs))
            time.sleep(5)  # a few scrapes, so that rate() has two samples in its window
            rules = httpx.get(f"{api}/rules").json()["data"]["groups"]
            loaded = [rule for group in rules for rule in group["rules"]]
            assert len(loaded) == len(alert_rules())
            assert [r["name"] for r in loaded if r["health"] == "err"] == []
            up = httpx.get(f"{api}/query", params={"query": 'up{job=~"resolute-.*"}'}).json()["data"]["result"]
            assert sorted(r["metric"]["job"] for r in up if r["value"][1] == "1") == sorted(j["job_name"] for j in jobs)
            failures = {}
            for expr in dashboard_exprs():
                answer = httpx.get(f"{api}/query", params={"query": runnable(expr)}).json()
                if answer["status"] != "success":
                    failures[expr] = answer.get("error")
            assert failures == {}
            panels_with_data = _panels_with_data(api)
            assert "sum by (group, topic) (resolute_consumer_lag_messages)" in panels_with_data
        finally:
            process.terminate()
            process.wait(timeout=30)


def _wait_for_targets(base: str, count: int) -> None:
    """Prometheus ready (TSDB open, rules loaded) and every service scraped successfully."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            ready = httpx.get(f"{base}/-/ready", timeout=2).status_code == 200
            targets = httpx.get(f"{base}/api/v1/targets", timeout=2).json()["data"]["activeTargets"] if ready else []
        except (httpx.HTTPError, ValueError):
            targets = []
        if len([t for t in targets if t["health"] == "up"]) == count:
            return
        time.sleep(0.5)
    raise AssertionError("Prometheus did not scrape every service")


def _panels_with_data(api: str) -> set[str]:
    found = set()
    for expr in dashboard_exprs():
        answer: dict[str, Any] = httpx.get(f"{api}/query", params={"query": runnable(expr)}).json()
        if answer["status"] == "success" and answer["data"]["result"]:
            found.add(expr)
    return found
