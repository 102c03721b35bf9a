"""Stretching together in the playground, in headless Chromium, as two people in two tabs: Ana
invites Ben with /buddy (the Share button shows the link; pasting it in Ben's tab opens it),
Ben onboards and accepts; then Ana opens the playground's group, starts the board, Ben joins
it with its button, logs a set in his private chat, and the board shows it.
`LIMBER_TOGETHER_SHOTS=<folder>` keeps the screenshots of each step."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from bot.playground import Playground
from coach.texts import ENGLISH
from coach.timeinput import COMMON_TIMES, format_time
from tests.browser.chat import WAIT_MS, bot_row, shown
from tests.browser.conftest import Phone

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("LIMBER_TOGETHER_SHOTS")


async def open_as(
    page: Page, playground: Playground, user_id: int, name: str, path: str = "/"
) -> None:
    """Open the page as a given user (a tab's user lives in its sessionStorage)."""
    me = json.dumps({"id": user_id, "name": name})
    await page.add_init_script(f"sessionStorage.setItem('limber.user', {json.dumps(me)})")
    await page.goto(playground.url + path)
    await expect(page.locator("#status")).to_have_text("bot", timeout=WAIT_MS)


async def onboard(page: Page) -> None:
    """Berlin from the location sheet, then the first common reminder time."""
    await page.locator(".reply-button", has_text=ENGLISH.SHARE_LOCATION_BUTTON).click()
    await page.locator(".city", has_text="Berlin").click()
    chosen = format_time(COMMON_TIMES[0])
    await page.locator(".kb-button", has_text=chosen).last.click()
    await expect(bot_row(page, shown(ENGLISH.TIME_CHOSEN.format(time=chosen)))).to_be_visible(
        timeout=WAIT_MS
    )


async def say(page: Page, text: str) -> None:
    await page.locator("#text").fill(text)
    await page.locator("#text").press("Enter")


async def shot(page: Page, tmp_path: Path, name: str) -> None:
    folder = Path(SHOTS) if SHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=folder / f"{name}.png")


async def test_buddies_and_a_board_in_the_browser(
    playground: Playground, phone: Phone, tmp_path: Path
) -> None:
    ana = phone.page
    await open_as(ana, playground, 710_000_001, "Ana")
    await ana.get_by_role("button", name="START").click()
    await onboard(ana)
    await say(ana, "/buddy")
    screen = bot_row(ana, shown(ENGLISH.BUDDY_TITLE))
    await expect(screen).to_be_visible(timeout=WAIT_MS)
    link = re.search(r"https://t\.me/limber_bot\?start=b_[\w-]+", await screen.inner_text())
    assert link is not None
    # Share: Telegram's share sheet, here an alert with the link, and the playground page
    # that opens it as someone else.
    await screen.locator(".kb-button", has_text=ENGLISH.BUDDY_SHARE_BUTTON).click()
    alert = ana.locator("#alert-text")
    await expect(alert).to_contain_text(link.group(0))
    opened = re.search(r"http://[^ ]+/\?start=b_[\w-]+", await alert.inner_text())
    assert opened is not None
    await shot(ana, tmp_path, "1-buddy-invite")
    await ana.get_by_role("button", name="OK").click()

    ben = await phone.context.new_page()  # another tab: someone else
    await open_as(ben, playground, 710_000_002, "Ben", opened.group(0).removeprefix(playground.url))
    await expect(bot_row(ben, shown(ENGLISH.BUDDY_INVITE_FIRST.format(name="Ana")))).to_be_visible(
        timeout=WAIT_MS
    )
    await onboard(ben)
    question = bot_row(ben, shown(ENGLISH.BUDDY_INVITED.format(name="Ana")))
    await expect(question).to_be_visible(timeout=WAIT_MS)
    await shot(ben, tmp_path, "2-invite-question")
    await question.locator(".kb-button", has_text=ENGLISH.BUDDY_ACCEPT_BUTTON).click()
    await expect(bot_row(ben, shown(ENGLISH.BUDDY_ACCEPTED.format(name="Ana")))).to_be_visible(
        timeout=WAIT_MS
    )
    await expect(
        bot_row(ana, shown(ENGLISH.BUDDY_ACCEPTED_INVITER.format(name="Ben")))
    ).to_be_visible(timeout=WAIT_MS)

    # The group: Ana opens it first (so she is its admin) and starts the board.
    await ana.locator("#room-button").click()
    await expect(ana.locator("#status")).to_have_text("group", timeout=WAIT_MS)
    await say(ana, "/board")
    board = ana.locator(".row.bot", has_text="Limber board").last
    await expect(board.locator(".kb-button", has_text=ENGLISH.BOARD_JOIN_BUTTON)).to_be_visible(
        timeout=WAIT_MS
    )

    await ben.locator("#room-button").click()
    await expect(ben.locator("#status")).to_have_text("group", timeout=WAIT_MS)
    await expect(ben.locator(".row.other .sender", has_text="Ana")).to_be_visible()
    await (
        ben.locator(".row.bot", has_text="Limber board")
        .last.locator(".kb-button", has_text=ENGLISH.BOARD_JOIN_BUTTON)
        .click()
    )
    await expect(ben.locator("#alert-text")).to_have_text(ENGLISH.BOARD_JOINED_TOAST)
    await ben.get_by_role("button", name="OK").click()
    await expect(board).to_contain_text("◻️ Ben 0/12", timeout=WAIT_MS)  # the board job drew it

    # Ben logs a set in his private chat; the group's board follows.
    await ben.locator("#room-button").click()
    await expect(ben.locator("#status")).to_have_text("bot", timeout=WAIT_MS)
    await say(ben, "/stretch")
    session = ben.locator(".row.bot", has=ben.locator("img.photo")).last
    await session.locator(".kb-button", has_text=ENGLISH.SESSION_BTN_LOG).click()
    await session.locator(".kb-button", has_text=ENGLISH.SESSION_MARK_OPEN).first.click()
    await expect(board).to_contain_text("◻️ Ben 1/12", timeout=WAIT_MS)
    await shot(ana, tmp_path, "3-board")

    # Ana's /progress shows her buddy's day.
    await ana.locator("#room-button").click()
    await say(ana, "/progress")
    await expect(ana.locator(".row.bot .caption").last).to_contain_text(
        "Ben · today 1/12", timeout=WAIT_MS
    )
    await shot(ana, tmp_path, "4-progress")
    assert phone.errors == []
    assert phone.outside_requests == []
