"""Calendar feeds through the gateway, in front of a real tracker: what a ministry's calendar client sees.

The feed is parsed with the icalendar library, as a client would; the credentials are the three a calendar
subscription can carry (a header, an API key in the URL, a feed token in the URL).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from icalendar import Calendar

from resolute.shared.events.catalogue import CommitmentExtractedV1
from resolute.shared.web.state import state_of
from resolute.tracker.intake import record_extracted_commitment
from resolute.tracker.state import TrackerState

from .conftest import ADMIN_KEY, Gateway, Services

pytestmark = pytest.mark.integration

TODAY = datetime.now(UTC).date()
SOON = TODAY + timedelta(days=10)
PAST = TODAY - timedelta(days=5)
LATER = TODAY + timedelta(days=60)


def _is_problem(response: Any, status: int, kind: str | None = None) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    if kind:
        assert response.json()["type"].endswith("/" + kind), response.json()


async def _seed(services: Services) -> None:
    """Three commitments as the tracker records them from ingest's events: due soon, overdue, later."""
    state = state_of(services.tracker, TrackerState)
    runtime, ctx = state.runtime, state.context
    now = datetime.now(UTC)
    plans = [
        ("soon", "to open the joint military mobility corridor", "defence", ["EE", "LV"], SOON),
        ("past", "to report on civil defence shelters", "security", ["EE"], PAST),
        ("later", "to align rail gauges for military transport", "transport", ["EE", "LT"], LATER),
    ]
    async with runtime.sessionmaker() as session, session.begin():
        for position, (name, text, area, countries, due) in enumerate(plans):
            event = CommitmentExtractedV1(
                commitment_id=f"feed-{name}",
                document_id="feed-document",
                document_title="Resolution of the test session",
                document_kind="resolution",
                position=position,
                text=text,
                span=(0, len(text)),
                countries=countries,
                policy_area=area,
                deadline={"verbatim": f"by {due:%d %B %Y}", "kind": "date", "date": due},
            )
            await record_extracted_commitment(session, ctx, event, published_at=now, now=now)


