"""Settings read the contract's variables; the clock starts where RESOLUTE_NOW says and runs on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from resolute.shared.clock import Clock
from resolute.shared.settings import ServiceSettings


def test_now_and_data_dir_come_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("RESOLUTE_NOW", "2026-11-20T09:00:00Z")
    monkeypatch.setenv("RESOLUTE_DATA_DIR", str(tmp_path))
    settings = ServiceSettings(service_name="tracker")
    assert settings.now == datetime(2026, 11, 20, 9, tzinfo=UTC)
    assert settings.database_url == f"sqlite+aiosqlite:///{tmp_path.resolve() / 'tracker.db'}"


def test_now_without_zone_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESOLUTE_NOW", "2026-11-20T09:00:00")
    with pytest.raises(ValidationError, match="time zone"):
        ServiceSettings()


def test_shifted_clock_runs_on_from_its_start() -> None:
    start = datetime(2026, 11, 20, 9, tzinfo=UTC)
    clock = Clock(start)
    first = clock.now()
    assert abs(first - start) < timedelta(seconds=1)
    assert clock.now() >= first
    assert clock.shifted
    assert not Clock().shifted
