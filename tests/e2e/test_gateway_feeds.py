"""An Estonian ministry's calendar, subscribed to Resolute's feed, in the whole stack (broker + four services).

The secretariat uploads the Seimas press release of the 42nd session (which dates the 29th Baltic Council)
and the 44th-session resolution (whose coordination proposals are due "at the 32nd Baltic Council"). The
Estonian feed then holds that deadline on the date the tracker projects from the Council's shipped history
and what the documents taught, as a tentative event; once an admin confirms the Council's date the same
event moves there, confirmed.

One stack on SQLite (the embedded default): the feed is the gateway's work over the tracker's API, which
the tracker's own end-to-end tests run on both databases.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from datetime import date
from typing import Any, cast

import httpx
import pytest
from icalendar import Calendar, Event

from resolute.cli.stack import Stack
from resolute.cli.testing import gateway_client, running_stack, upload_file
from resolute.shared.testing.fixtures import REPO_ROOT, eventually

pytestmark = pytest.mark.e2e

ADMIN_KEY = "rsk_e2e-feeds-" + uuid.uuid4().hex
NOW = "2026-11-20T09:00:00Z"
PRESS_RELEASE = REPO_ROOT / "corpus" / "seimas-press-release-42nd-ba-session-2023.txt"
RESOLUTION = REPO_ROOT / "corpus" / "ba-44th-session-resolution-2025.txt"
FEED = "/v1/feeds/deadlines/countries/EE.ics"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack(tmp_path_factory.mktemp("feeds"), "sqlite", None, admin_key=ADMIN_KEY, now=NOW) as running:
        yield running


def _event(feed: httpx.Response, uid: str) -> Event | None:
    assert feed.status_code == 200, feed.text
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(feed.content)
    return next((e for e in calendar.walk("VEVENT") if str(e["UID"]) == uid), None)


async def test_the_estonian_feed_holds_the_32nd_baltic_council_deadline_and_follows_its_confirmation(
    stack: Stack,
) -> None:
    async with gateway_client(stack) as admin:
        press_release_id = await upload_file(admin, PRESS_RELEASE)

        async def council_29_taught() -> bool:  # shipped from the start; the press release dates it as well
            occurrence = (await admin.get("/v1/calendar/occurrences/baltic-council/29")).json()
            return bool(occurrence.get("source_document_id") == press_release_id)

        await eventually(council_29_taught, 90)
        document_id = await upload_file(admin, RESOLUTION)

        async def council_commitment() -> dict[str, Any] | None:
            page = await admin.get("/v1/commitments", params={"document_id": document_id, "country": "EE",
                                                               "limit": 200})  # fmt: skip
            found = [c for c in page.json()["items"] if "32nd Baltic Council" in str(c["deadline"])]
            return found[0] if found and found[0]["due_date"] else None

        await eventually(council_commitment, 90)
        # the resolution dates its own session too, which moves the projection: read it once all is processed
        await eventually(lambda: asyncio.to_thread(stack.drain, 5), 90, interval=1)
        council = cast(dict[str, Any], await council_commitment())
        assert council["due_projected"] is True and council["due_date"].startswith("2026-")
        detail = (await admin.get(f"/v1/commitments/{council['id']}")).json()
        estonia = next(a for a in detail["assignments"] if a["country"] == "EE")
        uid = f"deadline-{estonia['id']}@resolute"

        ministry_key = (await admin.post("/v1/api-keys", json={"scope": "ministry:EE:government-office"})).json()
        token = await admin.post(
            "/v1/feed-tokens", json={"name": "Government Office calendar"},
            headers={"Authorization": f"Bearer {ministry_key['key']}"},
        )  # fmt: skip
        assert token.status_code == 201, token.text
        async with httpx.AsyncClient(base_url=stack.config.url("gateway"), timeout=60) as calendar_client:
            # what a calendar client does: no headers, the credential in the subscribed URL
            by_token = await calendar_client.get(FEED, params={"token": token.json()["token"]})
            by_key = await calendar_client.get(FEED, params={"key": ministry_key["key"]})
            for feed in (by_token, by_key):
                event = _event(feed, uid)
                assert event is not None, feed.text
                assert event.start == date.fromisoformat(council["due_date"])
                assert str(event["STATUS"]) == "TENTATIVE" and str(event["SUMMARY"]).startswith("(projected) ")
                assert "at the 32nd Baltic Council" in str(event["DESCRIPTION"])
                assert "present the proposals" in str(event["DESCRIPTION"])

            confirmed = await admin.put(
                "/v1/calendar/occurrences/baltic-council/32",
                json={"start": "2026-11-27", "end": "2026-11-28", "place": "Tallinn"},
            )
            assert confirmed.status_code == 200, confirmed.text

            async def moved() -> Event | None:
                feed = await calendar_client.get(FEED, params={"token": token.json()["token"]})
                event = _event(feed, uid)
                return event if event is not None and event.start == date(2026, 11, 27) else None

            event = cast(Event, await eventually(moved, 60))
            assert str(event["STATUS"]) == "CONFIRMED" and not str(event["SUMMARY"]).startswith("(projected)")
            assert event.end == date(2026, 11, 28)