def _events(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


async def test_a_country_feed_holds_its_deadlines_as_all_day_events(gateway: Gateway, services: Services) -> None:
    await _seed(services)
    response = await gateway.get("/v1/feeds/deadlines/countries/EE.ics")
    events = _events(response)
    calendar = Calendar.from_ical(response.content)
    assert "Estonia" in str(calendar["X-WR-CALNAME"])
    by_text = {str(e["SUMMARY"]).split(" [")[0]: e for e in events.values()}
    assert set(by_text) == {
        "to open the joint military mobility corridor",
        "to report on civil defence shelters",  # overdue: still in the calendar, marked so
        "to align rail gauges for military transport",
    }
    soon = by_text["to open the joint military mobility corridor"]
    assert soon.start == SOON and soon.end == SOON + timedelta(days=1)  # an all-day event
    assert str(soon["STATUS"]) == "CONFIRMED" and str(soon["SUMMARY"]).endswith("[EE defence]")
    assert soon["DTSTAMP"].dt.tzinfo is not None
    description = str(soon["DESCRIPTION"])
    assert "Resolution of the test session" in description and f"by {SOON:%d %B %Y}" in description
    assert "/v1/assignments/" in str(soon["URL"])
    overdue = by_text["to report on civil defence shelters"]
    assert overdue.start == PAST and "overdue" in [str(c) for c in overdue.categories]
    # the same assignment is the same event on every fetch, so calendar clients update rather than duplicate
    assert set(_events(await gateway.get("/v1/feeds/deadlines/countries/ee.ics"))) == set(events)

    window = _events(await gateway.get("/v1/feeds/deadlines/countries/EE.ics", params={"from": str(TODAY)}))
    assert {e.start for e in window.values()} == {SOON, LATER}
    window = _events(
        await gateway.get("/v1/feeds/deadlines/countries/EE.ics", params={"from": str(PAST), "to": str(SOON)})
    )
    assert {e.start for e in window.values()} == {PAST, SOON}


async def test_a_ministry_feed_holds_only_that_ministrys_deadlines(gateway: Gateway, services: Services) -> None:
    await _seed(services)
    events = _events(await gateway.get("/v1/feeds/deadlines/ministries/EE/defence.ics"))
    assert [e.start for e in events.values()] == [SOON]
    latvia = _events(await gateway.get("/v1/feeds/deadlines/ministries/LV/defence.ics"))
    assert [e.start for e in latvia.values()] == [SOON] and set(latvia).isdisjoint(events)
    assert _events(await gateway.get("/v1/feeds/deadlines/ministries/LV/justice.ics")) == {}
    _is_problem(await gateway.get("/v1/feeds/deadlines/ministries/EE/no-such-ministry.ics"), 404, "not-found")
    _is_problem(await gateway.get("/v1/feeds/deadlines/countries/XX.ics"), 404, "not-found")


async def test_calendar_clients_subscribe_with_a_key_or_a_feed_token_in_the_url(
    gateway: Gateway, services: Services
) -> None:
    await _seed(services)
    path = "/v1/feeds/deadlines/countries/EE.ics"
    reader = await gateway.new_key("reader")
    ministry = await gateway.new_key("ministry:LV:defence")  # any key reads any feed: deadlines are public
    token = await gateway.client.post("/v1/feed-tokens", json={"name": "Outlook"}, headers=gateway.as_key(ministry))
    assert token.status_code == 201, token.text
    expected = set(_events(await gateway.get(path)))
    assert len(expected) == 3
    assert set(_events(await gateway.client.get(path, params={"key": reader}))) == expected
    assert set(_events(await gateway.client.get(path, params={"token": token.json()["token"]}))) == expected
    assert set(_events(await gateway.get(path, reader))) == expected

    _is_problem(await gateway.client.get(path), 401, "unauthenticated")
    _is_problem(await gateway.client.get(path, params={"token": "rsf_forged"}), 401)
    _is_problem(await gateway.client.get(path, params={"key": "rsk_forged"}), 401)
    _is_problem(await gateway.client.get(path, params={"key": token.json()["token"]}), 401)
    revoked = await gateway.client.delete(f"/v1/feed-tokens/{token.json()['id']}", headers=gateway.as_key(ministry))
    assert revoked.status_code == 204
    _is_problem(await gateway.client.get(path, params={"token": token.json()["token"]}), 401)


async def test_a_feed_refuses_bad_parameters_and_answers_304_when_nothing_changed(
    gateway: Gateway, services: Services
) -> None:
    await _seed(services)
    path = "/v1/feeds/deadlines/countries/EE.ics"
    _is_problem(await gateway.get(path, params={"colour": "red"}), 422)  # an unknown filter
    _is_problem(await gateway.get(path, params={"from": "2026-13-01"}), 422)
    _is_problem(await gateway.get(path, params={"from": "2026-12-01", "to": "2026-11-01"}), 422)
    _is_problem(await gateway.get("/v1/feeds/deadlines/countries/EST.ics"), 422)

    first = await gateway.get(path)
    etag = first.headers["etag"]
    assert etag.startswith('W/"')
    unchanged = await gateway.get(path, headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.content == b"" and unchanged.headers["etag"] == etag
    # a status change is news to the calendar: the ETag moves
    assignment = next(
        a
        for a in (await gateway.get("/v1/assignments", params={"country": "EE", "limit": 100})).json()["items"]
        if a["commitment_id"] == "feed-soon"
    )
    reported = await gateway.client.post(
        f"/v1/assignments/{assignment['id']}/status",
        json={"status": "in_progress", "note": "corridor surveyed"},
        headers=gateway.as_key(ADMIN_KEY),
    )
    assert reported.status_code == 200, reported.text
    changed = await gateway.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    soon = next(e for e in _events(changed).values() if e.start == SOON)
    assert "Status: in progress" in str(soon["DESCRIPTION"])
