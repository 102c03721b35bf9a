"""Fixtures for the browser tests: the whole playground (fake Telegram, chat page, real bot on a
temporary SQLite file) on an ephemeral port, and Debian's Chromium driven by Playwright.

Without Chromium the tests skip locally, but fail when LIMBER_REQUIRE_BROWSER=1 (CI sets it)."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import BrowserContext, Page, Route, ViewportSize, async_playwright

from bot.config import Settings
from bot.playground import Playground, start_playground
from storage.migrate import upgrade

CHROMIUM = "/usr/bin/chromium"
# A phone-sized window (an iPhone 12-14 in CSS pixels).
PHONE: ViewportSize = {"width": 390, "height": 844}
# The phone's own zone and locale: far from UTC and from the preset cities, and 12-hour, so a
# page that showed the browser's time instead of the chat user's would show it plainly.
PHONE_ZONE = "America/Los_Angeles"
PHONE_LOCALE = "en-US"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class Phone:
    """A browser page plus what went wrong in it: script errors and requests leaving the
    playground (blocked, so a CDN or web font would show up here)."""

    page: Page
    context: BrowserContext
    errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)


def chromium_or_skip() -> str:
    path = CHROMIUM if os.access(CHROMIUM, os.X_OK) else shutil.which("chromium")
    if path:
        return path
    reason = "Chromium is missing: install Debian's package (apt-get install -y chromium)"
    if os.environ.get("LIMBER_REQUIRE_BROWSER") == "1":
        pytest.fail(f"LIMBER_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture
async def playground(tmp_path: Path) -> AsyncIterator[Playground]:
    """The playground exactly as `python -m bot playground` runs it, on port 0."""
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'playground.db'}"
    await upgrade(database_url)
    settings = Settings(database_url=database_url, playground_host="127.0.0.1", playground_port=0)
    async with start_playground(settings) as running:
        yield running


@asynccontextmanager
async def open_phone(playground: Playground, **options: Any) -> AsyncIterator[Phone]:
    """A phone-sized Chromium page that may only talk to the playground; `options` go to the
    browser context (a dark colour scheme, say)."""
    executable = chromium_or_skip()
    async with async_playwright() as driver:
        browser = await driver.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            context = await browser.new_context(
                viewport=PHONE,
                device_scale_factor=2,
                timezone_id=PHONE_ZONE,
                locale=PHONE_LOCALE,
                **options,
            )
            phone = Phone(await context.new_page(), context)

            async def guard(route: Route) -> None:
                url = route.request.url
                if url.startswith((playground.url + "/", "data:")):
                    await route.continue_()
                else:
                    phone.outside_requests.append(url)
                    await route.abort()

            await context.route("**/*", guard)
            phone.page.on("pageerror", lambda error: phone.errors.append(str(error)))
            yield phone
            await context.close()
        finally:
            await browser.close()


@pytest.fixture
async def phone(playground: Playground) -> AsyncIterator[Phone]:
    """A phone-sized Chromium page that may only talk to the playground."""
    async with open_phone(playground) as phone:
        yield phone


@pytest.fixture
async def dark_phone(playground: Playground) -> AsyncIterator[Phone]:
    """The same phone with its system in dark mode (Telegram then themes Mini Apps dark)."""
    async with open_phone(playground, color_scheme="dark") as phone:
        yield phone
