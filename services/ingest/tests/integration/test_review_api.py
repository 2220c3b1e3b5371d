"""Review and correction at ingest, on its own API: the review gate holds a weakly read document's commitments
until an editor publishes it, corrections are kept with who, when, why, before and after, each one queued for
the tracker in the same transaction, and a bad one is a 422 that changes nothing."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from resolute.ingest.extraction.text import clean_item
from resolute.ingest.state import IngestState
from resolute.shared.testing.fixtures import REPO_ROOT
from resolute.shared.web.identity import PRINCIPAL_HEADER, SCOPE_HEADER
from resolute.shared.web.state import state_of

pytestmark = pytest.mark.integration

CORPUS = REPO_ROOT / "corpus"
RESOLUTION = CORPUS / "ba-44th-session-resolution-2025.txt"  # a recognised layout: published at once
COMMENTARY = CORPUS / "ies-commentary-bmma-declaration-2026.txt"  # commitments read from prose: needs review
EDITOR = {PRINCIPAL_HEADER: "key-editor", SCOPE_HEADER: "editor"}
MINISTRY = {PRINCIPAL_HEADER: "key-ministry", SCOPE_HEADER: "ministry:EE:defence"}


def _kind(response: httpx.Response) -> str:
    """The problem's kind: the last segment of its type URI."""
    return str(response.json()["type"]).rsplit("/", 1)[-1]


async def _upload(client: httpx.AsyncClient, path: Any, **fields: str) -> dict[str, Any]:
    response = await client.post("/documents", files={"file": (path.name, path.read_bytes())}, data=fields)
    assert response.status_code == 202, response.text
    return response.json()  # type: ignore[no-any-return]


