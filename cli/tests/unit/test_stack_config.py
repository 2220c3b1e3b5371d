"""The embedded stack's settings as each process receives them."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from resolute.cli.stack import StackConfig


def test_a_service_started_later_carries_on_the_stacks_clock(tmp_path: Path) -> None:
    config = StackConfig(data_dir=tmp_path, now="2026-11-20T09:00:00Z")
    first = datetime.fromisoformat(config.service_env("tracker")["RESOLUTE_NOW"])
    config.created -= 90  # the stack has been up for 90 s when the tracker is restarted
    restarted = datetime.fromisoformat(config.service_env("tracker")["RESOLUTE_NOW"])
    start = datetime.fromisoformat("2026-11-20T09:00:00+00:00")
    assert start <= first < start + timedelta(seconds=5)
    assert start + timedelta(seconds=90) <= restarted < start + timedelta(seconds=95)
    assert restarted.utcoffset() == timedelta(0)


def test_no_now_means_real_time_and_a_bad_one_reaches_the_services_as_given(tmp_path: Path) -> None:
    assert "RESOLUTE_NOW" not in StackConfig(data_dir=tmp_path).service_env("ingest")
    assert StackConfig(data_dir=tmp_path, now="soon").service_env("ingest")["RESOLUTE_NOW"] == "soon"
