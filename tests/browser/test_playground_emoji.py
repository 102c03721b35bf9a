"""Emoji on the chat page are drawn by a colour emoji font, not as a text font's outlines:
DejaVu Sans has black-and-white faces of its own, and the page's font stack must not let it
draw them (the back-feel faces 😖 😐 😄 came out as outlines)."""

from __future__ import annotations

import io
import os
import subprocess

import pytest
from PIL import Image
from playwright.async_api import expect

from bot.playground import Playground
from tests.browser.chat import WAIT_MS, start_chat
from tests.browser.conftest import Phone

pytestmark = pytest.mark.browser

FACES = "😖 😐 😄"


def colour_emoji_font_or_skip() -> None:
    fonts = subprocess.run(["fc-list"], capture_output=True, text=True, check=False).stdout
    if "emoji" in fonts.lower():
        return
    reason = "No colour emoji font: apt-get install -y fonts-noto-color-emoji"
    if os.environ.get("LIMBER_REQUIRE_BROWSER") == "1":
        pytest.fail(f"LIMBER_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


def colourful_pixels(png: bytes) -> int:
    """Pixels whose channels differ a lot (yellow faces), unlike text (black or grey) and the
    pale green of the user's bubble."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    counts = image.getcolors(maxcolors=image.width * image.height) or []
    return sum(
        count
        for count, colour in counts
        if isinstance(colour, tuple) and max(colour) - min(colour) > 100
    )


async def test_faces_in_a_message_are_drawn_in_colour(playground: Playground, phone: Phone) -> None:
    colour_emoji_font_or_skip()
    page = phone.page
    await start_chat(page, playground)
    await page.locator("#text").fill(FACES)
    await page.locator("#text").press("Enter")
    bubble = page.locator(".row.user .text", has_text=FACES)
    await expect(bubble).to_be_visible(timeout=WAIT_MS)

    # Where the faces are drawn: the message's text, without the time stamp after it.
    box = await bubble.evaluate(
        """bubble => {
            const range = document.createRange();
            range.selectNodeContents(bubble.firstChild);
            const r = range.getBoundingClientRect();
            return {x: r.x, y: r.y, width: r.width, height: r.height};
        }"""
    )
    shot = await page.screenshot(clip=box)
    # Three faces at 15 px on a 2x screen: hundreds of yellow pixels; outlines have none.
    assert colourful_pixels(shot) > 300
    assert phone.errors == []
