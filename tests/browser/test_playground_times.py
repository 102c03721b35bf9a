"""Times on the chat page follow the bot's clock, shown in the chat user's time zone: UTC until
they give the bot one (as the bot assumes), then theirs, with a date separator where the day
changes. The phone itself is in Los Angeles with a 12-hour locale (tests/browser/conftest.py),
so a stamp taken from the browser's clock or zone would not match."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import pytest
from playwright.async_api import Locator, Page, expect

from bot.playground import Playground
from coach.texts import ENGLISH
from playground.fake_types import ChatMessage
from tests.browser.chat import WAIT_MS, bot_row, shown, start_chat
from tests.browser.conftest import Phone

pytestmark = pytest.mark.browser

BERLIN = ZoneInfo("Europe/Berlin")
REMINDER_AT = "07:30"


def stamp(date: int, zone: tzinfo) -> str:
    return f"{datetime.fromtimestamp(date, zone):%H:%M}"


def day_label(date: int, zone: tzinfo) -> str:
    local = datetime.fromtimestamp(date, zone)
    return f"{local:%A} {local.day} {local:%B}"


def clock_label(moment: datetime, zone: tzinfo) -> str:
    local = moment.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b} {local:%H:%M}"


def row(page: Page, message: ChatMessage) -> Locator:
    return page.locator(f'.row[data-id="{message.message_id}"]')


async def day_above(message_row: Locator) -> str | None:
    """The date separator the message sits under (the nearest one above it)."""
    found = await message_row.evaluate(
        """row => {
            let node = row.previousElementSibling;
            while (node && !node.classList.contains("day-separator")) {
                node = node.previousElementSibling;
            }
            return node ? node.textContent : null;
        }"""
    )
    return found if isinstance(found, str) else None


async def test_reminders_are_stamped_by_the_bots_clock_in_the_users_zone(
    playground: Playground, phone: Phone
) -> None:
    page, fake = phone.page, playground.fake
    user = await start_chat(page, playground)
    welcome = fake.bot_messages(user)[0]
    welcome_row = row(page, welcome)

    # No zone yet: the bot's clock in UTC, and the clock panel says so.
    await expect(welcome_row.locator(".time")).to_have_text(stamp(welcome.date, UTC))
    await expect(page.locator(".day-separator")).to_have_text([day_label(welcome.date, UTC)])
    await page.locator("#clock-button").click()
    await expect(page.locator("#clock-zone")).to_have_text("UTC")

    # Berlin, shared as a location: from now on every time is Berlin's, the earlier ones too.
    await page.locator(".reply-button", has_text=ENGLISH.SHARE_LOCATION_BUTTON).click()
    await page.locator(".city", has_text="Berlin").click()
    await expect(bot_row(page, "Europe/Berlin").first).to_be_visible(timeout=WAIT_MS)
    await expect(welcome_row.locator(".time")).to_have_text(stamp(welcome.date, BERLIN))
    await page.locator("#text").fill(REMINDER_AT)
    await page.locator("#text").press("Enter")
    done = bot_row(page, shown(ENGLISH.ONBOARDING_DONE.split("{next}")[0]))
    await expect(done).to_be_visible(timeout=WAIT_MS)

    # The panel names whose time it shows, where, and when (24-hour, Berlin).
    before = playground.clock.now()
    label = page.locator("#clock-label")
    await expect(label).to_contain_text("Bot's clock · Europe/Berlin · ")
    await expect(page.locator("#clock-now")).to_have_text(
        re.compile(
            f"^({clock_label(before, BERLIN)}|{clock_label(playground.clock.now(), BERLIN)})$"
        )
    )

    # Two days on with the panel: two mornings, two reminders at 07:30 Berlin time.
    for days in (1, 2):
        await page.locator("#clock-panel button", has_text="+1 day").click()
        await expect(page.locator("#clock-offset")).to_have_text(
            f"{days} d ahead of real time", timeout=WAIT_MS
        )
    reminders = [m for m in fake.bot_messages(user) if ENGLISH.REMINDER in (m.text or "")]
    assert len(reminders) == 2
    for reminder in reminders:
        reminder_row = row(page, reminder)
        await expect(reminder_row).to_be_visible(timeout=WAIT_MS)
        await expect(reminder_row.locator(".time")).to_have_text(REMINDER_AT)
        assert stamp(reminder.date, BERLIN) == REMINDER_AT  # the fake dated it so, too
        # Each morning's reminder sits under its own day's date.
        assert await day_above(reminder_row) == day_label(reminder.date, BERLIN)

    # One separator per day, in order: the chat's first day on top, the last reminder's last.
    separators = await page.locator(".day-separator").all_inner_texts()
    assert separators[0] == day_label(welcome.date, BERLIN)
    assert separators[-1] == day_label(reminders[-1].date, BERLIN)
    assert len(set(separators)) == len(separators)
    assert phone.errors == []


async def test_a_zone_given_as_an_offset_shifts_the_times_by_it(
    playground: Playground, phone: Phone
) -> None:
    page, fake = phone.page, playground.fake
    user = await start_chat(page, playground)
    welcome = fake.bot_messages(user)[0]
    await page.locator("#text").fill("UTC+5:30")
    await page.locator("#text").press("Enter")
    await expect(bot_row(page, "UTC+05:30").first).to_be_visible(timeout=WAIT_MS)

    offset = timezone(timedelta(hours=5, minutes=30))
    await expect(row(page, welcome).locator(".time")).to_have_text(stamp(welcome.date, offset))
    await expect(page.locator(".day-separator").first).to_have_text(day_label(welcome.date, offset))
    await page.locator("#clock-button").click()
    await expect(page.locator("#clock-zone")).to_have_text("UTC+05:30")
    assert phone.errors == []
