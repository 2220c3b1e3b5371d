"""The `resolute extract` contract: JSON on stdout and exit 0; a one-line error naming the file and exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from resolute.cli.main import app
from resolute.shared.actors import default_registry

CORPUS_DIR = Path(__file__).resolve().parents[3] / "corpus"
ZOO_DIR = Path(__file__).resolve().parents[3] / "services" / "ingest" / "tests" / "zoo"
runner = CliRunner()


def test_json_for_several_files_in_order() -> None:
    paths = [
        CORPUS_DIR / "ba-44th-session-resolution-2025.txt",
        CORPUS_DIR / "nato-pa-policy-recommendations-2025.md",
    ]
    result = runner.invoke(app, ["extract", *map(str, paths), "--json"])
    assert result.exit_code == 0, result.output
    documents = json.loads(result.stdout)["documents"]
    assert [d["source"] for d in documents] == [str(paths[0])] + [str(paths[1])] * 8
    assert [len(d["commitments"]) for d in documents] == [91, 32, 25, 12, 17, 19, 12, 18, 8]
    assert documents[1]["number"] == 496


def test_member_governments_are_the_allies_of_the_documents_date_offline() -> None:
    """The command reads with the same shipped registry as the stack: 19 Allies in 2001, 32 in 2025."""
    paths = [ZOO_DIR / "nato-pa-2001-resolution-bullets.txt", CORPUS_DIR / "nato-pa-policy-recommendations-2025.md"]
    result = runner.invoke(app, ["extract", *map(str, paths), "--json"])
    assert result.exit_code == 0, result.output
    older, *newer = json.loads(result.stdout)["documents"]
    registry = default_registry()
    for document, allies in [(older, 19)] + [(d, 32) for d in newer]:
        members = registry.members("nato-allies", date.fromisoformat(document["adopted"]))
        assert len(members) == allies
        urged = [c for c in document["commitments"] if c["countries"]]
        assert urged and all(set(c["countries"]) == set(members) for c in urged), document["adopted"]
    assert {"EE", "LV", "LT"} <= set(registry.members("nato-allies", date(2025, 10, 13)))
    assert {"EE", "LV", "LT"}.isdisjoint(older["commitments"][0]["countries"])


def test_missing_file_is_named_on_one_stderr_line(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    result = runner.invoke(app, ["extract", str(missing), "--json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(missing) in lines[0]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n ", "whitespace"),
        ("junk.bin", b"\x00\x01\x02\x03\xff\xfe binary", "binary"),
        ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
    ],
)
def test_unreadable_files_exit_2(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = runner.invoke(app, ["extract", str(path), "--json"])
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert str(path) in line and reason in line


def test_one_bad_file_fails_the_run(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    good = CORPUS_DIR / "seimas-press-release-42nd-ba-session-2023.txt"
    result = runner.invoke(app, ["extract", str(good), str(bad), "--json"])
    assert result.exit_code == 2 and result.stdout == ""
    assert str(bad) in result.stderr


def test_human_table_without_json() -> None:
    result = runner.invoke(app, ["extract", str(CORPUS_DIR / "ba-43rd-session-resolution-2024.txt")])
    assert result.exit_code == 0
    assert "106" in result.stdout and "resolution" in result.stdout


def test_installed_command_as_a_subprocess() -> None:
    resolute = Path(sys.executable).with_name("resolute")
    if not resolute.exists():
        pytest.skip("the resolute entry point is not installed in this environment")
    run = subprocess.run(
        [str(resolute), "extract", str(CORPUS_DIR / "ies-commentary-bmma-declaration-2026.txt"), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    (doc,) = json.loads(run.stdout)["documents"]
    assert doc["kind"] == "declaration_of_intent" and doc["adopted"] == "2026-01-30"
