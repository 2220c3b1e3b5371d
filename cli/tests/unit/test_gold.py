"""`resolute gold export` where nothing can be tried (no key, no gateway), and the deadline's gold form."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from resolute.cli.gold import gold_deadline
from resolute.cli.main import app
from resolute.cli.stack import free_port
from resolute.ingest.testing.scoring import deadline_matches
from resolute.shared.extracted import Deadline

NO_KEYS = {"RESOLUTE_API_KEY": None, "RESOLUTE_ADMIN_KEY": None}


def test_without_a_key_nothing_is_tried(tmp_path: Path) -> None:
    runner = CliRunner(env={**NO_KEYS, "RESOLUTE_DATA_DIR": str(tmp_path / "no-stack")})
    result = runner.invoke(app, ["gold", "export", "some-id", "--url", "http://127.0.0.1:9"])
    assert result.exit_code == 2 and result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("resolute gold export: no API key")


def test_the_dev_stacks_key_is_used_and_an_absent_gateway_named(tmp_path: Path) -> None:
    (tmp_path / "admin-key").write_text("rsk_remembered\n")
    port = free_port()  # nothing listens there
    runner = CliRunner(env={**NO_KEYS, "RESOLUTE_DATA_DIR": str(tmp_path), "RESOLUTE_GATEWAY_PORT": str(port)})
    out = tmp_path / "x.gold.json"
    result = runner.invoke(app, ["gold", "export", "some-id", "--out", str(out)])
    assert result.exit_code == 2 and not out.exists()
    (line,) = result.stderr.strip().splitlines()
    assert f"cannot reach the gateway at http://127.0.0.1:{port}" in line


def test_a_deadline_keeps_the_parts_it_states() -> None:
    assert gold_deadline(None) is None
    event = Deadline(verbatim="at the 32nd Baltic Council", kind="event", series="baltic-council", ordinal=32)
    assert gold_deadline(event) == {
        "verbatim": "at the 32nd Baltic Council",
        "kind": "event",
        "series": "baltic-council",
        "ordinal": 32,
    }
    month = Deadline(verbatim="in July 2025", kind="month", date="2025-07-01")
    assert gold_deadline(month) == {"verbatim": "in July 2025", "kind": "month", "date": "2025-07-01"}
    regularly = Deadline(verbatim="regularly", kind="recurring")
    assert gold_deadline(regularly) == {"verbatim": "regularly", "kind": "recurring", "every": None}


def test_an_exported_month_is_compared_by_its_date() -> None:
    """The hand-made gold says `month`; an exported one the contract's first day: both are compared."""
    july = gold_deadline(Deadline(verbatim="in July 2025", kind="month", date="2025-07-01"))
    assert july is not None
    assert deadline_matches(july, {"kind": "month", "date": "2025-07-01"})
    assert not deadline_matches(july, {"kind": "month", "date": "2025-08-01"})
    assert not deadline_matches({"verbatim": "in July 2025", "kind": "month", "month": "2025-07"}, {"kind": "month"})
