"""Tracker settings from the environment: deadline offsets as a comma list, refused when nonsensical."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from resolute.tracker.settings import TrackerSettings


def test_offsets_default_and_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert TrackerSettings().deadline_offsets == (90, 30, 7, 1)
    monkeypatch.setenv("RESOLUTE_TRACKER_DEADLINE_OFFSETS", "14, 60,3,14")
    monkeypatch.setenv("RESOLUTE_TRACKER_OVERDUE_REPEAT_DAYS", "3")
    settings = TrackerSettings()
    assert settings.deadline_offsets == (60, 14, 3)
    assert settings.overdue_repeat_days == 3


@pytest.mark.parametrize("value", ["0,30", "-7", "soon"])
def test_nonsense_offsets_are_refused(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("RESOLUTE_TRACKER_DEADLINE_OFFSETS", value)
    with pytest.raises(ValidationError):
        TrackerSettings()
