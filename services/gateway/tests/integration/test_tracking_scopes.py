"""Who may do what on the tracker's and notifier's routes, through the gateway in front of the real services.

Readers read; editors report and verify but do not reassign; a ministry key reports only on its own
country's and ministry's assignments and sees only its own subscriptions; admins do everything. Every
refusal is problem+json and changes nothing. Answers are checked against the shared public models.
"""

from __future__ import annotations

from typing import Any

import pytest

from resolute.shared.api.actors import RegistryOut
from resolute.shared.api.calendar import OccurrenceDetail, SeriesList
from resolute.shared.api.commitments import AssignmentOut, CommitmentDetail, CommitmentPage, HistoryOut
from resolute.shared.api.scorecards import CountryScorecard, MinistryScorecard
from resolute.shared.api.subscriptions import (
    DeliveryPage,
    DeliveryQueued,
    DigestPreview,
    SecretRotated,
    SubscriptionCreated,
    SubscriptionOut,
    SubscriptionPage,
)

from .conftest import ADMIN_KEY, Gateway, SeedCommitments

pytestmark = pytest.mark.integration


def assert_problem(response: Any, status: int, kind: str) -> None:
    assert response.status_code == status, (response.request.method, response.request.url, response.text)
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("/" + kind), response.json()


async def _history(gateway: Gateway, assignment_id: str) -> HistoryOut:
    response = await gateway.get(f"/v1/assignments/{assignment_id}/history")
    assert response.status_code == 200, response.text
    return HistoryOut.model_validate(response.json())


CLAIM = {"status": "in_progress", "note": "drafting the plan"}


async def test_status_reports_and_reassignment_by_scope(gateway: Gateway, seed_commitments: SeedCommitments) -> None:
    (commitment_id,) = await seed_commitments(1)
    detail = CommitmentDetail.model_validate((await gateway.get(f"/v1/commitments/{commitment_id}")).json())
    by_country = {a.country: a for a in detail.assignments}
    estonian, latvian = by_country["EE"].id, by_country["LV"].id
    keys = {scope: await gateway.new_key(scope) for scope in ("reader", "editor", "ministry:EE:defence")}
    await _without_a_valid_key_nothing_is_answered(gateway, estonian)
    await _readers_and_editors_are_refused_what_is_not_theirs(gateway, keys, estonian)
    await _a_ministry_reports_on_its_own_assignments_only(gateway, keys, estonian, latvian)


async def _without_a_valid_key_nothing_is_answered(gateway: Gateway, estonian: str) -> None:
    claim = CLAIM
    for key in (None, "rsk_wrong"):
        for method, path, body in [
            ("GET", "/v1/commitments", None),
            ("GET", f"/v1/assignments/{estonian}", None),
            ("POST", f"/v1/assignments/{estonian}/status", claim),
            ("POST", f"/v1/assignments/{estonian}/reassign", {"ministry": "foreign-affairs"}),
            ("PUT", "/v1/calendar/occurrences/nato-summit/2027", {"start": "2027-07-07"}),
            ("GET", "/v1/scorecards/ministries", None),
            ("PUT", "/v1/actors/countries/EE", {"name": "Estonia"}),
        ]:
            response = await gateway.client.request(method, path, json=body, headers=gateway.as_key(key))
            assert_problem(response, 401, "unauthenticated")


async def _readers_and_editors_are_refused_what_is_not_theirs(
    gateway: Gateway, keys: dict[str, str], estonian: str
) -> None:
    claim = CLAIM
    reader = gateway.as_key(keys["reader"])
    for method, path, body in [
        ("POST", f"/v1/assignments/{estonian}/status", claim),
        ("POST", f"/v1/assignments/{estonian}/reassign", {"ministry": "foreign-affairs"}),
        ("PUT", "/v1/calendar/occurrences/nato-summit/2027", {"start": "2027-07-07"}),
        ("PUT", "/v1/actors/countries/EE/ministries/defence", {"name": "Ministry of Defence"}),
        ("DELETE", "/v1/actors/countries/EE/ministries/defence", None),
        ("GET", "/v1/actors/revisions", None),
    ]:
        assert_problem(await gateway.client.request(method, path, json=body, headers=reader), 403, "forbidden")
    editor = gateway.as_key(keys["editor"])
    reassigned = await gateway.client.post(
        f"/v1/assignments/{estonian}/reassign", json={"ministry": "foreign-affairs"}, headers=editor
    )
    assert_problem(reassigned, 403, "forbidden")  # reassignment is for admins only
    assert_problem(await gateway.get("/v1/actors/revisions", keys["editor"]), 403, "forbidden")


