"""The playground chat page in headless Chromium: a new user goes from START through onboarding
(location from a preset city, a reminder-time button) to /stretch, taps through to the hold and
logs a set, and sees the step picture and the session message edited in place. The same walk
takes a phone-sized screenshot; `make screenshot` saves it as the README's docs/playground.png."""

from __future__ import annotations

import asyncio
import html
import json
import os
import re
from pathlib import Path

import pytest
from playwright.async_api import Locator, Page, expect

from bot.playground import Playground
from coach.routine import SIDES, load_routine
from coach.texts import ENGLISH
from coach.timeinput import COMMON_TIMES, format_time
from tests.browser.conftest import Phone

pytestmark = pytest.mark.browser

# Where the screenshot goes when `make screenshot` asks for it; otherwise a temporary file,
# so a test run leaves the repository as it found it.
SCREENSHOT = os.environ.get("LIMBER_SCREENSHOT")
# The bot answers over loopback, but the first location lookup loads the time-zone data.
WAIT_MS = 20_000


def shown(markup: str) -> str:
    """What a user reads of a ENGLISH.py string: tags gone, entities decoded."""
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


async def test_onboarding_and_a_logged_set_in_the_browser(
    playground: Playground, phone: Phone, tmp_path: Path
) -> None:
    page = phone.page
    await page.goto(playground.url)
    await expect(page.locator("#status")).to_have_text("bot", timeout=WAIT_MS)

    # An empty chat offers START, like Telegram; it sends /start.
    await page.get_by_role("button", name="START").click()
    welcome = bot_row(page, shown(ENGLISH.SAFETY))
    await expect(welcome).to_be_visible(timeout=WAIT_MS)
    # Bot formatting arrives as entities and is rendered as elements, never as raw tags.
    await expect(welcome.locator("b", has_text="Limber")).to_be_visible()
    assert "<b>" not in await welcome.inner_text()

    # The zone question's reply keyboard: share a location by picking a preset city.
    await page.locator(".reply-button", has_text=ENGLISH.SHARE_LOCATION_BUTTON).click()
    await page.locator(".city", has_text="Berlin").click()
    await expect(page.locator(".row.user .location-name")).to_have_text("Berlin")
    await expect(bot_row(page, "Europe/Berlin").first).to_be_visible(timeout=WAIT_MS)

    # The time question: tap a common time; the question turns into a record of the answer.
    chosen = format_time(COMMON_TIMES[0])
    await page.locator(".kb-button", has_text=chosen).click()
    await expect(bot_row(page, shown(ENGLISH.TIME_CHOSEN.format(time=chosen)))).to_be_visible(
        timeout=WAIT_MS
    )
    done = bot_row(page, shown(ENGLISH.ONBOARDING_DONE.split("{next}")[0]))
    await expect(done.locator(".kb-button", has_text=ENGLISH.START_NOW_BUTTON)).to_be_visible(
        timeout=WAIT_MS
    )

    # /stretch through the text box: the guided session arrives as one photo message.
    await page.locator("#text").fill("/stretch")
    await page.locator("#text").press("Enter")
    session = page.locator(".row.bot", has=page.locator("img.photo")).last
    await expect(session.locator(".kb-button", has_text=ENGLISH.SESSION_BTN_START)).to_be_visible(
        timeout=WAIT_MS
    )
    message_id = await session.get_attribute("data-id")
    assert message_id is not None
    session = page.locator(f'.row[data-id="{message_id}"]')

    await tap_and_wait_for_edit(page, message_id, ENGLISH.SESSION_BTN_START)
    first = load_routine().stretches[0]
    set_button = session.locator(
        ".kb-button", has_text=ENGLISH.SESSION_BTN_SET_DONE.format(number=1)
    )
    for _ in range(len(first.steps)):  # through the set-up steps to the hold
        if await set_button.count():
            break
        await tap_and_wait_for_edit(page, message_id, ENGLISH.SESSION_BTN_NEXT)
    await expect(set_button).to_be_visible()

    # Log set 1: the toast, then the same message edited in place with one set on the tracker.
    before = await edits(session)
    await session.locator(
        ".kb-button", has_text=ENGLISH.SESSION_BTN_SET_DONE.format(number=1)
    ).click()
    toast = page.locator("#toast")
    await expect(toast).to_be_visible(timeout=WAIT_MS)
    await expect(toast).to_have_text(ENGLISH.SESSION_SET_LOGGED.format(number=1))
    await expect(session).not_to_have_attribute("data-edits", str(before), timeout=WAIT_MS)
    sets = first_side_tracker(load_routine().default_sets_per_side)
    await expect(session.locator(".caption")).to_contain_text(sets)
    await expect(session.locator(".edited")).to_have_text("edited")
    await expect(
        session.locator(".kb-button", has_text=ENGLISH.SESSION_BTN_SET_DONE.format(number=2))
    ).to_be_visible()
    assert await page.locator(".row.bot img.photo").count() == 1, "edits must not add messages"

    # The step picture really loaded (served by the fake Telegram from the bot's upload).
    picture = session.locator("img.photo")
    await expect(picture).to_have_js_property("complete", True, timeout=WAIT_MS)
    assert await picture.evaluate("img => img.naturalWidth") > 0

    shot = Path(SCREENSHOT) if SCREENSHOT else tmp_path / "playground.png"
    await page.screenshot(path=shot)
    assert shot.stat().st_size > 10_000, "a phone-sized page is not a blank picture"
    assert phone.errors == []
    assert phone.outside_requests == [], "the page must need nothing from the internet"


