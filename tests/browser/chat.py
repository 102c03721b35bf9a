"""What the browser tests do on the playground's chat page: find a bot message, wait for an
edit, and open a chat the way a new user does (START, then the welcome)."""

from __future__ import annotations

import html
import re

from playwright.async_api import Locator, Page, expect

from bot.playground import Playground
from coach.texts import ENGLISH

# The bot answers over loopback, but the first location lookup loads the time-zone data.
WAIT_MS = 20_000


def shown(markup: str) -> str:
    """What a user reads of one of our HTML texts: tags gone, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def bot_row(page: Page, containing: str) -> Locator:
    return page.locator(".row.bot", has_text=containing)


async def edits(row: Locator) -> int:
    return int(await row.get_attribute("data-edits") or 0)


async def tap_and_wait_for_edit(page: Page, message_id: str, label: str) -> None:
    """Tap an inline button of one message and wait until the bot edited that message."""
    row = page.locator(f'.row[data-id="{message_id}"]')
    before = await edits(row)
    await row.locator(".kb-button", has_text=label).first.click()
    await expect(row).not_to_have_attribute("data-edits", str(before), timeout=WAIT_MS)


async def start_chat(page: Page, playground: Playground) -> int:
    """Open the chat page, tap START and wait for the welcome; returns the tab's user id."""
    await page.goto(playground.url)
    await page.get_by_role("button", name="START").click()
    await expect(bot_row(page, shown(ENGLISH.SAFETY))).to_be_visible(timeout=WAIT_MS)
    return int(await page.locator("body").get_attribute("data-user-id") or 0)
