"""Alert rules pass promtool (syntax and their own unit tests); the dashboard loads and shows what ops need."""

from __future__ import annotations

import json

from tests.deploy.support import (
    AGREED_METRICS,
    DASHBOARD_FILE,
    PROMETHEUS_CONFIG,
    RULE_TESTS,
    RULES_FILE,
    alert_rules,
    dashboard,
    dashboard_exprs,
    metric_names,
    run,
    tool,
)


def _base_name(sample: str) -> str:
    for suffix in ("_bucket", "_count", "_sum"):
        if sample.endswith(suffix) and sample.removesuffix(suffix).endswith("_seconds"):
            return sample.removesuffix(suffix)
    return sample


def test_promtool_accepts_the_rules_and_the_compose_prometheus_config() -> None:
    rules = run(tool("promtool"), "check", "rules", str(RULES_FILE))
    assert rules.returncode == 0, rules.stdout + rules.stderr
    config = run(tool("promtool"), "check", "config", str(PROMETHEUS_CONFIG))
    assert config.returncode == 0, config.stdout + config.stderr


def test_each_alert_fires_on_its_situation_in_promtool_unit_tests() -> None:
    result = run(tool("promtool"), "test", "rules", str(RULE_TESTS))
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_alerts_cover_what_operations_asked_for() -> None:
    rules = alert_rules()
    alerts = {rule["alert"]: rule for rule in rules}
    for name in (
        "ResoluteConsumerLagGrowing",
        "ResoluteOutboxBacklog",
        "ResoluteDeadLetters",
        "ResoluteWebhookFailureRate",
        "ResoluteServiceDown",
        "ResoluteDeadlinesOverdueUnchanged",
    ):
        assert name in alerts
    for rule in rules:
        assert rule["labels"]["severity"] in {"critical", "warning", "info"}, rule["alert"]
        assert rule["annotations"]["summary"] and rule["annotations"]["description"], rule["alert"]
    tested = RULE_TESTS.read_text()
    untested = [name for name in alerts if f"alertname: {name}" not in tested]
    assert untested == [], "every alert has a promtool unit test"


def test_the_dashboard_loads_and_shows_every_agreed_metric() -> None:
    board = json.loads(DASHBOARD_FILE.read_text())
    assert board["uid"] and board["title"] and board["panels"]
    ids = [panel["id"] for panel in board["panels"]]
    assert len(ids) == len(set(ids))
    for panel in board["panels"]:
        grid = panel["gridPos"]
        assert grid["x"] >= 0 and grid["x"] + grid["w"] <= 24, panel["title"]
        if panel["type"] != "row":
            assert panel["targets"], panel["title"]
            assert all(t["expr"] and t["refId"] for t in panel["targets"])
    shown = {_base_name(name) for expr in dashboard_exprs() for name in metric_names(expr)}
    assert shown >= AGREED_METRICS, AGREED_METRICS - shown
    variables = {v["name"] for v in dashboard()["templating"]["list"]}
    assert {"datasource", "job", "country"} <= variables