async def _outbox(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    runtime = state_of(client.app, IngestState).runtime  # type: ignore[attr-defined]
    outbox = runtime.tables.outbox
    async with runtime.sessionmaker() as session:
        rows = (await session.execute(select(outbox.c.payload).order_by(outbox.c.id))).all()
    return [json.loads(payload) for (payload,) in rows]


async def _commitments(client: httpx.AsyncClient, document_id: str, **params: Any) -> list[dict[str, Any]]:
    response = await client.get(f"/documents/{document_id}/commitments", params={"limit": 500, **params})
    assert response.status_code == 200, response.text
    return response.json()["items"]  # type: ignore[no-any-return]


async def test_a_document_that_needs_review_is_held_until_published(ingest: httpx.AsyncClient) -> None:
    held = await _upload(ingest, COMMENTARY)
    assert (held["review_state"], held["held"]) == ("needs_review", True)
    assert await _outbox(ingest) == []  # nothing reaches the tracker yet

    queue = (await ingest.get("/review/documents", headers=EDITOR)).json()["items"]
    assert [(d["id"], d["review_state"], d["held"]) for d in queue] == [(held["id"], "needs_review", True)]
    assert any("prose" in reason for reason in queue[0]["review"])
    assert (await ingest.get("/review/documents", headers=MINISTRY)).status_code == 403

    started = await ingest.post(f"/documents/{held['id']}/review", json={}, headers=EDITOR)
    assert started.status_code == 200, started.text
    assert (started.json()["review_state"], started.json()["review_started_by"]) == ("in_review", "key-editor")

    first = (await _commitments(ingest, held["id"]))[0]
    revised = await ingest.patch(
        f"/documents/{held['id']}/commitments/{first['id']}",
        json={"reason": "the ministers of Estonia only", "countries": ["EE"]},
        headers=EDITOR,
    )
    assert revised.status_code == 200, revised.text
    assert revised.json()["published"] is False
    assert await _outbox(ingest) == []  # a held document's corrections wait for publication too

    assert (await ingest.post(f"/documents/{held['id']}/publish", json={}, headers=MINISTRY)).status_code == 403
    published = await ingest.post(f"/documents/{held['id']}/publish", json={"note": "checked"}, headers=EDITOR)
    assert published.status_code == 200, published.text
    assert (published.json()["review_state"], published.json()["held"]) == ("published", False)
    events = await _outbox(ingest)
    extracted = [e for e in events if e["type"] == "commitment.extracted.v1"]
    assert len(extracted) == held["commitment_count"]
    sent_first = next(e["data"] for e in extracted if e["data"]["commitment_id"] == first["id"])
    assert sent_first["countries"] == ["EE"]  # as corrected
    corrected = [e["data"] for e in events if e["type"] == "commitment.corrected.v1"]
    assert [(c["commitment_id"], c["revision"], c["correction"]["actor"]) for c in corrected] == [
        (first["id"], 1, "key-editor")
    ]
    assert [e["type"] for e in events][-1] == "document.processed.v1"
    again = await ingest.post(f"/documents/{held['id']}/publish", json={}, headers=EDITOR)
    assert (again.status_code, _kind(again)) == (409, "already-published")
    assert (await ingest.get("/review/documents", headers=EDITOR)).json()["items"] == []


async def test_an_issuing_body_may_hold_its_documents_for_review(ingest: httpx.AsyncClient) -> None:
    chosen = await ingest.put(
        "/review/policies/baltic-assembly", json={"publish": "after_review", "note": "new layout"}, headers=EDITOR
    )
    assert chosen.status_code == 200, chosen.text
    assert (chosen.json()["body_name"], chosen.json()["updated_by"]) == ("Baltic Assembly", "key-editor")
    unknown = await ingest.put("/review/policies/no-such-body", json={"publish": "at_once"}, headers=EDITOR)
    assert (unknown.status_code, _kind(unknown)) == (422, "unknown-body")
    policies = (await ingest.get("/review/policies", headers=EDITOR)).json()["items"]
    assert [(p["body_id"], p["publish"]) for p in policies] == [("baltic-assembly", "after_review")]

    document = await _upload(ingest, RESOLUTION)
    assert (document["review_state"], document["held"]) == ("needs_review", True)
    assert await _outbox(ingest) == []
    overridden = await _upload(ingest, COMMENTARY, publish="at_once")  # the upload's own choice wins
    assert (overridden["review_state"], overridden["held"]) == ("needs_review", False)  # sent, still to review
    assert {e["type"] for e in await _outbox(ingest)} >= {"commitment.extracted.v1", "document.processed.v1"}


async def test_corrections_are_events_with_who_when_why_before_and_after(ingest: httpx.AsyncClient) -> None:
    document = await _upload(ingest, RESOLUTION)
    assert (document["review_state"], document["held"]) == ("published", False)
    items = await _commitments(ingest, document["id"])
    target, dropped = items[0], items[1]
    sent = len(await _outbox(ingest))
    path = f"/documents/{document['id']}/commitments"

    revised = await ingest.patch(
        f"{path}/{target['id']}",
        json={
            "reason": "Poland is addressed too (see the preamble)",
            "countries": [*target["countries"], "PL"],
            "deadline": {"verbatim": "by the end of 2026", "kind": "year", "year": 2026},
        },
        headers=EDITOR,
    )
    assert revised.status_code == 200, revised.text
    correction = revised.json()
    assert (correction["kind"], correction["actor"], correction["published"]) == ("revise", "key-editor", True)
    (change,) = correction["commitments"]
    fields = {c["field"]: c for c in change["changes"]}
    assert fields["countries"]["after"] == [*target["countries"], "PL"]
    assert fields["countries"]["before"] == target["countries"]
    assert fields["deadline"]["before"] == target["deadline"]
    assert any(m["country"] == "PL" for m in change["after"]["ministries"])  # ministries follow the countries

    withdrawn = await ingest.post(
        f"{path}/{dropped['id']}/withdraw", json={"reason": "a statement of fact, not a commitment"}, headers=EDITOR
    )
    assert withdrawn.status_code == 200, withdrawn.text
    standing = await _commitments(ingest, document["id"])
    assert dropped["id"] not in {c["id"] for c in standing}
    kept = next(
        c for c in await _commitments(ingest, document["id"], include_withdrawn=True) if c["id"] == dropped["id"]
    )
    assert (kept["withdrawn"], kept["withdrawn_reason"]) == (True, "a statement of fact, not a commitment")

    events = (await _outbox(ingest))[sent:]
    assert [(e["type"], e["data"]["commitment_id"], e["data"]["revision"], e["data"]["withdrawn"]) for e in events] == [
        ("commitment.corrected.v1", target["id"], 1, False),
        ("commitment.corrected.v1", dropped["id"], 1, True),
    ]
    listed = (await ingest.get(f"/commitments/{target['id']}/corrections")).json()["items"]
    assert [(c["id"], c["reason"]) for c in listed] == [
        (correction["id"], "Poland is addressed too (see the preamble)")
    ]
    all_of_it = (await ingest.get(f"/documents/{document['id']}/corrections")).json()["items"]
    assert [c["kind"] for c in all_of_it] == ["revise", "withdraw"]


async def test_an_editor_adds_a_commitment_from_a_span(ingest: httpx.AsyncClient) -> None:
    document = await _upload(ingest, RESOLUTION)
    text = (await ingest.get(f"/documents/{document['id']}/text")).json()["text"]
    items = await _commitments(ingest, document["id"])
    sent = len(await _outbox(ingest))
    intro = text.index("having discussed the results")  # the preamble, before any commitment
    span = [intro, text.index("\n", intro)]
    assert span[1] <= items[0]["span"][0]

    proposal = await ingest.get(f"/documents/{document['id']}/proposal", params={"start": span[0], "end": span[1]},
                                headers=EDITOR)  # fmt: skip
    assert proposal.status_code == 200, proposal.text
    assert proposal.json()["overlaps"] == []
    proposed = proposal.json()["proposed"]
    assert proposed["text"] and proposed["countries"]  # the extractor reads the span in its document's context

    added = await ingest.post(
        f"/documents/{document['id']}/commitments",
        json={"reason": "the preamble's undertaking was missed", "span": span, "policy_area": "defence"},
        headers=EDITOR,
    )
    assert added.status_code == 201, added.text
    (change,) = added.json()["commitments"]
    assert (change["effect"], change["before"], change["after"]["position"]) == ("added", None, 0)
    assert change["after"]["policy_area"] == "defence"
    now = await _commitments(ingest, document["id"])
    assert now[0]["id"] == change["commitment_id"] and now[0]["origin"] == "added"
    assert [c["id"] for c in now[1:]] == [c["id"] for c in items]  # the others move one place on
    (event,) = [e["data"] for e in (await _outbox(ingest))[sent:]]
    assert event["positions"] == {c["id"]: i + 1 for i, c in enumerate(items)}

    overlapping = await ingest.post(
        f"/documents/{document['id']}/commitments", json={"reason": "again", "span": span}, headers=EDITOR
    )
    assert (overlapping.status_code, _kind(overlapping)) == (422, "overlapping-span")


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ({"countries": ["XX"]}, "invalid-correction"),
        ({"ministries": [{"country": "EE", "ministry": "no-such-ministry"}]}, "invalid-correction"),
        ({"span": [0, 99_999_999]}, "span-outside-text"),
        ({"deadline": {"verbatim": "soon", "kind": "someday"}}, "validation"),
        ({"policy_area": "astrology"}, "invalid-correction"),
        ({"colour": "blue"}, "validation"),
    ],
    ids=["unknown-country", "unknown-ministry", "span-outside-text", "unknown-deadline-kind", "unknown-area",
         "unknown-field"],
)  # fmt: skip
async def test_a_bad_correction_is_a_422_that_changes_nothing(
    ingest: httpx.AsyncClient, row_counts: Any, body: dict[str, Any], kind: str
) -> None:
    document = await _upload(ingest, RESOLUTION)
    target = (await _commitments(ingest, document["id"]))[0]
    before = await row_counts(ingest)
    refused = await ingest.patch(
        f"/documents/{document['id']}/commitments/{target['id']}",
        json={"reason": "a wrong fix", **body},
        headers=EDITOR,
    )
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert _kind(refused) == kind
    assert await row_counts(ingest) == before
    assert (await _commitments(ingest, document["id"]))[0] == target
    forbidden = await ingest.patch(
        f"/documents/{document['id']}/commitments/{target['id']}",
        json={"reason": "a ministry may not", "countries": ["EE"]},
        headers=MINISTRY,
    )
    assert (forbidden.status_code, _kind(forbidden)) == (403, "forbidden")
    assert await row_counts(ingest) == before


