"""Typed access to what a service's app holds (its runtime, settings and workers), instead of `app.state`.

Each service keeps one dataclass on its app (`attach`), a `ServiceState` subclass with what its routes and
tests need; `state_of(request, TrackerState)` reads it back typed, and fails loudly when the app holds
another kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from starlette.applications import Starlette
from starlette.requests import HTTPConnection

from resolute.shared.runtime import ServiceRuntime

State = TypeVar("State")
_ATTRIBUTE = "resolute"


def attach(app: Starlette, state: object) -> None:
    """Keep the service's state on its app (once, in the app factory)."""
    setattr(app.state, _ATTRIBUTE, state)


def state_of(source: Starlette | HTTPConnection, kind: type[State]) -> State:
    """The state the app was given, as the type its service declares."""
    app = source.app if isinstance(source, HTTPConnection) else source
    value = getattr(app.state, _ATTRIBUTE, None)
    if not isinstance(value, kind):
        raise TypeError(f"this app holds {type(value).__name__}, not {kind.__name__}")
    return value


@dataclass
class ServiceState:
    """What every service but the gateway holds: its runtime (database, outbox relay, consumer, workers)."""

    runtime: ServiceRuntime
