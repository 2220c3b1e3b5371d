"""The Resolute Grafana dashboard, described as data: `generate.py` writes it out as the JSON Grafana loads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

RATE = "$__rate_interval"
JOB = 'job=~"$job"'
COUNTRY = 'country=~"$country"'


@dataclass(frozen=True)
class Query:
    """One PromQL query of a panel and how its series are named in the legend."""

    expr: str
    legend: str = ""


@dataclass(frozen=True)
class Panel:
    """A panel: title, kind, unit and queries; width in Grafana's 24-column grid."""

    title: str
    queries: tuple[Query, ...]
    kind: str = "timeseries"
    unit: str = "short"
    width: int = 8
    description: str = ""
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Row:
    title: str
    panels: tuple[Panel, ...]


def _q(expr: str, legend: str = "") -> Query:
    return Query(" ".join(expr.split()), legend)


ROWS: tuple[Row, ...] = (
    Row(
        "Services: requests, errors, latency",
        (
            Panel(
                "Targets up",
                (_q(f"up{{{JOB}}}", "{{job}} {{instance}}"),),
                kind="stat",
                width=6,
                description="1 = Prometheus scrapes the instance; 0 = it does not answer.",
            ),
            Panel(
                "Requests per second",
                (_q(f"sum by (job) (rate(resolute_http_requests_total{{{JOB}}}[{RATE}]))", "{{job}}"),),
                unit="reqps",
                width=6,
            ),
            Panel(
                "Server errors (5xx share)",
                (
                    _q(
                        f"""sum by (job) (rate(resolute_http_requests_total{{{JOB},status=~"5.."}}[{RATE}]))
                        / sum by (job) (rate(resolute_http_requests_total{{{JOB}}}[{RATE}]))""",
                        "{{job}}",
                    ),
                ),
                unit="percentunit",
                width=6,
            ),
            Panel(
                "Client errors (4xx per second)",
                (
                    _q(
                        f'sum by (job, status) (rate(resolute_http_requests_total{{{JOB},status=~"4.."}}[{RATE}]))',
                        "{{job}} {{status}}",
                    ),
                ),
                unit="reqps",
                width=6,
            ),
            Panel(
                "Latency p50 / p99",
                (
                    _q(
                        f"""histogram_quantile(0.5, sum by (job, le)
                        (rate(resolute_http_request_duration_seconds_bucket{{{JOB}}}[{RATE}])))""",
                        "p50 {{job}}",
                    ),
                    _q(
                        f"""histogram_quantile(0.99, sum by (job, le)
                        (rate(resolute_http_request_duration_seconds_bucket{{{JOB}}}[{RATE}])))""",
                        "p99 {{job}}",
                    ),
                ),
                unit="s",
                width=12,
            ),
            Panel(
                "Gateway: rate limited and upstream errors",
                (
                    _q(f"sum(rate(resolute_gateway_rate_limited_total[{RATE}]))", "rate limited"),
                    _q(
                        f"sum by (service) (rate(resolute_gateway_upstream_errors_total[{RATE}]))",
                        "upstream errors: {{service}}",
                    ),
                ),
                unit="reqps",
                width=12,
            ),
        ),
    ),
    Row(
        "Pipeline: Kafka, outbox, dead letters",
        (
            Panel(
                "Consumer lag by group",
                (_q("sum by (group, topic) (resolute_consumer_lag_messages)", "{{group}} / {{topic}}"),),
                width=12,
                description="Messages behind the end of each topic. Grows = the group cannot keep up.",
            ),
            Panel(
                "Events consumed per second",
                (
                    _q(
                        f"sum by (group, outcome) (rate(resolute_events_consumed_total[{RATE}]))",
                        "{{group}} {{outcome}}",
                    ),
                ),
                unit="ops",
                width=12,
            ),
            Panel(
                "Events published per second",
                (_q(f"sum by (topic) (rate(resolute_events_published_total[{RATE}]))", "{{topic}}"),),
                unit="ops",
                width=8,
            ),
            Panel(
                "Outbox backlog",
                (_q(f"sum by (job) (resolute_outbox_backlog_messages{{{JOB}}})", "{{job}}"),),
                width=8,
                description="Events written but not yet published to Kafka.",
            ),
            Panel(
                "Oldest unpublished event",
                (_q(f"max by (job) (resolute_outbox_oldest_unsent_age_seconds{{{JOB}}})", "{{job}}"),),
                unit="s",
                width=8,
            ),
            Panel(
                "Dead letters (last hour)",
                (
                    _q(
                        "sum by (group, topic) (increase(resolute_dead_letters_total[1h]))",
                        "{{group}} / {{topic}}",
                    ),
                ),
                width=12,
            ),
            Panel(
                "Event handling p99",
                (
                    _q(
                        f"""histogram_quantile(0.99, sum by (group, le)
                        (rate(resolute_event_processing_seconds_bucket[{RATE}])))""",
                        "{{group}}",
                    ),
                ),
                unit="s",
                width=12,
            ),
        ),
    ),
    Row(
        "Webhooks",
        (
            Panel(
                "Webhook success rate",
                (
                    _q(
                        f"""sum(rate(resolute_notifier_webhook_attempts_total{{outcome="success"}}[{RATE}]))
                        / sum(rate(resolute_notifier_webhook_attempts_total[{RATE}]))""",
                        "success",
                    ),
                ),
                kind="stat",
                unit="percentunit",
                width=6,
            ),
            Panel(
                "Webhook attempts by outcome",
                (
                    _q(
                        f"sum by (outcome) (rate(resolute_notifier_webhook_attempts_total[{RATE}]))",
                        "{{outcome}}",
                    ),
                ),
                unit="ops",
                width=9,
            ),
            Panel(
                "Delivery latency (event to 2xx) p50 / p99",
                (
                    _q(
                        f"""histogram_quantile(0.5,
                        sum by (le) (rate(resolute_notifier_delivery_latency_seconds_bucket[{RATE}])))""",
                        "p50",
                    ),
                    _q(
                        f"""histogram_quantile(0.99,
                        sum by (le) (rate(resolute_notifier_delivery_latency_seconds_bucket[{RATE}])))""",
                        "p99",
                    ),
                ),
                unit="s",
                width=9,
            ),
            Panel(
                "Deliveries waiting",
                (_q("max(resolute_notifier_queue_depth)", "pending"),),
                kind="stat",
                width=6,
            ),
            Panel(
                "Deliveries given up (24 h)",
                (_q("sum(increase(resolute_notifier_dead_deliveries_total[24h]))", "dead"),),
                kind="stat",
                width=6,
            ),
            Panel(
                "Disabled endpoints",
                (_q("max(resolute_notifier_disabled_subscriptions)", "disabled"),),
                kind="stat",
                width=6,
                description="Subscriptions disabled after failing for days or answering 410.",
            ),
            Panel(
                "Webhook failures per second",
                (
                    _q(
                        f"""sum by (outcome)
                        (rate(resolute_notifier_webhook_attempts_total{{outcome!="success"}}[{RATE}]))""",
                        "{{outcome}}",
                    ),
                ),
                unit="ops",
                width=6,
            ),
        ),
    ),
    Row(
        "Deadlines and assignments",
        (
            Panel(
                "Deadlines by country and state",
                (_q(f"max by (country, state) (resolute_tracker_deadlines{{{COUNTRY}}})", "{{country}} {{state}}"),),
                kind="bargauge",
                width=12,
                description="approaching = due within 30 days; due = today; overdue = past the deadline.",
                options={"displayMode": "basic", "orientation": "horizontal"},
            ),
            Panel(
                "Overdue without a status change for 30 days",
                (
                    _q(
                        f"max by (country) (resolute_tracker_overdue_unchanged_assignments{{{COUNTRY}}})",
                        "{{country}}",
                    ),
                ),
                kind="bargauge",
                width=12,
                options={"displayMode": "basic", "orientation": "horizontal"},
            ),
            Panel(
                "Overdue and approaching over time",
                (
                    _q(
                        f'sum(max by (country) (resolute_tracker_deadlines{{{COUNTRY},state="overdue"}}))',
                        "overdue",
                    ),
                    _q(
                        f'sum(max by (country) (resolute_tracker_deadlines{{{COUNTRY},state="approaching"}}))',
                        "approaching",
                    ),
                ),
                width=8,
            ),
            Panel(
                "Assignments by status",
                (
                    _q(
                        f"sum by (status) (max by (country, status) (resolute_tracker_assignments{{{COUNTRY}}}))",
                        "{{status}}",
                    ),
                ),
                width=8,
            ),
            Panel(
                "Deadline events (per hour)",
                (
                    _q(
                        "sum by (milestone) (increase(resolute_tracker_deadline_events_total[1h]))",
                        "{{milestone}}",
                    ),
                ),
                width=8,
            ),
        ),
    ),
)


