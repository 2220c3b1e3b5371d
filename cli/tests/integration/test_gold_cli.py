"""`resolute gold export` against a real gateway and ingest service, and `resolute extract --compare` against
what it wrote: an editor's corrections become the gold the extractor is compared with."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from resolute.cli.gold import fetch_document, gold_file
from resolute.cli.testing import RunningGateway, ingest_behind_gateway, upload_file
from resolute.shared.api.documents import DocumentOut, ExtractedCommitmentOut
from resolute.shared.testing.broker import TansuBroker
from resolute.shared.testing.fixtures import REPO_ROOT

pytestmark = pytest.mark.integration

ADMIN_KEY = "rsk_cli-gold-admin-0123456789abcdef"
CORPUS = REPO_ROOT / "corpus"
RESOLUTION = CORPUS / "ba-44th-session-resolution-2025.txt"


@pytest.fixture
async def gateway(make_database: Callable[[str], str], kafka: TansuBroker) -> AsyncIterator[RunningGateway]:
    async with ingest_behind_gateway(make_database, kafka.bootstrap_servers, ADMIN_KEY) as running:
        yield running


async def _commitments(client: httpx.AsyncClient, document_id: str) -> list[dict[str, Any]]:
    response = await client.get(f"/v1/documents/{document_id}/commitments", params={"limit": 500})
    assert response.status_code == 200, response.text
    assert response.json()["next_cursor"] is None
    return response.json()["items"]  # type: ignore[no-any-return]


async def _export(gateway: RunningGateway, document_id: str, out: Path) -> dict[str, Any]:
    run = await gateway.resolute(
        "gold", "export", document_id, "--url", gateway.url, "--key", ADMIN_KEY, "--out", str(out)
    )
    assert run.code == 0, run.stderr
    assert run.stdout == ""
    return json.loads(await asyncio.to_thread(out.read_text, encoding="utf-8"))  # type: ignore[no-any-return]


async def test_corrections_become_the_gold_and_compare_reports_exactly_them(
    gateway: RunningGateway, tmp_path: Path
) -> None:
    async with gateway.client() as client:
        document_id = await upload_file(client, RESOLUTION)
        items = await _commitments(client, document_id)
        assert len(items) == 91
        narrowed, withdrawn, dated = items[9], items[2], items[19]
        assert set(narrowed["countries"]) == {"EE", "LV", "LT"} and dated["deadline"] is None
        base = f"/v1/documents/{document_id}/commitments"
        corrections = [
            client.patch(
                f"{base}/{narrowed['id']}", json={"reason": "Lithuania is not asked", "countries": ["EE", "LV"]}
            ),
            client.post(f"{base}/{withdrawn['id']}/withdraw", json={"reason": "a recital, not a commitment"}),
            client.patch(
                f"{base}/{dated['id']}",
                json={
                    "reason": "the text sets 2027",
                    "deadline": {"verbatim": "by 2027", "kind": "year", "year": 2027},
                },
            ),
        ]
        for correction in corrections:
            response = await correction
            assert response.status_code == 200, response.text

    out = tmp_path / "ba-44.gold.json"
    gold = await _export(gateway, document_id, out)
    corpus = json.loads((CORPUS / "ba-44th-session-resolution-2025.gold.json").read_text(encoding="utf-8"))
    assert list(gold) == list(corpus)
    assert {k: gold[k] for k in ("kind", "issuing_body", "title", "session", "adopted", "calendar_facts")} == {
        k: corpus[k] for k in ("kind", "issuing_body", "title", "session", "adopted", "calendar_facts")
    }
    assert gold["file"] == RESOLUTION.name and gold["place"] == "Riga"
    exported = {c["text"]: c for c in gold["commitments"]}
    assert len(gold["commitments"]) == 90 and withdrawn["text"] not in exported
    assert [c["n"] for c in gold["commitments"]] == list(range(1, 91))
    assert list(gold["commitments"][0]) == list(corpus["commitments"][0])  # n, section, text, countries, ...
    assert exported[narrowed["text"]]["countries"] == ["EE", "LV"]
    assert exported[dated["text"]]["deadline"] == {"verbatim": "by 2027", "kind": "year", "year": 2027}
    untouched = [
        c for c in corpus["commitments"] if c["text"] not in (narrowed["text"], withdrawn["text"], dated["text"])
    ]
    assert [(c["text"], c["section"], set(c["countries"]), c["bodies"]) for c in untouched] == [
        (c["text"], c["section"], set(c["countries"]), c["bodies"])
        for c in gold["commitments"]
        if c["text"] not in (narrowed["text"], dated["text"])
    ]

    run = await gateway.resolute("extract", "--compare", str(out), str(RESOLUTION))
    assert run.code == 1, run.stderr
    name = RESOLUTION.name
    n_narrowed, n_dated = exported[narrowed["text"]]["n"], exported[dated["text"]]["n"]
    assert sorted(run.stdout.strip().splitlines()) == sorted(
        [
            f"{name} item 3: extra: {withdrawn['text']!r}",
            f"{name} item {n_narrowed}: countries: read only [LT]",
            f'{name} item {n_dated}: deadline: gold {{"verbatim": "by 2027", "kind": "year", "year": 2027}}, read none',
            f"3 differences from {out}",
        ]
    ), run.stdout


@pytest.mark.parametrize(
    "source",
    [
        "nato-pa-policy-recommendations-2025.md",  # a bundle of eight, with labels
        "ies-commentary-bmma-declaration-2026.txt",  # commitments read from prose
        "seimas-press-release-42nd-ba-session-2023.txt",  # no commitments, calendar facts only
    ],
)
async def test_an_uncorrected_document_exports_the_extractors_reading(
    gateway: RunningGateway, tmp_path: Path, source: str
) -> None:
    path = CORPUS / source
    async with gateway.client() as client:
        document_id = await upload_file(client, path)
    run = await gateway.resolute(
        "gold", "export", document_id, "--url", gateway.url, env={"RESOLUTE_API_KEY": ADMIN_KEY}
    )
    assert run.code == 0, run.stderr
    gold = json.loads(run.stdout)  # without --out: the gold on stdout
    corpus = json.loads((CORPUS / source.replace(Path(source).suffix, ".gold.json")).read_text(encoding="utf-8"))
    assert (gold["file"], gold["kind"], gold.get("issuing_body")) == (source, corpus["kind"], gold.get("issuing_body"))
    if corpus["kind"] == "bundle":
        assert "title" not in gold  # the API keeps the parts' titles, not the file's heading above them
        assert [d["number"] for d in gold["documents"]] == [d["number"] for d in corpus["documents"]]
        assert [len(d["commitments"]) for d in gold["documents"]] == [
            len(d["commitments"]) for d in corpus["documents"]
        ]
        first = gold["documents"][0]["commitments"][0]
        assert list(first) == list(corpus["documents"][0]["commitments"][0]) and first["label"] == "a"
    elif "commitments_expected" in corpus:
        assert "commitments" not in gold and gold["signed"] == corpus["signed"]
        assert gold["commitments_min"] == len(gold["commitments_expected"]) >= len(corpus["commitments_expected"])
        assert all(
            e["ministry"] == "defence" and set(e["countries"]) == {"EE", "LV", "LT"}
            for e in gold["commitments_expected"]
        )
    else:
        assert gold["commitments"] == [] and gold["published"] == corpus["published"]
        assert gold["calendar_facts"] == corpus["calendar_facts"]

    out = tmp_path / "exported.gold.json"
    out.write_text(run.stdout, encoding="utf-8")
    compared = await gateway.resolute("extract", "--compare", str(out), str(path))
    assert compared.code == 0, compared.stdout + compared.stderr
    assert compared.stdout.startswith(f"no differences from {out}")


async def test_what_cannot_be_exported_exits_2_with_one_line(gateway: RunningGateway, tmp_path: Path) -> None:
    async with gateway.client() as client:
        document_id = await upload_file(client, CORPUS / "ba-43rd-session-resolution-2024.txt")
    cases = [
        (
            ["00000000-0000-4000-8000-000000000000", "--key", ADMIN_KEY],
            "no document 00000000-0000-4000-8000-000000000000",
        ),
        ([document_id, "--key", "rsk_not-a-key"], "the gateway refused the API key: 401"),
        ([document_id], "no API key"),
        ([document_id, "--key", ADMIN_KEY, "--url", "http://127.0.0.1:9"], "cannot reach the gateway"),
    ]
    for args, reason in cases:
        url = [] if "--url" in args else ["--url", gateway.url]
        out = tmp_path / "never.gold.json"
        run = await gateway.resolute("gold", "export", *args, *url, "--out", str(out))
        assert run.code == 2, (args, run.stderr)
        assert run.stdout == "" and not out.exists()
        (line,) = run.stderr.strip().splitlines()
        assert line.startswith("resolute gold export: ") and reason in line, line


async def test_every_page_of_commitments_is_read_and_withdrawn_ones_left_out(gateway: RunningGateway) -> None:
    async with gateway.client() as client:
        document_id = await upload_file(client, CORPUS / "nato-pa-policy-recommendations-2025.md")
        items = await _commitments(client, document_id)
        response = await client.post(
            f"/v1/documents/{document_id}/commitments/{items[40]['id']}/withdraw", json={"reason": "not operative"}
        )
        assert response.status_code == 200, response.text

    def fetch() -> tuple[DocumentOut, list[ExtractedCommitmentOut]]:
        with httpx.Client(base_url=gateway.url, headers={"Authorization": f"Bearer {ADMIN_KEY}"}) as sync:
            return fetch_document(sync, gateway.url, document_id, page_size=7)  # 21 pages

    document, commitments = await asyncio.to_thread(fetch)
    assert len(document.parts) == 8
    assert [c.id for c in commitments] == [c["id"] for c in items if c["id"] != items[40]["id"]]
    gold = gold_file(document, commitments)
    assert [len(d["commitments"]) for d in gold["documents"]] == [32, 24, 12, 17, 19, 12, 18, 8]  # the 41st was in #497
