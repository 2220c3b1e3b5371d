"""deploy/k8s: kustomize renders base and production; every object validates; the shape production needs holds."""

from __future__ import annotations

import copy
import ipaddress
import json
from dataclasses import dataclass, field
from typing import Any

import kubernetes_validate
import pytest
import yaml

from tests.deploy.support import (
    DASHBOARD_FILE,
    KUBERNETES_VERSIONS,
    OVERLAYS,
    RULES_FILE,
    SERVICE_NAMES,
    find,
    render,
    validate_custom_resources,
)

pytestmark = pytest.mark.parametrize("overlay", list(OVERLAYS))


def _validate(docs: list[dict[str, Any]], version: str) -> list[str]:
    """Errors of every object: Kubernetes kinds by their schemas (strict), custom resources by their CRDs."""
    errors: list[str] = []
    custom: list[dict[str, Any]] = []
    for doc in docs:
        try:
            kubernetes_validate.validate(doc, version, strict=True)
        except kubernetes_validate.SchemaNotFoundError:
            custom.append(doc)
        except kubernetes_validate.ValidationError as exc:
            path = ".".join(str(p) for p in exc.path)
            errors.append(f"{doc['kind']}/{doc['metadata']['name']}: {path}: {exc.message}")
    errors += [f"{r['kind']}/{r['name']}: {r['error']}" for r in validate_custom_resources(custom) if r["error"]]
    return errors


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_every_object_validates_against_its_schema(overlay: str, version: str) -> None:
    docs = list(render(overlay))
    assert len(docs) > 40
    assert _validate(docs, version) == []


def test_the_validation_rejects_broken_objects(overlay: str) -> None:
    """The check above can fail: a wrong type, an unknown field and a wrong custom-resource field are caught."""
    docs = render(overlay)
    deployment = copy.deepcopy(find(docs, "Deployment", "resolute-gateway")[0])
    deployment["spec"]["replicas"] = "three"
    typo = copy.deepcopy(find(docs, "Service", "resolute-gateway")[0])
    typo["spec"]["selectr"] = typo["spec"].pop("selector")
    topic = copy.deepcopy(find(docs, "KafkaTopic")[0])
    topic["spec"]["partitions"] = "six"
    rule = copy.deepcopy(find(docs, "PrometheusRule")[0])
    del rule["spec"]["groups"][0]["rules"][0]["expr"]
    errors = _validate([deployment, typo, topic, rule], KUBERNETES_VERSIONS[-1])
    assert len(errors) == 4, errors


def test_each_service_runs_hardened_with_probes_resources_and_its_own_account(overlay: str) -> None:
    docs = render(overlay)
    for name in SERVICE_NAMES:
        (deployment,) = find(docs, "Deployment", f"resolute-{name}")
        pod = deployment["spec"]["template"]["spec"]
        (container,) = pod["containers"]
        assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        assert container["startupProbe"]["httpGet"]["path"] == "/healthz"
        assert {"cpu", "memory"} <= set(container["resources"]["requests"])
        assert {"cpu", "memory"} <= set(container["resources"]["limits"])
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["runAsUser"] != 0
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
        security = container["securityContext"]
        assert security["allowPrivilegeEscalation"] is False
        assert security["readOnlyRootFilesystem"] is True
        assert security["capabilities"]["drop"] == ["ALL"]
        assert container["args"] == ["serve"]
        assert container["image"].rsplit(":", 1)[0].endswith(f"resolute/{name}")
        assert find(docs, "ServiceAccount", pod["serviceAccountName"])
        assert pod["automountServiceAccountToken"] is False
        assert container["ports"][0]["containerPort"] == _settings(name).port


def _settings(name: str) -> Any:
    from resolute.gateway.settings import GatewaySettings
    from resolute.ingest.settings import IngestSettings
    from resolute.notifier.settings import NotifierSettings
    from resolute.tracker.settings import TrackerSettings

    classes = {"ingest": IngestSettings, "tracker": TrackerSettings, "notifier": NotifierSettings}
    return classes.get(name, GatewaySettings)()


