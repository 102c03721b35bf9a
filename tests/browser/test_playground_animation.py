"""An animation message on the playground chat page: the bot's MP4 loop (sent straight to the fake
Bot API, as the bot will send it) plays by itself as a muted, looping, inline <video> with its
caption and buttons, keeps playing through a caption edit, and turns into a photo when the
message's media is edited."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import expect

from bot.playground import Playground
from coach.texts import ENGLISH
from tests.browser.conftest import Phone
from tests.browser.test_playground_page import WAIT_MS, bot_row, shown

pytestmark = pytest.mark.browser

FIGURES = Path(__file__).parents[2] / "coach" / "content" / "figures"
LOOP_DATA = (FIGURES / "lower_back-anim-left.mp4").read_bytes()
STILL_DATA = (FIGURES / "lower_back-1-left.png").read_bytes()


async def bot_api(playground: Playground, method: str, **params: Any) -> Any:
    """Call the fake Bot API as the bot would, uploading any bytes as multipart files."""
    files = {k: (f"{k}.bin", v) for k, v in params.items() if isinstance(v, bytes)}
    data = {
        k: json.dumps(v) if isinstance(v, dict | list) else str(v)
        for k, v in params.items()
        if not isinstance(v, bytes)
    }
    url = f"{playground.url}/bot{playground.fake.token}/{method}"
    async with httpx.AsyncClient() as client:
        response = await client.post(url, data=data, files=files or None)
    body = response.json()
    assert body["ok"], body
    return body["result"]


async def test_an_animation_message_plays_and_is_edited(
    playground: Playground, phone: Phone
) -> None:
    page = phone.page
    await page.goto(playground.url)
    await page.get_by_role("button", name="START").click()
    await expect(bot_row(page, shown(ENGLISH.SAFETY))).to_be_visible(timeout=WAIT_MS)
    chat_id = int(await page.locator("body").get_attribute("data-user-id") or 0)

    markup = {"inline_keyboard": [[{"text": "Next", "callback_data": "demo:next"}]]}
    sent = await bot_api(
        playground,
        "sendAnimation",
        chat_id=chat_id,
        animation=LOOP_DATA,
        caption="<b>Watch</b> the knees",
        parse_mode="HTML",
        reply_markup=markup,
    )
    row = page.locator(f'.row[data-id="{sent["message_id"]}"]')
    video = row.locator("video.animation")
    await expect(video).to_be_visible(timeout=WAIT_MS)
    await expect(row.locator(".caption")).to_contain_text("Watch the knees")
    await expect(row.locator(".caption b")).to_have_text("Watch")
    await expect(row.locator(".kb-button")).to_have_text(["Next"])
    assert await row.locator("a.document").count() == 0, "shown as a video, not a file card"

    # It plays by itself, silently, in a loop, inside the chat (not full screen).
    await expect(video).to_have_js_property("loop", True)
    await expect(video).to_have_js_property("muted", True)
    await expect(video).to_have_js_property("paused", False, timeout=WAIT_MS)
    assert await video.get_attribute("playsinline") is not None
    playing = await video.element_handle()
    await page.wait_for_function("(v) => v.currentTime > 0.3", arg=playing, timeout=WAIT_MS)
    assert await video.evaluate("(v) => [v.videoWidth, v.videoHeight]") == [800, 500]
    # Near its end it starts over (the file is served by byte ranges, so it can seek back).
    await video.evaluate("(v) => { v.currentTime = v.duration - 0.25; }")
    for reached in ("v.currentTime > v.duration - 0.2", "!v.seeking && v.currentTime < 1"):
        await page.wait_for_function(f"(v) => {reached}", arg=playing, timeout=WAIT_MS)
    await expect(video).to_have_js_property("paused", False)

    # A caption edit keeps the very same <video> playing instead of starting it over.
    await video.evaluate("(v) => { v.dataset.marked = 'yes'; }")
    await bot_api(
        playground,
        "editMessageCaption",
        chat_id=chat_id,
        message_id=sent["message_id"],
        caption="Now hold",
        reply_markup=markup,
    )
    await expect(row.locator(".caption")).to_contain_text("Now hold", timeout=WAIT_MS)
    await expect(row.locator("video.animation")).to_have_attribute("data-marked", "yes")
    await expect(row.locator("video.animation")).to_have_js_property("paused", False)

    # The message's media edited to a photo: the picture replaces the video in place.
    await bot_api(
        playground,
        "editMessageMedia",
        chat_id=chat_id,
        message_id=sent["message_id"],
        media={"type": "photo", "media": "attach://still", "caption": "Step 1"},
        still=STILL_DATA,
    )
    await expect(row.locator("img.photo")).to_be_visible(timeout=WAIT_MS)
    await expect(row.locator(".caption")).to_contain_text("Step 1")
    assert await row.locator("video").count() == 0

    # And back to the animation, by the file_id Telegram gave it: it plays again.
    await bot_api(
        playground,
        "editMessageMedia",
        chat_id=chat_id,
        message_id=sent["message_id"],
        media={"type": "animation", "media": sent["animation"]["file_id"], "caption": "Again"},
    )
    await expect(row.locator(".caption")).to_contain_text("Again", timeout=WAIT_MS)
    assert await row.locator("img.photo").count() == 0
    await expect(row.locator("video.animation")).to_have_js_property(
        "paused", False, timeout=WAIT_MS
    )
    await expect(row.locator(".edited")).to_have_text("edited")
    assert phone.errors == []
    assert phone.outside_requests == []