async def _a_ministry_reports_on_its_own_assignments_only(
    gateway: Gateway, keys: dict[str, str], estonian: str, latvian: str
) -> None:
    claim, editor = CLAIM, gateway.as_key(keys["editor"])
    ministry = gateway.as_key(keys["ministry:EE:defence"])
    latvian_before = await _history(gateway, latvian)
    on_latvia = await gateway.client.post(f"/v1/assignments/{latvian}/status", json=claim, headers=ministry)
    assert_problem(on_latvia, 403, "forbidden")  # Estonia's ministry of defence reporting on Latvia's
    verifying = await gateway.client.post(
        f"/v1/assignments/{estonian}/status", json=claim | {"kind": "verification"}, headers=ministry
    )
    assert_problem(verifying, 403, "forbidden")  # ministries claim; editors verify
    unknown = await gateway.client.post("/v1/assignments/no-such-assignment/status", json=claim, headers=ministry)
    assert_problem(unknown, 404, "not-found")
    assert await _history(gateway, latvian) == latvian_before
    latvian_now = AssignmentOut.model_validate((await gateway.get(f"/v1/assignments/{latvian}")).json())
    assert latvian_now.status == "not_reported"
    assert (await _history(gateway, estonian)).items == []  # nothing reached the tracker's records

    own = await gateway.client.post(f"/v1/assignments/{estonian}/status", json=claim, headers=ministry)
    assert own.status_code == 200, own.text
    assert AssignmentOut.model_validate(own.json()).status == "in_progress"
    verified = await gateway.client.post(
        f"/v1/assignments/{estonian}/status", json={"status": "in_progress"}, headers=editor
    )
    assert AssignmentOut.model_validate(verified.json()).verification == "verified"

    moved = await gateway.client.post(
        f"/v1/assignments/{estonian}/reassign",
        json={"ministry": "foreign-affairs", "note": "the portfolio moved"},
        headers=gateway.as_key(ADMIN_KEY),
    )
    assert moved.status_code == 200, moved.text
    assert AssignmentOut.model_validate(moved.json()).ministry == "foreign-affairs"
    history = await _history(gateway, estonian)
    assert history.items[-1].ministry == "foreign-affairs" and history.items[-1].actor_scope == "admin"
    no_longer_theirs = await gateway.client.post(f"/v1/assignments/{estonian}/status", json=claim, headers=ministry)
    assert_problem(no_longer_theirs, 403, "forbidden")


async def test_reads_of_registry_calendar_and_scorecards_in_the_documented_shapes(
    gateway: Gateway, seed_commitments: SeedCommitments
) -> None:
    await seed_commitments(3)
    reader = await gateway.new_key("reader")
    registry = RegistryOut.model_validate((await gateway.get("/v1/actors", reader, params={"country": "EE"})).json())
    assert [c.code for c in registry.countries] == ["EE"]
    series = SeriesList.model_validate((await gateway.get("/v1/calendar/series", reader)).json())
    numbered = next(s for s in series.items if s.numbered)
    confirmed = await gateway.client.put(
        f"/v1/calendar/occurrences/{numbered.id}/90",
        json={"start": "2031-11-20", "place": "Vilnius"},
        headers=gateway.as_key(ADMIN_KEY),
    )
    assert confirmed.status_code == 200, confirmed.text
    occurrence = OccurrenceDetail.model_validate(confirmed.json())
    assert occurrence.state == "confirmed" and occurrence.place == "Vilnius" and occurrence.history
    countries = CountryScorecard.model_validate((await gateway.get("/v1/scorecards/countries", reader)).json())
    assert {c.country: c.assignments for c in countries.items} == {"EE": 3, "LV": 3}
    ministries = await gateway.get("/v1/scorecards/ministries", reader, params={"country": "LV"})
    assert [(m.country, m.ministry) for m in MinistryScorecard.model_validate(ministries.json()).items] == [
        ("LV", "defence")
    ]