def _matches(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return all(labels.get(k) == v for k, v in selector.items())


def test_services_budgets_and_autoscalers_select_the_serving_pods_only(overlay: str) -> None:
    docs = render(overlay)
    for name in SERVICE_NAMES:
        (deployment,) = find(docs, "Deployment", f"resolute-{name}")
        pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
        (job,) = find(docs, "Job", f"resolute-{name}-migrate")
        job_labels = job["spec"]["template"]["metadata"]["labels"]
        (service,) = find(docs, "Service", f"resolute-{name}")
        (budget,) = find(docs, "PodDisruptionBudget", f"resolute-{name}")
        for selector in (service["spec"]["selector"], budget["spec"]["selector"]["matchLabels"]):
            assert _matches(selector, pod_labels)
            assert not _matches(selector, job_labels), "a migration pod would receive traffic"
        assert service["spec"]["ports"][0]["targetPort"] == "http"
        assert budget["spec"].get("maxUnavailable") == 1  # never blocks a node drain, even at one replica
    autoscaled = {hpa["spec"]["scaleTargetRef"]["name"] for hpa in find(docs, "HorizontalPodAutoscaler")}
    assert autoscaled == {"resolute-gateway", "resolute-notifier"}
    for hpa in find(docs, "HorizontalPodAutoscaler"):
        assert find(docs, "Deployment", hpa["spec"]["scaleTargetRef"]["name"])
        assert 1 < hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]


def test_migrations_run_as_jobs_with_the_service_image_and_database(overlay: str) -> None:
    docs = render(overlay)
    for name in SERVICE_NAMES:
        (job,) = find(docs, "Job", f"resolute-{name}-migrate")
        (deployment,) = find(docs, "Deployment", f"resolute-{name}")
        (migrate,) = job["spec"]["template"]["spec"]["containers"]
        (serve,) = deployment["spec"]["template"]["spec"]["containers"]
        assert migrate["args"] == ["migrate"]
        assert migrate["image"] == serve["image"]
        database = f"RESOLUTE_{name.upper()}_DATABASE_URL"
        assert [e for e in migrate["env"] if e["name"] == database] == [
            e for e in serve["env"] if e["name"] == database
        ]
        assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"


def test_settings_come_from_the_config_map_and_secrets_from_secret_references(overlay: str) -> None:
    docs = render(overlay)
    (config,) = find(docs, "ConfigMap", "resolute-config")
    data = config["data"]
    assert data["RESOLUTE_KAFKA_CREATE_TOPICS"] == "false"  # Strimzi's KafkaTopics own the topics
    assert data["RESOLUTE_ENVIRONMENT"] == "production"
    assert data["RESOLUTE_WEBHOOK_ALLOW_PRIVATE"] == "false"
    for name in ("ingest", "tracker", "notifier"):
        (service,) = find(docs, "Service", f"resolute-{name}")
        assert (
            data[f"RESOLUTE_GATEWAY_{name.upper()}_URL"]
            == f"http://resolute-{name}:{service['spec']['ports'][0]['port']}"
        )
    assert not find(docs, "Secret"), "secrets are created in the cluster, never committed"
    for deployment in find(docs, "Deployment"):
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        assert container["envFrom"] == [{"configMapRef": {"name": "resolute-config"}}]
        for env in container["env"]:
            secretish = any(word in env["name"] for word in ("DATABASE_URL", "KEY", "PASSWORD", "SECRET"))
            assert not secretish or "secretKeyRef" in env.get("valueFrom", {}), env
    secrets_named = {
        env["valueFrom"]["secretKeyRef"]["name"]
        for d in find(docs, "Deployment")
        for env in d["spec"]["template"]["spec"]["containers"][0]["env"]
        if "valueFrom" in env
    }
    assert secrets_named == {f"resolute-{n}-database" for n in SERVICE_NAMES} | {"resolute-admin"}


