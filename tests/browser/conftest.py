"""Browser tests: Debian's Chromium driven by Playwright, against the whole stack as `make run` starts it.

Chromium comes from the system (`/usr/bin/chromium`, Debian's `chromium` package; `make test` installs it where
it runs as root): Playwright's own browser download is not used. Where there is no Chromium the tests are
skipped with the reason in the summary, never silently. Each page's screenshot is written to
tests/browser/screenshots/, for a reviewer to look at.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, BrowserContext, Page, Route, async_playwright

from resolute.cli.stack import Stack
from resolute.cli.testing import running_stack

SCREENSHOTS = Path(__file__).parent / "screenshots"
ADMIN_KEY = "rsk_browser-admin-" + uuid.uuid4().hex
# The accessibility rules checked: WCAG 2.0 and 2.1, levels A and AA.
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def chromium_executable() -> str | None:
    configured = os.environ.get("RESOLUTE_CHROMIUM")
    if configured:
        return configured
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = chromium_executable()
    if path is None:
        pytest.skip(
            "browser tests need Chromium: install Debian's package (`apt-get install chromium`; `make test` does "
            "this when it runs as root) or point RESOLUTE_CHROMIUM at a Chromium binary"
        )
    return path


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack(tmp_path_factory.mktemp("browser-stack"), "sqlite", None, admin_key=ADMIN_KEY) as running:
        yield running


@pytest.fixture(scope="module")
async def chromium(chromium_path: str) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium_path, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        try:
            yield browser
        finally:
            await browser.close()


class Person:
    """One signed-in person's browser tab: what they see, what they do, and what the page asked of others."""

    def __init__(self, context: BrowserContext, page: Page, base_url: str) -> None:
        self.context = context
        self.page = page
        self.base_url = base_url
        self.elsewhere: list[str] = []  # requests to any other host (refused, and a test failure)
        self.console_errors: list[str] = []

    async def sign_in(self, key: str) -> None:
        await self.page.goto(self.base_url + "/sign-in")
        await self.page.get_by_label("API key").fill(key)
        await self.page.get_by_role("button", name="Sign in").click()
        await self.page.wait_for_url(self.base_url + "/")

    async def open(self, path: str) -> None:
        await self.page.goto(self.base_url + path)

    async def check(self, name: str, *, full_page: bool = True) -> None:
        """The page as it is now: no accessibility violation (axe-core, WCAG 2.1 AA), and its screenshot."""
        results = await Axe().run(self.page, options=WCAG_AA)
        violations = [
            f"{v['id']}: {v['help']} ({len(v['nodes'])}: {v['nodes'][0]['target']})"
            for v in results.response["violations"]
        ]
        assert violations == [], f"{name}: {violations}"
        SCREENSHOTS.mkdir(exist_ok=True)
        await self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


@pytest.fixture
async def open_tab(chromium: Browser, stack: Stack):  # type: ignore[no-untyped-def]
    """`person = await open_tab(phone=False)`: a fresh browser context (its own cookies), watched for requests
    to other hosts and for script errors."""
    base_url = stack.config.url("gateway")
    host = urlsplit(base_url).netloc
    contexts: list[BrowserContext] = []

    async def make(*, phone: bool = False) -> Person:
        viewport = {"width": 390, "height": 844} if phone else {"width": 1366, "height": 900}
        context = await chromium.new_context(viewport=viewport, device_scale_factor=1, locale="en-GB")
        contexts.append(context)
        page = await context.new_page()
        person = Person(context, page, base_url)

        async def only_this_host(route: Route) -> None:
            if urlsplit(route.request.url).netloc not in (host, ""):
                person.elsewhere.append(route.request.url)
                await route.abort()
            else:
                await route.continue_()

        await context.route("**/*", only_this_host)
        page.on("pageerror", lambda error: person.console_errors.append(str(error)))
        return person

    yield make
    for context in contexts:
        await context.close()