async def test_q_finds_the_commitments_whose_text_has_every_word(
    gateway: Gateway, seed_commitments: SeedCommitments
) -> None:
    await seed_commitments(12)
    reader = await gateway.new_key("reader")

    async def search(**params: str) -> list[str]:
        response = await gateway.get("/v1/commitments", reader, params={"limit": "100", **params})
        assert response.status_code == 200, response.text
        return [c.text for c in CommitmentPage.model_validate(response.json()).items]

    assert await search(q="MEASURE 7") == ["to strengthen military mobility measure 7"]
    assert len(await search(q="military mobility")) == 12
    assert await search(q="naval mobility") == []
    assert len(await search(q="mobility 1", country="EE", status="not_reported")) == 3  # 1, 10, 11
    assert await search(q="mobility", country="FI") == []


async def test_subscriptions_are_their_owners_alone(gateway: Gateway) -> None:
    estonia = await gateway.new_key("ministry:EE:defence")
    estonia_again = await gateway.new_key("ministry:EE:defence")
    latvia = await gateway.new_key("ministry:LV:defence")
    reader = await gateway.new_key("reader")
    created = await gateway.client.post(
        "/v1/subscriptions",
        json={"url": "http://127.0.0.1:9/hook", "event_types": ["deadline.due"], "filter": {"countries": ["ee"]}},
        headers=gateway.as_key(estonia),
    )
    assert created.status_code == 201, created.text
    subscription = SubscriptionCreated.model_validate(created.json())
    assert subscription.secret.startswith("whsec_") and subscription.filter.countries == ["EE"]
    path = f"/v1/subscriptions/{subscription.id}"

    for other in (latvia, reader):
        headers = gateway.as_key(other)
        for method, sub_path, body in [
            ("GET", "", None),
            ("PATCH", "", {"enabled": False}),
            ("DELETE", "", None),
            ("POST", "/secret/rotate", None),
            ("GET", "/deliveries", None),
            ("GET", "/dead-letters", None),
            ("GET", "/digest", None),
            ("POST", "/test", None),
            ("POST", "/recover", {"since": "2026-01-01T00:00:00Z"}),
        ]:
            response = await gateway.client.request(method, path + sub_path, json=body, headers=headers)
            assert_problem(response, 403, "forbidden")
        listed = SubscriptionPage.model_validate((await gateway.get("/v1/subscriptions", other)).json())
        assert subscription.id not in [s.id for s in listed.items]

    mine = SubscriptionOut.model_validate((await gateway.get(path, estonia_again)).json())  # a ministry owns together
    assert mine.enabled and mine.owner == "ministry:EE:defence"
    patched = await gateway.client.patch(path, json={"description": "deadlines"}, headers=gateway.as_key(estonia))
    assert SubscriptionOut.model_validate(patched.json()).event_types == ["deadline.due"]  # only what was given
    rotated = await gateway.client.post(f"{path}/secret/rotate", headers=gateway.as_key(estonia))
    assert SecretRotated.model_validate(rotated.json()).secret != subscription.secret
    ping = await gateway.client.post(f"{path}/test", headers=gateway.as_key(estonia))
    assert ping.status_code == 202 and DeliveryQueued.model_validate(ping.json()).delivery_id
    deliveries = DeliveryPage.model_validate((await gateway.get(f"{path}/deliveries", estonia)).json())
    assert [d.id for d in deliveries.items] == [ping.json()["delivery_id"]]
    assert DigestPreview.model_validate((await gateway.get(f"{path}/digest", estonia)).json()).mode == "immediate"
    assert (await gateway.client.delete(path, headers=gateway.as_key(estonia_again))).status_code == 204
    assert_problem(await gateway.get(path, estonia), 404, "not-found")
