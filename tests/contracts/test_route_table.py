"""The public route table is the one declaration of each route: the gateway serves every entry at `/v1` and
the service behind it serves the same entry, and the two OpenAPI documents agree on it to the letter (its
path and query parameters, its body, its answer with every schema it references, its summary).

A service route outside the table, or a table entry a side does not serve, fails here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from resolute.shared.api.routes import PUBLIC_ROUTES, PublicRoute

from .test_openapi_documents import APPS

OPERATIONAL = {"/healthz", "/readyz", "/metrics"}


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    tmp: Path = tmp_path_factory.mktemp("apps")
    return {name: build(tmp).openapi() for name, build in APPS.items()}


def _resolved(node: Any, document: dict[str, Any], seen: frozenset[str] = frozenset()) -> Any:
    """The schema with every `$ref` replaced by what it names, so two documents compare by content."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref not in seen:
            target = document["components"]["schemas"][ref.rsplit("/", 1)[-1]]
            return _resolved(target, document, seen | {ref})
        return {key: _resolved(value, document, seen) for key, value in node.items()}
    if isinstance(node, list):
        return [_resolved(item, document, seen) for item in node]
    return node


def _contract(operation: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    """What both sides must declare alike: parameters, body, the successful answer, the summary."""
    success = {status: answer for status, answer in operation["responses"].items() if status.startswith("2")}
    return _resolved(
        {
            "parameters": [  # the gateway's own (it keeps the answers for retries), not the service's
                p for p in operation.get("parameters", []) if (p["in"], p["name"]) != ("header", "Idempotency-Key")
            ],
            "requestBody": operation.get("requestBody"),
            "success": success,
            "summary": operation.get("summary"),
            "description": operation.get("description"),
        },
        document,
    )


def _operation(document: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    operation = document["paths"].get(path, {}).get(method.lower())
    assert operation is not None, f"{method} {path} is not served"
    return operation  # type: ignore[no-any-return]


@pytest.mark.parametrize("route", [r for r in PUBLIC_ROUTES if not r.hand_written], ids=lambda r: r.name)
def test_the_gateway_and_the_service_declare_each_route_alike(
    route: PublicRoute, documents: dict[str, dict[str, Any]]
) -> None:
    gateway, service = documents["gateway"], documents[route.service]
    public = _operation(gateway, route.method, route.public_path)
    served = _operation(service, route.method, route.path)
    assert public["operationId"].startswith(route.name) and served["operationId"].startswith(route.name)
    assert _contract(public, gateway) == _contract(served, service)


def test_the_upload_answers_alike(documents: dict[str, dict[str, Any]]) -> None:
    """The one hand-written route (multipart or JSON, parsed by the service; the gateway documents the form's
    limits too): its answer, summary and description are the table's on both sides."""
    upload = next(r for r in PUBLIC_ROUTES if r.hand_written)
    public = _operation(documents["gateway"], upload.method, upload.public_path)
    served = _operation(documents["ingest"], upload.method, upload.path)
    for key in ("summary", "description"):
        assert public[key] == served[key] == getattr(upload, key)
    success = {s: a for s, a in public["responses"].items() if s.startswith("2")}
    assert _resolved(success, documents["gateway"]) == _resolved(
        {s: a for s, a in served["responses"].items() if s.startswith("2")}, documents["ingest"]
    )
    assert set(public["requestBody"]["content"]) == set(served["requestBody"]["content"])


@pytest.mark.parametrize("service", ["ingest", "tracker", "notifier"])
def test_every_route_a_service_serves_is_in_the_table(service: str, documents: dict[str, dict[str, Any]]) -> None:
    served = {
        (method.upper(), path)
        for path, methods in documents[service]["paths"].items()
        if path not in OPERATIONAL
        for method in methods
    }
    declared = {(r.method, r.path) for r in PUBLIC_ROUTES if r.service == service}
    assert served == declared


def test_the_gateway_serves_every_entry_once(documents: dict[str, dict[str, Any]]) -> None:
    public = {(method.upper(), path) for path, methods in documents["gateway"]["paths"].items() for method in methods}
    for route in PUBLIC_ROUTES:
        assert (route.method, route.public_path) in public, route.name
    assert len({(r.method, r.public_path) for r in PUBLIC_ROUTES}) == len(PUBLIC_ROUTES)