async def test_an_editor_splits_a_commitment_read_as_one(ingest: httpx.AsyncClient, row_counts: Any) -> None:
    document = await _upload(ingest, RESOLUTION)
    text = (await ingest.get(f"/documents/{document['id']}/text")).json()["text"]
    items = await _commitments(ingest, document["id"])
    index, target = next((i, c) for i, c in enumerate(items) if " and " in c["text"])
    start, end = target["span"]
    cut = text.index(" and ", start, end)
    path = f"/documents/{document['id']}/commitments/{target['id']}/split"

    before = await row_counts(ingest)
    outside = await ingest.post(
        path, json={"reason": "two items", "parts": [[start, cut], [cut + 5, end + 40]]}, headers=EDITOR
    )
    assert outside.status_code == 422, outside.text  # parts are given as objects with a span
    outside = await ingest.post(
        path,
        json={"reason": "two items", "parts": [{"span": [start, cut]}, {"span": [cut + 5, end + 40]}]},
        headers=EDITOR,
    )
    assert (outside.status_code, _kind(outside)) == (422, "span-outside-commitment")
    overlapping = await ingest.post(
        path,
        json={"reason": "two items", "parts": [{"span": [start, cut + 3]}, {"span": [cut, end]}]},
        headers=EDITOR,
    )
    assert (overlapping.status_code, _kind(overlapping)) == (422, "validation")
    assert await row_counts(ingest) == before
    sent = len(await _outbox(ingest))

    split = await ingest.post(
        path,
        json={
            "reason": "the item holds two undertakings",
            "parts": [{"span": [start, cut]}, {"span": [cut + 5, end], "policy_area": "economy"}],
        },
        headers=EDITOR,
    )
    assert split.status_code == 201, split.text
    correction = split.json()
    assert correction["kind"] == "split"
    revised, added = correction["commitments"]
    assert (revised["commitment_id"], revised["effect"], added["effect"]) == (target["id"], "revised", "added")
    assert revised["after"]["span"][1] <= cut < added["after"]["span"][0]
    assert added["after"]["countries"] == target["countries"]  # a part starts from the commitment split
    assert added["after"]["policy_area"] == "economy"  # and takes the fields given for it

    now = await _commitments(ingest, document["id"])
    assert len(now) == len(items) + 1
    assert [c["id"] for c in now[: index + 2]] == [
        *(c["id"] for c in items[:index]),
        target["id"],
        added["commitment_id"],
    ]
    assert [c["id"] for c in now[index + 2 :]] == [c["id"] for c in items[index + 1 :]]  # the rest one place on
    assert now[index]["text"] == clean_item(text[start:cut])
    events = [e["data"] for e in (await _outbox(ingest))[sent:]]
    assert [(e["commitment_id"], e["revision"], e["withdrawn"]) for e in events] == [
        (target["id"], 1, False),
        (added["commitment_id"], 1, False),
    ]
    assert events[1]["positions"] == {c["id"]: n + 2 + index for n, c in enumerate(items[index + 1 :])}
    assert (await ingest.get(f"/documents/{document['id']}")).json()["commitment_count"] == len(items) + 1