def _panel_json(panel: Panel, panel_id: int, x: int, y: int) -> dict[str, Any]:
    height = 5 if panel.kind == "stat" else 8
    body: dict[str, Any] = {
        "id": panel_id,
        "type": panel.kind,
        "title": panel.title,
        "description": panel.description,
        "datasource": {"type": "prometheus", "uid": "${datasource}"},
        "gridPos": {"h": height, "w": panel.width, "x": x, "y": y},
        "fieldConfig": {"defaults": {"unit": panel.unit}, "overrides": []},
        "targets": [
            {
                "refId": chr(ord("A") + index),
                "datasource": {"type": "prometheus", "uid": "${datasource}"},
                "expr": query.expr,
                "legendFormat": query.legend,
                "range": True,
            }
            for index, query in enumerate(panel.queries)
        ],
    }
    if panel.kind == "timeseries":
        body["options"] = {"legend": {"displayMode": "table", "placement": "bottom", "calcs": ["lastNotNull", "max"]}}
    elif panel.kind == "stat":
        body["options"] = {"reduceOptions": {"calcs": ["lastNotNull"]}, "colorMode": "value", "graphMode": "area"}
    else:
        body["options"] = {"reduceOptions": {"calcs": ["lastNotNull"]}, **panel.options}
    return body


