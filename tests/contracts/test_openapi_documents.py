"""The OpenAPI documents of the gateway and of each service, diffed against the committed snapshots.

The documents are the public contract (the gateway's) and the contract each service keeps with the gateway;
a refactor must leave them as they are. A deliberate change (a better description, a new route) is made by
regenerating the snapshots and committing them with the change:

    RESOLUTE_UPDATE_OPENAPI_SNAPSHOTS=1 .venv/bin/python -m pytest tests/contracts/test_openapi_documents.py

The apps are built but never started: generating a document touches neither the database nor the broker.
"""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from resolute.gateway.main import create_app as create_gateway
from resolute.gateway.settings import GatewaySettings
from resolute.ingest.main import create_app as create_ingest
from resolute.ingest.settings import IngestSettings
from resolute.notifier.main import create_app as create_notifier
from resolute.notifier.settings import NotifierSettings
from resolute.tracker.main import create_app as create_tracker
from resolute.tracker.settings import TrackerSettings

SNAPSHOTS = Path(__file__).parent / "openapi"
UPDATE = os.environ.get("RESOLUTE_UPDATE_OPENAPI_SNAPSHOTS") == "1"


def _gateway(tmp: Path) -> FastAPI:
    return create_gateway(
        GatewaySettings(database_url=f"sqlite+aiosqlite:///{tmp / 'gateway.db'}", admin_key="rsk_snapshot-admin-key")
    )


def _ingest(tmp: Path) -> FastAPI:
    return create_ingest(IngestSettings(database_url=f"sqlite+aiosqlite:///{tmp / 'ingest.db'}"))


def _tracker(tmp: Path) -> FastAPI:
    return create_tracker(TrackerSettings(database_url=f"sqlite+aiosqlite:///{tmp / 'tracker.db'}"))


def _notifier(tmp: Path) -> FastAPI:
    return create_notifier(NotifierSettings(database_url=f"sqlite+aiosqlite:///{tmp / 'notifier.db'}"))


APPS: dict[str, Callable[[Path], FastAPI]] = {
    "gateway": _gateway,
    "ingest": _ingest,
    "tracker": _tracker,
    "notifier": _notifier,
}


def _unordered_required(node: Any) -> Any:
    """JSON Schema's `required` is a set: sorted, so that declaring a model's fields in another order (or
    inheriting them) is no change."""
    if isinstance(node, dict):
        return {
            key: sorted(value) if key == "required" and isinstance(value, list) else _unordered_required(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_unordered_required(item) for item in node]
    return node


def rendered(document: dict[str, Any]) -> str:
    """One stable text per document (keys sorted), so a diff shows what changed and nothing else."""
    return json.dumps(_unordered_required(document), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("service", sorted(APPS))
def test_the_openapi_document_is_the_committed_one(service: str, tmp_path: Path) -> None:
    live = rendered(APPS[service](tmp_path).openapi())
    snapshot = SNAPSHOTS / f"{service}.json"
    if UPDATE:
        snapshot.write_text(live, encoding="utf-8")
    assert snapshot.exists(), f"no snapshot {snapshot}: run with RESOLUTE_UPDATE_OPENAPI_SNAPSHOTS=1 and commit it"
    committed = snapshot.read_text(encoding="utf-8")
    diff = "".join(
        difflib.unified_diff(
            committed.splitlines(keepends=True),
            live.splitlines(keepends=True),
            fromfile=f"{service}.json (committed)",
            tofile=f"{service}.json (live)",
        )
    )
    assert not diff, f"the {service} OpenAPI document changed:\n{diff[:20000]}"