async def test_an_editor_merges_commitments_read_apart(ingest: httpx.AsyncClient, row_counts: Any) -> None:
    document = await _upload(ingest, RESOLUTION)
    items = await _commitments(ingest, document["id"])
    path = f"/documents/{document['id']}/commitments/merge"

    before = await row_counts(ingest)
    apart = await ingest.post(
        path, json={"reason": "one undertaking", "commitment_ids": [items[0]["id"], items[2]["id"]]}, headers=EDITOR
    )
    assert (apart.status_code, _kind(apart)) == (422, "overlapping-span")  # items[1] stands between them
    twice = await ingest.post(
        path, json={"reason": "one undertaking", "commitment_ids": [items[0]["id"], items[0]["id"]]}, headers=EDITOR
    )
    assert (twice.status_code, _kind(twice)) == (422, "validation")
    unknown = await ingest.post(
        path, json={"reason": "one undertaking", "commitment_ids": [items[0]["id"], "no-such-id"]}, headers=EDITOR
    )
    assert unknown.status_code == 404, unknown.text
    forbidden = await ingest.post(
        path, json={"reason": "one", "commitment_ids": [items[2]["id"], items[3]["id"]]}, headers=MINISTRY
    )
    assert forbidden.status_code == 403
    assert await row_counts(ingest) == before
    sent = len(await _outbox(ingest))

    merged = await ingest.post(
        path,
        json={"reason": "one undertaking read as two", "commitment_ids": [items[3]["id"], items[2]["id"]]},
        headers=EDITOR,
    )
    assert merged.status_code == 200, merged.text
    correction = merged.json()
    assert correction["kind"] == "merge"
    survivor, gone = correction["commitments"]
    assert (survivor["commitment_id"], survivor["effect"]) == (items[2]["id"], "revised")  # the first in text order
    assert (gone["commitment_id"], gone["effect"]) == (items[3]["id"], "withdrawn")
    assert survivor["after"]["text"] == f"{items[2]['text']}; {items[3]['text']}"
    assert survivor["after"]["span"] == [items[2]["span"][0], items[3]["span"][1]]
    assert set(survivor["after"]["countries"]) == set(items[2]["countries"]) | set(items[3]["countries"])

    standing = await _commitments(ingest, document["id"])
    assert [c["id"] for c in standing] == [c["id"] for c in items if c["id"] != items[3]["id"]]
    kept = next(
        c for c in await _commitments(ingest, document["id"], include_withdrawn=True) if c["id"] == items[3]["id"]
    )
    assert (
        kept["withdrawn"] and kept["withdrawn_reason"] == f"merged into {items[2]['id']}: one undertaking read as two"
    )
    events = [e["data"] for e in (await _outbox(ingest))[sent:]]
    assert [(e["commitment_id"], e["revision"], e["withdrawn"]) for e in events] == [
        (items[2]["id"], 1, False),
        (items[3]["id"], 1, True),
    ]
    again = await ingest.post(
        path, json={"reason": "again", "commitment_ids": [items[2]["id"], items[3]["id"]]}, headers=EDITOR
    )
    assert (again.status_code, _kind(again)) == (409, "withdrawn")
    assert (await ingest.get(f"/documents/{document['id']}")).json()["commitment_count"] == len(items) - 1


