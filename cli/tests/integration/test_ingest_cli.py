"""`resolute ingest` against a real gateway and ingest service over HTTP, run as users run it (a subprocess)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest

from resolute.cli.testing import RunningGateway, ingest_behind_gateway
from resolute.ingest.testing.documents import typeset_pdf
from resolute.shared.testing.broker import TansuBroker
from resolute.shared.testing.fixtures import REPO_ROOT

pytestmark = pytest.mark.integration

ADMIN_KEY = "rsk_cli-test-admin-0123456789abcdef"
CORPUS = REPO_ROOT / "corpus"


@pytest.fixture
async def gateway(make_database: Callable[[str], str], kafka: TansuBroker) -> AsyncIterator[RunningGateway]:
    async with ingest_behind_gateway(make_database, kafka.bootstrap_servers, ADMIN_KEY) as running:
        yield running


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    """A secretariat's folder: two resolutions, a bundle, a PDF, a copy, a photo and a new version."""
    folder = tmp_path / "batch"
    folder.mkdir()
    resolution = (CORPUS / "ba-44th-session-resolution-2025.txt").read_text(encoding="utf-8")
    (folder / "1-ba-44.txt").write_text(resolution, encoding="utf-8")
    (folder / "2-nato-pa.md").write_bytes((CORPUS / "nato-pa-policy-recommendations-2025.md").read_bytes())
    (folder / "3-ba-43.pdf").write_bytes(typeset_pdf((CORPUS / "ba-43rd-session-resolution-2024.txt").read_text()))
    (folder / "4-copy-of-ba-44.txt").write_text(resolution, encoding="utf-8")
    (folder / "5-photo.pdf").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(2000))
    return folder


def _documents_in(folder: Path) -> list[Path]:
    return sorted(folder.iterdir())


async def test_a_batch_uploads_every_file_reports_each_and_fails_only_the_bad_ones(
    gateway: RunningGateway, batch: Path
) -> None:
    files = _documents_in(batch)
    run = await gateway.resolute("ingest", *map(str, files), "--url", gateway.url, "--key", ADMIN_KEY, "--json")
    assert run.code == 1, run.stderr  # one file failed
    report = json.loads(run.stdout)
    by_name = {Path(r["path"]).name: r for r in report["files"]}
    assert [Path(r["path"]).name for r in report["files"]] == [f.name for f in files]
    assert by_name["1-ba-44.txt"]["ok"] and by_name["1-ba-44.txt"]["commitments"] == 91
    assert by_name["2-nato-pa.md"]["commitments"] == 143
    assert by_name["3-ba-43.pdf"]["commitments"] == 106
    copy, first = by_name["4-copy-of-ba-44.txt"], by_name["1-ba-44.txt"]
    assert copy["ok"] and copy["id"] == first["id"]
    assert [copy["duplicate"], first["duplicate"]].count(True) == 1  # uploaded concurrently: either may be first
    photo = by_name["5-photo.pdf"]
    assert not photo["ok"] and photo["error"].startswith("415")
    assert report["summary"] == {
        "files": 5,
        "stored": 3,
        "new_versions": 0,
        "duplicates": 1,
        "failed": 1,
        "commitments": 91 + 143 + 106,
    }
    async with httpx.AsyncClient(base_url=gateway.url, headers={"Authorization": f"Bearer {ADMIN_KEY}"}) as client:
        listed = (await client.get("/v1/documents")).json()["items"]
    assert len(listed) == 3


async def test_human_output_lines_and_summary_and_a_new_version(
    gateway: RunningGateway, batch: Path, tmp_path: Path
) -> None:
    env = {"RESOLUTE_DATA_DIR": str(tmp_path / "stack")}
    (tmp_path / "stack").mkdir()
    (tmp_path / "stack" / "admin-key").write_text(ADMIN_KEY + "\n")  # as `resolute dev` leaves it
    run = await gateway.resolute("ingest", str(batch / "1-ba-44.txt"), "--url", gateway.url, env=env)
    assert run.code == 0, run.stderr
    assert "1 files: 1 stored (0 new versions), 0 duplicates, 0 failed; 91 commitments extracted" in run.stdout
    document_id = run.stdout.split()[2]

    amended = tmp_path / "ba-44-corrected.txt"
    original = (batch / "1-ba-44.txt").read_text()
    amended.write_text(original.replace("- to explore the feasibility", "- to study the feasibility"))
    run = await gateway.resolute(
        "ingest", str(amended), str(batch / "5-photo.pdf"), str(tmp_path / "missing.txt"), "--url", gateway.url,
        env={"RESOLUTE_API_KEY": ADMIN_KEY},
    )  # fmt: skip
    assert run.code == 1
    assert f"version 2, supersedes {document_id}, 1 withdrawn  91 commitments" in run.stdout
    errors = [line for line in run.stderr.splitlines() if line.startswith("failed")]
    assert len(errors) == 2
    assert any("5-photo.pdf: 415" in line for line in errors)
    assert any("missing.txt: No such file" in line for line in errors)
    assert "3 files: 1 stored (1 new versions), 0 duplicates, 2 failed" in run.stdout


async def test_keys_that_cannot_upload(gateway: RunningGateway, batch: Path) -> None:
    document = str(batch / "1-ba-44.txt")
    refused = await gateway.resolute("ingest", document, "--url", gateway.url, "--key", "rsk_not-a-key")
    assert refused.code == 2
    assert "refused the API key: 401" in refused.stderr
    reader = await gateway.new_key("reader")
    forbidden = await gateway.resolute("ingest", document, "--url", gateway.url, "--key", reader)
    assert forbidden.code == 1
    assert "1-ba-44.txt: 403" in forbidden.stderr