def test_kafka_runs_kraft_node_pools_and_creates_no_topics_by_itself(overlay: str) -> None:
    docs = render(overlay)
    (kafka,) = find(docs, "Kafka")
    config = kafka["spec"]["kafka"]["config"]
    assert config["auto.create.topics.enable"] is False
    pools = find(docs, "KafkaNodePool")
    roles = {role for pool in pools for role in pool["spec"]["roles"]}
    assert roles == {"controller", "broker"}
    brokers = sum(p["spec"]["replicas"] for p in pools if "broker" in p["spec"]["roles"])
    topics = find(docs, "KafkaTopic")
    assert all(t["metadata"]["labels"]["strimzi.io/cluster"] == kafka["metadata"]["name"] for t in topics)
    for topic in topics:
        assert topic["spec"]["replicas"] <= brokers
        assert topic["spec"]["config"]["min.insync.replicas"] <= topic["spec"]["replicas"]
    if overlay == "production":
        assert brokers >= 3 and config["min.insync.replicas"] == 2
        assert all(t["spec"]["replicas"] == 3 and t["spec"]["config"]["min.insync.replicas"] == 2 for t in topics)


def test_prometheus_operator_scrapes_every_service_and_loads_the_rules_and_dashboard(overlay: str) -> None:
    docs = render(overlay)
    (monitor,) = find(docs, "ServiceMonitor")
    scraped = [
        s
        for s in find(docs, "Service")
        if _matches(monitor["spec"]["selector"]["matchLabels"], s["metadata"]["labels"])
    ]
    assert sorted(s["metadata"]["name"] for s in scraped) == sorted(f"resolute-{n}" for n in SERVICE_NAMES)
    (endpoint,) = monitor["spec"]["endpoints"]
    assert endpoint["path"] == "/metrics"
    assert all(endpoint["port"] in {p["name"] for p in s["spec"]["ports"]} for s in scraped)
    (rule,) = find(docs, "PrometheusRule")
    assert rule["spec"]["groups"] == yaml.safe_load(RULES_FILE.read_text())["groups"]
    (board,) = find(docs, "ConfigMap", "resolute-grafana-dashboard")
    assert json.loads(board["data"]["resolute.json"]) == json.loads(DASHBOARD_FILE.read_text())
    assert board["metadata"]["labels"]["grafana_dashboard"] == "1"


# --- NetworkPolicy: who can reach whom, evaluated as Kubernetes does ---------------------------------------


@dataclass(frozen=True)
class Endpoint:
    """A pod (labels, namespace) or an address outside the cluster (ip)."""

    labels: dict[str, str] = field(default_factory=dict)
    namespace: str = "resolute"
    ip: str | None = None


NAMESPACE_LABELS = {
    "resolute": {"kubernetes.io/metadata.name": "resolute"},
    "monitoring": {"kubernetes.io/metadata.name": "monitoring"},
    "kube-system": {"kubernetes.io/metadata.name": "kube-system"},
    "elsewhere": {"kubernetes.io/metadata.name": "elsewhere"},
}


def _peer_matches(peer: dict[str, Any], other: Endpoint) -> bool:
    if "ipBlock" in peer:
        if other.ip is None:
            return False
        address = ipaddress.ip_address(other.ip)
        block = peer["ipBlock"]
        return address in ipaddress.ip_network(block["cidr"]) and not any(
            address in ipaddress.ip_network(e) for e in block.get("except", [])
        )
    if other.ip is not None:
        return False
    if "namespaceSelector" in peer:
        if not _matches(peer["namespaceSelector"].get("matchLabels", {}), NAMESPACE_LABELS[other.namespace]):
            return False
    elif other.namespace != "resolute":
        return False
    return _matches(peer.get("podSelector", {}).get("matchLabels", {}), other.labels)


def _rule_allows(rule: dict[str, Any], peers_key: str, other: Endpoint, port: int, protocol: str) -> bool:
    ports = rule.get("ports")
    if ports and not any(p.get("port") == port and p.get("protocol", "TCP") == protocol for p in ports):
        return False
    peers = rule.get(peers_key)
    return not peers or any(_peer_matches(peer, other) for peer in peers)