async def test_an_editor_corrects_the_documents_own_facts_and_calendar(
    ingest: httpx.AsyncClient, row_counts: Any
) -> None:
    document = await _upload(ingest, RESOLUTION)
    facts = (await ingest.get(f"/documents/{document['id']}")).json()["parts"][0]
    sent = len(await _outbox(ingest))
    council = {"series": "baltic-council", "ordinal": 32, "start": "2026-11-27", "end": "2026-11-27"}
    council["place"] = "Tallinn"
    body = {
        "reason": "the heading was misread; the 32nd Baltic Council is dated in the annex",
        "title": "Resolution of the 44th Session of the Baltic Assembly (Riga, 13-14 November 2025)",
        "place": "Rīga",
        "calendar_facts": [*facts["calendar_facts"], council],
    }
    corrected = await ingest.patch(f"/documents/{document['id']}/facts", json=body, headers=EDITOR)
    assert corrected.status_code == 200, corrected.text
    answer = corrected.json()
    assert (answer["kind"], answer["actor"], answer["commitments"]) == ("facts", "key-editor", [])
    assert [c["field"] for c in answer["document"]] == ["title", "place", "calendar_facts"]
    assert answer["document"][1] == {"field": "place", "before": facts["place"], "after": "Rīga"}

    now = (await ingest.get(f"/documents/{document['id']}")).json()
    assert now["title"] == body["title"] and now["parts"][0]["place"] == "Rīga"
    assert council in now["parts"][0]["calendar_facts"]
    assert now["parts"][0]["corrected"] == ["title", "place", "calendar_facts"]  # what an editor set, apart
    assert now["corrections"] == 1
    (event,) = (await _outbox(ingest))[sent:]
    assert event["type"] == "document.corrected.v1"
    assert (event["data"]["title"], event["data"]["place"], event["data"]["correction"]["kind"]) == (
        body["title"],
        "Rīga",
        "facts",
    )
    assert council in event["data"]["calendar_facts"]
    listed = (await ingest.get(f"/documents/{document['id']}/corrections", params={"kind": "facts"})).json()
    assert [c["id"] for c in listed["items"]] == [answer["id"]] and listed["items"][0]["document"] == answer["document"]
    again = await ingest.patch(f"/documents/{document['id']}/facts", json=body, headers=EDITOR)
    assert (again.status_code, _kind(again)) == (422, "no-change")


