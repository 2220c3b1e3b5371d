"""The `resolute extract` contract: JSON on stdout and exit 0; a one-line error naming the file and exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

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


# `resolute extract --compare GOLD PATH`: the reading against a gold file, as the corpus is scored


def _gold(name: str) -> dict[str, Any]:
    return json.loads((CORPUS_DIR / name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("gold", "source"),
    [
        ("ba-44th-session-resolution-2025.gold.json", "ba-44th-session-resolution-2025.txt"),
        ("nato-pa-policy-recommendations-2025.gold.json", "nato-pa-policy-recommendations-2025.md"),
        ("ies-commentary-bmma-declaration-2026.gold.json", "ies-commentary-bmma-declaration-2026.txt"),
        ("seimas-press-release-42nd-ba-session-2023.gold.json", "seimas-press-release-42nd-ba-session-2023.txt"),
    ],
)
def test_compare_with_its_own_gold_finds_no_differences(gold: str, source: str) -> None:
    result = runner.invoke(app, ["extract", "--compare", str(CORPUS_DIR / gold), str(CORPUS_DIR / source)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines() == [result.stdout.strip()]
    assert result.stdout.startswith(f"no differences from {CORPUS_DIR / gold}")


def test_compare_reports_each_change_to_the_gold(tmp_path: Path) -> None:
    gold = _gold("ba-44th-session-resolution-2025.gold.json")
    items = gold["commitments"]
    dropped = items.pop(4)  # the reading has an item the gold does not (and below, the gold one it lacks)
    assert items[9]["countries"] == ["EE", "LV", "LT"]
    items[9]["countries"] = ["EE", "LV", "LT", "PL"]
    assert items[0]["deadline"]["ordinal"] == 32
    items[0]["deadline"]["ordinal"] = 33
    assert items[19]["deadline"] is None
    items[19]["deadline"] = {"verbatim": "by 2030", "kind": "year", "year": 2030}
    gold["title"] = "Declaration on Arctic fisheries"
    items.append({**items[-1], "n": 92, "text": "to light a lighthouse on every island of the Baltic Sea"})
    path = tmp_path / "changed.gold.json"
    path.write_text(json.dumps(gold), encoding="utf-8")

    source = CORPUS_DIR / "ba-44th-session-resolution-2025.txt"
    result = runner.invoke(app, ["extract", "--compare", str(path), str(source)])
    assert result.exit_code == 1, result.output
    *lines, summary = result.stdout.strip().splitlines()
    name = source.name
    assert sorted(lines) == sorted(
        [
            f"{name} item 5: extra: {dropped['text']!r}",
            f"{name} item 92: missed: 'to light a lighthouse on every island of the Baltic Sea'",
            f"{name} item 11: countries: gold only [PL]",
            f"{name} item 1: deadline: gold "
            + json.dumps({**items[0]["deadline"]})
            + ", read "
            + json.dumps({**items[0]["deadline"], "ordinal": 32}),
            f'{name} item 21: deadline: gold {{"verbatim": "by 2030", "kind": "year", "year": 2030}}, read none',
            f"{name}: title: gold 'Declaration on Arctic fisheries', read "
            "'Resolution of the 44th Session of the Baltic Assembly'",
        ]
    ), result.stdout
    assert summary == f"6 differences from {path}"


def test_compare_as_json_names_each_difference(tmp_path: Path) -> None:
    gold = _gold("nato-pa-policy-recommendations-2025.gold.json")
    resolution = gold["documents"][3]
    resolution["commitments"][2]["bodies"] = ["Baltic Council of Ministers"]
    resolution["adopted"] = "2025-10-14"
    path = tmp_path / "changed.gold.json"
    path.write_text(json.dumps(gold), encoding="utf-8")
    source = CORPUS_DIR / "nato-pa-policy-recommendations-2025.md"
    result = runner.invoke(app, ["extract", "--compare", str(path), str(source), "--json"])
    assert result.exit_code == 1, result.output
    differences = json.loads(result.stdout)["differences"]
    where = f"{source.name}#499"
    assert differences == [
        {"document": where, "item": "item 3 (c)", "what": "bodies", "gold": ["Baltic Council of Ministers"], "got": []},
        {"document": where, "item": None, "what": "date", "gold": "2025-10-14", "got": "2025-10-13"},
    ]


def test_a_calendar_fact_the_reading_lacks_is_a_difference(tmp_path: Path) -> None:
    gold = _gold("seimas-press-release-42nd-ba-session-2023.gold.json")
    gold["calendar_facts"].append({"series": "baltic-council", "ordinal": 30, "start": "2024-11-28"})
    gold["calendar_facts"][0]["place"] = "Riga"
    path = tmp_path / "changed.gold.json"
    path.write_text(json.dumps(gold), encoding="utf-8")
    source = CORPUS_DIR / "seimas-press-release-42nd-ba-session-2023.txt"
    result = runner.invoke(app, ["extract", "--compare", str(path), str(source)])
    assert result.exit_code == 1, result.output
    assert result.stdout.strip().splitlines() == [
        f"{source.name}: calendar fact baltic-assembly-session 42 place: gold 'Riga', read 'Tallinn'",
        f'{source.name}: calendar fact missed: {{"series": "baltic-council", "ordinal": 30, "start": "2024-11-28"}}',
        f"2 differences from {path}",
    ]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "No such file"),
        (b"{not json", "not a gold file: invalid JSON"),
        (b"\xff\xfe\x00junk", "not a gold file"),
        (b'["a", "list"]', "not a gold file"),
        (b'{"kind": "resolution", "commitments": [{"n": 1}]}', "not a gold file"),
    ],
)
def test_compare_with_an_unreadable_gold_exits_2(tmp_path: Path, content: bytes | None, reason: str) -> None:
    gold = tmp_path / "x.gold.json"
    if content is not None:
        gold.write_bytes(content)
    source = CORPUS_DIR / "ba-43rd-session-resolution-2024.txt"
    result = runner.invoke(app, ["extract", "--compare", str(gold), str(source)])
    assert result.exit_code == 2
    assert result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"resolute extract: {gold}: ") and reason in line


def test_compare_with_an_unreadable_document_or_two_documents_exits_2(tmp_path: Path) -> None:
    gold = str(CORPUS_DIR / "ba-43rd-session-resolution-2024.gold.json")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["extract", "--compare", gold, str(empty)])
    assert result.exit_code == 2 and result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert str(empty) in line and "empty" in line
    both = [str(CORPUS_DIR / "ba-43rd-session-resolution-2024.txt")] * 2
    result = runner.invoke(app, ["extract", "--compare", gold, *both])
    assert result.exit_code == 2
    assert "--compare takes one document" in result.stderr