def _variable(name: str, label: str, query: str, all_value: str) -> dict[str, Any]:
    return {
        "name": name,
        "label": label,
        "type": "query",
        "datasource": {"type": "prometheus", "uid": "${datasource}"},
        "query": {"query": query, "refId": f"{name}-values"},
        "definition": query,
        "refresh": 2,
        "multi": True,
        "includeAll": True,
        "allValue": all_value,
        "current": {"selected": True, "text": ["All"], "value": ["$__all"]},
        "sort": 1,
    }


def build_dashboard() -> dict[str, Any]:
    """Grafana's dashboard model (schemaVersion 39): rows of panels laid out left to right, top to bottom."""
    panels: list[dict[str, Any]] = []
    panel_id = 1
    y = 0
    for row in ROWS:
        panels.append(
            {
                "id": panel_id,
                "type": "row",
                "title": row.title,
                "collapsed": False,
                "gridPos": {"h": 1, "w": 24, "x": 0, "y": y},
                "panels": [],
            }
        )
        panel_id += 1
        y += 1
        x = 0
        row_height = 0
        for panel in row.panels:
            if x + panel.width > 24:
                x = 0
                y += row_height
                row_height = 0
            body = _panel_json(panel, panel_id, x, y)
            panels.append(body)
            panel_id += 1
            x += panel.width
            row_height = max(row_height, body["gridPos"]["h"])
        y += row_height
    return {
        "uid": "resolute-overview",
        "title": "Resolute",
        "description": "Requests, pipeline, webhooks and deadlines of the four Resolute services.",
        "tags": ["resolute"],
        "timezone": "utc",
        "editable": True,
        "graphTooltip": 1,
        "schemaVersion": 39,
        "version": 1,
        "refresh": "30s",
        "time": {"from": "now-6h", "to": "now"},
        "templating": {
            "list": [
                {
                    "name": "datasource",
                    "label": "Prometheus",
                    "type": "datasource",
                    "query": "prometheus",
                    "current": {},
                    "hide": 0,
                },
                _variable("job", "Service", 'label_values(up{job=~"resolute-.*"}, job)', "resolute-.*"),
                _variable("country", "Country", "label_values(resolute_tracker_deadlines, country)", ".*"),
            ]
        },
        "annotations": {"list": []},
        "panels": panels,
    }


def dashboard_queries(dashboard: dict[str, Any]) -> list[str]:
    """Every PromQL expression a dashboard runs: panel targets and template-variable queries."""
    exprs = [target["expr"] for panel in dashboard["panels"] for target in panel.get("targets", [])]
    exprs += [var["definition"] for var in dashboard["templating"]["list"] if var["type"] == "query"]
    return exprs
