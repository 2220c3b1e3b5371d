"""Shared by the deployment checks: where the tools are, rendered manifests, and the PromQL the ops files run."""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]

DEPLOY = REPO / "deploy"
K8S = DEPLOY / "k8s"
OVERLAYS = {"base": K8S / "base", "production": K8S / "overlays" / "production"}
RULES_FILE = DEPLOY / "prometheus" / "rules" / "resolute.rules.yml"
RULE_TESTS = DEPLOY / "prometheus" / "tests" / "resolute.rules.test.yml"
PROMETHEUS_CONFIG = DEPLOY / "prometheus" / "prometheus.yml"
DASHBOARD_FILE = DEPLOY / "grafana" / "dashboards" / "resolute.json"
COMPOSE_FILE = REPO / "docker-compose.yml"
DOCKERFILE = REPO / "Dockerfile"
CRD_VALIDATOR = DEPLOY / "tools" / "crd-validation"
SERVICE_NAMES = ("ingest", "tracker", "notifier", "gateway")
# the oldest Kubernetes release the manifests promise to work on, and the newest the schemas know
KUBERNETES_VERSIONS = ("1.31.0", "1.37.0")

# the metric names agreed with every service's engineer (README "Metrics and alerts")
AGREED_METRICS = {
    "resolute_http_requests_total",
    "resolute_http_request_duration_seconds",
    "resolute_events_published_total",
    "resolute_events_consumed_total",
    "resolute_consumer_lag_messages",
    "resolute_outbox_backlog_messages",
    "resolute_outbox_oldest_unsent_age_seconds",
    "resolute_dead_letters_total",
    "resolute_tracker_assignments",
    "resolute_tracker_deadlines",
    "resolute_tracker_deadline_events_total",
    "resolute_tracker_overdue_unchanged_assignments",
    "resolute_notifier_webhook_attempts_total",
    "resolute_notifier_delivery_latency_seconds",
    "resolute_notifier_queue_depth",
    "resolute_notifier_dead_deliveries_total",
    "resolute_notifier_disabled_subscriptions",
    "resolute_gateway_rate_limited_total",
    "resolute_gateway_upstream_errors_total",
}

MISSING_TOOL = "{tool} is missing: run `make deploy-tools` (it installs it idempotently; README: 'Deployment checks')"


def tool(name: str) -> str:
    """A tool `make deploy-tools` provides: .tools/bin first, then .venv/bin (the kubectl wheel), then PATH."""
    for candidate in (REPO / ".tools" / "bin" / name, REPO / ".venv" / "bin" / name):
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        pytest.fail(MISSING_TOOL.format(tool=name))
    return found


def run(*args: str, stdin: str | None = None, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, input=stdin, capture_output=True, text=True, check=False, cwd=cwd, timeout=300)


@functools.cache
def render(overlay: str) -> tuple[dict[str, Any], ...]:
    """`kustomize build` of an overlay, by the real kustomize inside kubectl."""
    result = run(tool("kubectl"), "kustomize", str(OVERLAYS[overlay]))
    assert result.returncode == 0, f"kustomize build {overlay} failed: {result.stderr}"
    return tuple(doc for doc in yaml.safe_load_all(result.stdout) if doc)


def find(docs: tuple[dict[str, Any], ...], kind: str, name: str | None = None) -> list[dict[str, Any]]:
    return [d for d in docs if d["kind"] == kind and (name is None or d["metadata"]["name"] == name)]


def validate_custom_resources(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each custom resource against its operator's CRD schema (Strimzi, Prometheus operator), via node."""
    if not (CRD_VALIDATOR / "node_modules").exists():
        pytest.fail(MISSING_TOOL.format(tool="the CRD schemas (deploy/tools/crd-validation/node_modules)"))
    result = run(tool("node"), str(CRD_VALIDATOR / "validate.mjs"), stdin=json.dumps(docs))
    assert result.returncode == 0, result.stderr
    return list(json.loads(result.stdout))


METRIC_NAME = re.compile(r"\b(resolute_[a-z0-9_]+|up)\b")
SELECTOR = re.compile(r"\b(resolute_[a-z0-9_]+)\{([^}]*)\}")
LABEL_MATCHER = re.compile(r"([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)")


def metric_names(expr: str) -> set[str]:
    return set(METRIC_NAME.findall(expr))


def selector_labels(expr: str) -> set[tuple[str, str]]:
    """(metric, label) pairs of every label matcher written as metric{label=...}."""
    pairs = set()
    for metric, matchers in SELECTOR.findall(expr):
        pairs |= {(metric, label) for label in LABEL_MATCHER.findall(matchers)}
    return pairs


def alert_rules() -> list[dict[str, Any]]:
    return [rule for group in yaml.safe_load(RULES_FILE.read_text())["groups"] for rule in group["rules"]]


def dashboard() -> dict[str, Any]:
    return dict(json.loads(DASHBOARD_FILE.read_text()))


def dashboard_exprs() -> list[str]:
    from deploy.dashboard import dashboard_queries

    return dashboard_queries(dashboard())


def runnable(expr: str) -> str:
    """A dashboard query as Prometheus runs it once Grafana has filled in its variables ("All" selected)."""
    match = re.fullmatch(r"label_values\((.*),\s*[a-z_]+\)", expr)
    if match:
        expr = match.group(1)
    return expr.replace("$__rate_interval", "1m").replace("$job", "resolute-.*").replace("$country", ".*")