def _allowed(
    policies: list[dict[str, Any]], pod: Endpoint, direction: str, other: Endpoint, port: int, protocol: str
) -> bool:
    """A pod selected by no policy of that direction is open; otherwise some rule of one of them must allow."""
    if pod.ip is not None:
        return True  # outside the cluster: not ours to police
    kind, rules_key, peers_key = ("Ingress", "ingress", "from") if direction == "in" else ("Egress", "egress", "to")
    selecting = [
        p
        for p in policies
        if kind in p["spec"]["policyTypes"] and _matches(p["spec"]["podSelector"].get("matchLabels", {}), pod.labels)
    ]
    if not selecting:
        return True
    return any(
        _rule_allows(rule, peers_key, other, port, protocol) for p in selecting for rule in p["spec"].get(rules_key, [])
    )


def _reachable(
    policies: list[dict[str, Any]], source: Endpoint, target: Endpoint, port: int, protocol: str = "TCP"
) -> bool:
    return _allowed(policies, source, "out", target, port, protocol) and _allowed(
        policies, target, "in", source, port, protocol
    )


def test_network_policies_expose_only_the_gateway_and_give_each_service_only_what_it_needs(overlay: str) -> None:
    docs = render(overlay)
    policies = find(docs, "NetworkPolicy")
    pods = {
        name: Endpoint(d["spec"]["template"]["metadata"]["labels"])
        for name in SERVICE_NAMES
        for d in find(docs, "Deployment", f"resolute-{name}")
    }
    migrations = {
        name: Endpoint(d["spec"]["template"]["metadata"]["labels"])
        for name in SERVICE_NAMES
        for d in find(docs, "Job", f"resolute-{name}-migrate")
    }
    ports = {name: find(docs, "Service", f"resolute-{name}")[0]["spec"]["ports"][0]["port"] for name in SERVICE_NAMES}
    outsider = Endpoint({"app": "anything"}, namespace="elsewhere")
    prometheus = Endpoint({"app.kubernetes.io/name": "prometheus"}, namespace="monitoring")
    kafka = Endpoint({"strimzi.io/cluster": "resolute", "strimzi.io/kind": "Kafka", "strimzi.io/broker-role": "true"})
    databases = {name: Endpoint({f"resolute.io/database-{name}": "true"}) for name in SERVICE_NAMES}
    dns = Endpoint({"k8s-app": "kube-dns"}, namespace="kube-system")
    internet, private = Endpoint(ip="203.0.113.7"), Endpoint(ip="10.1.2.3")
    metadata_address = Endpoint(ip="169.254.169.254")

    for name, pod in pods.items():
        public = name == "gateway"
        assert _reachable(policies, outsider, pod, ports[name]) == public, name
        assert _reachable(policies, prometheus, pod, ports[name]), name
        assert _reachable(policies, pod, kafka, 9092) == (name != "gateway"), name
        assert _reachable(policies, pod, dns, 53, "UDP"), name
        for other in SERVICE_NAMES:
            assert _reachable(policies, pod, databases[other], 5432) == (other == name), (name, other)
            if other != name:
                calls = name == "gateway"
                assert _reachable(policies, pod, pods[other], ports[other]) == calls, (name, other)
        webhooks = name == "notifier"
        assert _reachable(policies, pod, internet, 443) == webhooks, name
        assert not _reachable(policies, pod, private, 443), name
        assert not _reachable(policies, pod, metadata_address, 80), name
    for name, migration in migrations.items():
        assert _reachable(policies, migration, databases[name], 5432)
        assert not _reachable(policies, migration, kafka, 9092)
        assert not _reachable(policies, migration, internet, 443)
        assert not _reachable(policies, outsider, migration, ports[name])
    (kafka_cluster,) = find(docs, "Kafka")
    (listener,) = kafka_cluster["spec"]["kafka"]["listeners"]
    clients = [pod for pod in pods.values() if any(_peer_matches(peer, pod) for peer in listener["networkPolicyPeers"])]
    assert clients == [pods["ingest"], pods["tracker"], pods["notifier"]]