@pytest.mark.parametrize(
    ("body", "status", "kind"),
    [
        ({"calendar_facts": [{"series": "no-such-series", "ordinal": 1, "start": "2026-01-01"}]}, 422,
         "invalid-correction"),
        ({"calendar_facts": [{"series": "baltic-council", "start": "2026-01-01"}]}, 422, "invalid-correction"),
        ({"calendar_facts": [{"series": "baltic-council", "ordinal": 32}]}, 422, "validation"),
        ({"calendar_facts": [{"series": "baltic-council", "ordinal": 32, "start": "2026-02-02",
                              "end": "2026-02-01"}]}, 422, "validation"),
        ({"adopted": "0001-01-01"}, 422, "validation"),
        ({"kind": "memo"}, 422, "validation"),
        ({"title": None}, 422, "validation"),
        ({"part": 3, "title": "x"}, 422, "unknown-part"),
        ({"session": 44}, 422, "no-change"),
        ({}, 422, "validation"),
    ],
    ids=["unknown-series", "numbered-without-ordinal", "no-start", "end-before-start", "adopted-out-of-range",
         "unknown-kind", "title-removed", "no-such-part", "changes-nothing", "nothing-given"],
)  # fmt: skip
async def test_a_bad_facts_correction_is_refused_and_changes_nothing(
    ingest: httpx.AsyncClient, row_counts: Any, body: dict[str, Any], status: int, kind: str
) -> None:
    document = await _upload(ingest, RESOLUTION)
    before = (await ingest.get(f"/documents/{document['id']}")).json()
    counts = await row_counts(ingest)
    refused = await ingest.patch(f"/documents/{document['id']}/facts", json={"reason": "test", **body}, headers=EDITOR)
    assert (refused.status_code, _kind(refused)) == (status, kind), refused.text
    assert (await ingest.get(f"/documents/{document['id']}")).json() == before
    assert await row_counts(ingest) == counts
    ministry = await ingest.patch(
        f"/documents/{document['id']}/facts", json={"reason": "mine", "place": "Tartu"}, headers=MINISTRY
    )
    assert ministry.status_code == 403