def first_side_tracker(sets_per_side: int) -> str:
    """The tracker text after one set on the session's first side, e.g. "Left ●○○"."""
    return f"{SIDES[0].title()} {ENGLISH.TRACKER_DONE}{ENGLISH.TRACKER_OPEN * (sets_per_side - 1)}"


async def test_each_tab_is_its_own_user_and_export_downloads(
    playground: Playground, phone: Phone
) -> None:
    first = phone.page
    await first.goto(playground.url)
    await first.get_by_role("button", name="START").click()
    await expect(bot_row(first, shown(ENGLISH.SAFETY))).to_be_visible(timeout=WAIT_MS)
    first_user = await first.locator("body").get_attribute("data-user-id")

    # A second tab is a new user: an empty chat with START, not the first tab's messages.
    second = await phone.context.new_page()
    await second.goto(playground.url)
    await expect(second.get_by_role("button", name="START")).to_be_visible(timeout=WAIT_MS)
    assert await second.locator(".row").count() == 0
    assert await second.locator("body").get_attribute("data-user-id") != first_user

    # A reload keeps the tab's user and shows the chat so far.
    await first.reload()
    await expect(bot_row(first, shown(ENGLISH.SAFETY))).to_be_visible(timeout=WAIT_MS)
    assert await first.locator("body").get_attribute("data-user-id") == first_user

    # The "/" menu lists the bot's commands (from setMyCommands); /export sends a document.
    await first.locator("#menu-button").click()
    menu = first.locator("#commands .command-name")
    await expect(menu).to_have_text([f"/{command}" for command, _ in ENGLISH.COMMANDS])
    await first.locator(".command-item", has_text="/export").click()
    document = bot_row(first, ENGLISH.EXPORT_CAPTION).locator("a.document")
    await expect(document).to_be_visible(timeout=WAIT_MS)
    async with first.expect_download() as download_info:
        await document.click()
    download = await download_info.value
    assert re.fullmatch(r"limber-export-\d{4}-\d{2}-\d{2}\.json", download.suggested_filename)
    saved = Path(await download.path())
    exported = json.loads(await asyncio.to_thread(saved.read_text))
    assert str(exported["user_id"]) == first_user
    assert phone.errors == []


async def test_clock_panel_expires_a_confirmation_shown_as_an_alert(
    playground: Playground, phone: Phone
) -> None:
    page = phone.page
    await page.goto(playground.url)
    await page.get_by_role("button", name="START").click()
    await expect(bot_row(page, shown(ENGLISH.SAFETY))).to_be_visible(timeout=WAIT_MS)
    await page.locator("#text").fill("/deleteme")
    await page.locator("#text").press("Enter")
    confirm = bot_row(page, shown(ENGLISH.DELETE_CONFIRM).split("\n")[0])
    await expect(confirm.locator(".kb-button")).to_have_text(
        [ENGLISH.DELETE_BUTTON_YES, ENGLISH.DELETE_BUTTON_NO], timeout=WAIT_MS
    )

    # An hour later (by the bot's clock) the confirmation has expired: the bot says so in an
    # alert (show_alert), which waits for OK instead of fading like a toast.
    await page.locator("#clock-button").click()
    await page.locator("#clock-panel button", has_text="+1 h").click()
    await expect(page.locator("#toast")).to_contain_text("+1 h", timeout=WAIT_MS)
    await confirm.locator(".kb-button", has_text=ENGLISH.DELETE_BUTTON_YES).click()
    alert = page.locator("#alert")
    await expect(alert).to_be_visible(timeout=WAIT_MS)
    await expect(alert.locator("#alert-text")).to_have_text(ENGLISH.DELETE_EXPIRED)
    await alert.get_by_role("button", name="OK").click()
    await expect(alert).to_be_hidden()
    # The confirmation stays as it was: an expired tap does not edit it.
    await expect(confirm).to_be_visible()
    assert phone.errors == []
