"""The web console in a real browser, against the real stack: the secretariat's and a ministry's day.

One story, in order, because each step builds on the one before: an editor uploads the Baltic Assembly's 44th
session resolution, reviews it and corrects one deadline; the Estonian Ministry of Defence signs in, sees only its
assignments and reports one in progress with evidence; the editor verifies it and the dashboard's counts change; a
webhook subscription is made and its test delivery appears in the log; an administrator confirms a Council date.
Every page is checked with axe-core (WCAG 2.1 AA) and photographed; no request may leave the host.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from playwright.async_api import expect

from resolute.cli.stack import Stack
from resolute.cli.testing import gateway_client
from resolute.shared.testing.fixtures import REPO_ROOT, WebhookReceiver, eventually, serving

from .conftest import ADMIN_KEY, SCREENSHOTS, Person

pytestmark = pytest.mark.e2e

RESOLUTION = REPO_ROOT / "corpus" / "ba-44th-session-resolution-2025.txt"


async def _figure(person: Person, country: str, figure: str) -> int:
    card = person.page.locator(f"article[aria-labelledby='card-{country}']")
    return int(await card.locator(f"dd[data-figure='{figure}']").inner_text())


async def _new_key(api: httpx.AsyncClient, scope: str, name: str) -> str:
    response = await api.post("/v1/api-keys", json={"scope": scope, "name": name})
    assert response.status_code == 201, response.text
    return str(response.json()["key"])


async def _assignments(api: httpx.AsyncClient, **filters: Any) -> list[dict[str, Any]]:
    response = await api.get("/v1/assignments", params={"limit": 200, **filters})
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def test_the_secretariat_and_a_ministry_work_through_the_console(open_tab: Any, stack: Stack) -> None:
    async with gateway_client(stack) as api:
        editor_key = await _new_key(api, "editor", "Secretariat editor")
        defence_key = await _new_key(api, "ministry:EE:defence", "Estonian Ministry of Defence")

        # --- the editor signs in and uploads the resolution (drag-and-drop's input, with progress) ----------
        editor: Person = await open_tab()
        await editor.open("/")
        await expect(editor.page).to_have_url(re.compile(r"/sign-in\?next=/$"))
        await editor.check("01-sign-in")
        await editor.sign_in(editor_key)
        await editor.open("/documents")
        await editor.page.set_input_files("#file", str(RESOLUTION))
        await editor.page.get_by_role("button", name="Upload").click()
        received = editor.page.locator("[data-upload-list] a")
        await expect(received).to_have_text("Received: open it")
        await expect(editor.page.locator("[data-upload-list] progress")).to_have_attribute("value", "100")
        await editor.check("02-documents-uploaded")
        await received.click()
        await editor.page.wait_for_url(re.compile(r"/documents/[0-9a-f-]{36}$"))
        document_url = editor.page.url

        # --- the document's review page: every commitment highlighted at its span --------------------------
        async def read() -> bool:
            await editor.page.goto(document_url)
            return await editor.page.locator(".document-text a.mark").count() > 40

        await eventually(read, timeout=60, interval=0.5)
        marks = editor.page.locator(".document-text a.mark")
        first = marks.first
        await first.click()
        await expect(editor.page.locator("#detail-title")).to_contain_text("Commitment")
        await expect(editor.page.locator("#detail")).to_contain_text("at the 32nd Baltic Council")
        await editor.check("03-document-review")
        first_commitment = await editor.page.get_by_role("link", name="Its assignments and history").get_attribute(
            "href"
        )
        assert first_commitment

        # --- the editor corrects one deadline: the second commitment is due on a date the session agreed ----
        await editor.page.goto(document_url)
        await marks.nth(1).click()
        corrected_url = editor.page.url
        await editor.page.locator("#c-kind").select_option("date")
        await editor.page.get_by_label("Words of the text").fill("by 30 June 2027")
        await editor.page.get_by_label("Date (for a date or a month)").fill("2027-06-30")
        await editor.page.locator("#c-series").fill("")
        await editor.page.locator("#c-ordinal").fill("")
        await editor.page.locator("#c-year").fill("")
        await editor.page.locator("#c-every").fill("")
        await editor.page.locator("#c-reason").fill("The session agreed the date in its closing statement.")
        await editor.page.get_by_role("button", name="Save the correction").click()
        await expect(editor.page.get_by_role("status")).to_contain_text("Corrected (1 field(s))")
        await expect(editor.page.locator("#detail")).to_contain_text("by 30 June 2027")
        correction = editor.page.locator(".correction-entry").first
        await expect(correction).to_contain_text("The session agreed the date")
        await expect(correction).to_contain_text("by 30 June 2027 (2027-06-30)")
        await editor.check("03b-deadline-corrected")
        corrected_id = corrected_url.split("commitment=")[1].split("#")[0]

        async def tracked() -> bool:
            detail = (await api.get(f"/v1/commitments/{corrected_id}")).json()
            return bool(detail.get("due_date") == "2027-06-30")

        await eventually(tracked, timeout=30, interval=0.5)

        # --- the dashboard before the ministry reports --------------------------------------------------------
        await eventually(lambda: _assignments(api, country="EE", ministry="defence"), timeout=60, interval=0.5)
        await editor.open("/")
        in_progress_before = await _figure(editor, "EE", "in_progress")
        verified_before = await _figure(editor, "EE", "verified")

        # --- the Estonian Ministry of Defence: only its own assignments, one reported in progress ------------
        defence: Person = await open_tab()
        await defence.sign_in(defence_key)
        await defence.open("/inbox")
        await defence.check("04-inbox")
        rows = defence.page.locator("#inbox tbody a[href^='/assignments/']")
        shown = {(await rows.nth(i).get_attribute("href") or "").rsplit("/", 1)[1] for i in range(await rows.count())}
        own = {a["id"] for a in await _assignments(api, country="EE", ministry="defence", open="true")}
        assert shown == own and len(own) > 10
        await rows.first.click()
        assignment_id = defence.page.url.rsplit("/", 1)[1]
        await defence.page.get_by_label("Status", exact=True).select_option("in_progress")
        await defence.page.get_by_label("Note").fill("The joint procurement plan is being drafted with Latvia.")
        await defence.page.get_by_label("Evidence links").fill("https://www.kaitseministeerium.ee/en/news/plan-2026")
        await defence.page.get_by_role("button", name="Send").click()
        await expect(defence.page.get_by_role("status")).to_have_text("Your report is recorded.")
        await expect(defence.page.locator("[data-field=status]")).to_have_text("In progress")
        await expect(defence.page.locator("[data-field=verification]")).to_contain_text("Awaiting verification")
        await defence.check("05-assignment-reported")

        latvian = (await _assignments(api, country="LV", ministry="defence"))[0]["id"]
        await defence.open(f"/assignments/{latvian}")
        await expect(defence.page.locator("h1")).to_have_text("You may not open this page")
        await expect(defence.page.locator(".problem")).to_contain_text("belongs to another ministry")
        await defence.check("06-another-ministrys-assignment-403")

        # a form whose CSRF token is gone (as a forged cross-site post would be) is refused and changes nothing
        await defence.open(f"/assignments/{assignment_id}")
        await defence.page.evaluate("document.querySelectorAll('input[name=csrf_token]').forEach(e => e.remove())")
        await defence.page.get_by_label("Status", exact=True).select_option("completed")
        await defence.page.get_by_role("button", name="Send").click()
        await expect(defence.page.locator(".problem")).to_contain_text("did not come from this console")
        assert (await api.get(f"/v1/assignments/{assignment_id}")).json()["status"] == "in_progress"

        # --- the editor verifies it; the dashboard's counts change --------------------------------------------
        await editor.open(f"/assignments/{assignment_id}")
        await expect(editor.page.get_by_role("heading", name="Verify or dispute")).to_be_visible()
        await editor.page.get_by_label("Status", exact=True).select_option("in_progress")
        await editor.page.get_by_role("button", name="Send").click()
        await expect(editor.page.locator("[data-field=verification]")).to_contain_text("Verified")
        await editor.check("07-assignment-verified")
        await editor.open("/")
        assert await _figure(editor, "EE", "in_progress") == in_progress_before + 1
        assert await _figure(editor, "EE", "verified") == verified_before + 1
        await editor.check("08-dashboard")

        # --- a webhook subscription; its test delivery appears in the log --------------------------------------
        receiver = WebhookReceiver()
        async with serving(receiver.app) as receiver_url:
            await defence.open("/subscriptions")
            await defence.page.get_by_label("Address (URL)").fill(f"{receiver_url}/resolute")
            await defence.page.get_by_role("button", name="Create").click()
            secret = defence.page.locator("#secret-value")
            await expect(secret).to_have_value(re.compile(r"^whsec_"))
            await defence.check("09-subscription-created")
            await defence.page.locator("#subscriptions a").first.click()
            await defence.page.get_by_role("button", name="Send a test event").click()
            await expect(defence.page.get_by_role("status")).to_contain_text("A test event is on its way")

            async def delivered() -> bool:
                await defence.page.reload()
                return await defence.page.locator("#deliveries .delivery-succeeded").count() > 0

            await eventually(delivered, timeout=60, interval=0.5)
            assert receiver.requests, "the receiver got nothing"
            await defence.page.locator("#deliveries details summary").first.click()
            await defence.check("10-subscription-delivery-log")

        # --- an administrator sets the date of the 32nd Baltic Council; the deadline on it follows ----------------
        admin: Person = await open_tab()
        await admin.sign_in(ADMIN_KEY)
        await admin.open("/calendar")
        await admin.page.locator("#set-series").select_option(label="Baltic Council")
        await admin.page.get_by_label("Number").fill("32")
        await admin.page.locator("#set-start").fill("2027-11-25")
        await admin.page.locator("#set-place").fill("Vilnius")
        await admin.page.locator("form[action='/calendar'] button").click()
        await expect(admin.page.get_by_role("status")).to_contain_text("baltic-council no. 32 is confirmed")
        confirmed = admin.page.locator("#occurrences tbody tr", has_text="Baltic Council · no. 32")
        await expect(confirmed).to_contain_text("25 Nov 2027")
        await expect(confirmed.locator(".state-confirmed")).to_be_visible()
        await admin.check("11-calendar")
        await editor.open(first_commitment)

        async def follows() -> bool:
            await editor.page.reload()
            return "25 Nov 2027" in await editor.page.locator("dl.fields").inner_text()

        await eventually(follows, timeout=30, interval=0.5)
        await admin.open("/admin")
        await admin.check("12-admin")

        # --- the other pages, once each --------------------------------------------------------------------------
        await editor.check("13-commitment")
        await editor.open("/commitments?country=EE")
        await editor.check("14-commitments")
        await editor.open("/assignments?country=EE")
        await editor.check("15-assignments")

        phone: Person = await open_tab(phone=True)
        await phone.sign_in(defence_key)
        await phone.check("16-phone-dashboard")
        await phone.open(f"/assignments/{assignment_id}")
        await phone.check("17-phone-assignment")
        await phone.open(document_url.replace(phone.base_url, ""))
        await phone.check("18-phone-document")

        await admin.open("/docs")
        await expect(admin.page.locator(".swagger-ui .title").first).to_contain_text("Resolute API")
        await admin.page.screenshot(path=str(SCREENSHOTS / "19-api-docs.png"))

        for person in (editor, defence, admin, phone):
            assert person.elsewhere == [], person.elsewhere
            assert person.console_errors == [], person.console_errors
