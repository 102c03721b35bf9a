"""The Mini App in headless Chromium, opened from the playground's chat as a user opens it: a
whole hands-free session with the page's clock driven by the test (no real 30 s waits), after
which every set is logged, the streak counts the day and the chat's session message shows the
summary. The cue schedule is checked from the Web Audio tones and haptics the page really
asked for (recorded by an init script). The walk saves the dark screenshot at 390×844 that
`make screenshot` keeps as docs/mini-app.png."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Frame, FrameLocator, Page, expect
from sqlalchemy import select

from bot.playground import Playground
from coach.miniapp_view import plain
from coach.routine import SIDES, load_routine
from coach.texts import ENGLISH
from coach.timeinput import COMMON_TIMES, format_time
from handlers.context import services_of
from storage.models import LoggedSet
from tests.browser.chat import WAIT_MS, bot_row, shown, start_chat
from tests.browser.conftest import Phone

pytestmark = pytest.mark.browser

SCREENSHOT = os.environ.get("LIMBER_MINI_APP_SCREENSHOT")
HOLD_MS = 30_000  # the default hold
READY_MS = 5_000  # the "get ready" before each hold (static/timeline.js)

# Wraps what the page calls: each oscillator started (a tone) and each haptic, with the page
# clock's time. Installed in every frame, before any script of the page runs.
RECORDER = """
(() => {
  const log = [];
  window.__cues = log;
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (...args) {
    log.push({ kind: "tone", at: Date.now(), frequency: this.frequency.value });
    return start.apply(this, args);
  };
  let telegram;
  Object.defineProperty(window, "Telegram", {
    configurable: true,
    get() { return telegram; },
    set(value) {
      const haptics = value && value.WebApp && value.WebApp.HapticFeedback;
      for (const name of ["impactOccurred", "notificationOccurred", "selectionChanged"]) {
        if (!haptics) break;
        const original = haptics[name];
        haptics[name] = function (...args) {
          log.push({ kind: "haptic", at: Date.now(), name, style: args[0] || null });
          return original.apply(this, args);
        };
      }
      telegram = value;
    },
  });
})();
"""


async def onboard_and_open_the_mini_app(page: Page, playground: Playground) -> tuple[str, Frame]:
    """START, Berlin, a reminder time, /stretch, then the session's hands-free button: the
    session message's id and the Mini App's frame, once it offers ▶ Start."""
    await start_chat(page, playground)
    await page.locator(".reply-button", has_text=ENGLISH.SHARE_LOCATION_BUTTON).click()
    await page.locator(".city", has_text="Berlin").click()
    await page.locator(".kb-button", has_text=format_time(COMMON_TIMES[0])).click()
    await expect(bot_row(page, shown(ENGLISH.ONBOARDING_DONE.split("{next}")[0]))).to_be_visible(
        timeout=WAIT_MS
    )
    await page.locator("#text").fill("/stretch")
    await page.locator("#text").press("Enter")
    session = bot_row(page, shown(ENGLISH.SESSION_INTRO_TITLE))
    hands_free = session.locator(".kb-button", has_text=ENGLISH.MINIAPP_BUTTON)
    await expect(hands_free).to_be_visible(timeout=WAIT_MS)
    message_id = await session.get_attribute("data-id")
    assert message_id is not None
    await hands_free.click()
    await expect(page.locator("#webapp-main")).to_have_text(
        ENGLISH.SESSION_BTN_START, timeout=WAIT_MS
    )
    frame = next(f for f in page.frames if "/app/" in f.url)
    return message_id, frame


async def run_until(page: Page, app: FrameLocator, state: str, *, limit_s: int) -> None:
    """Move the page's clock a second at a time until the Mini App shows `state`."""
    for _ in range(limit_s):
        if await app.locator("body").get_attribute("data-state") == state:
            return
        await page.clock.run_for(1000)
    raise AssertionError(f"the Mini App never reached {state} in {limit_s} s of its clock")


def cue_moments(recorded: list[dict[str, Any]], patterns: dict[str, Any]) -> list[tuple[int, str]]:
    """The cues played, as (page time, name): the tones started together, read as the
    pattern whose frequencies they are."""
    by_time: dict[int, list[float]] = {}
    for entry in recorded:
        if entry["kind"] == "tone":
            by_time.setdefault(entry["at"], []).append(round(entry["frequency"], 2))
    names = {
        tuple(round(tone[0], 2) for tone in pattern["tones"]): name
        for name, pattern in patterns.items()
    }
    return [(at, names[tuple(frequencies)]) for at, frequencies in sorted(by_time.items())]


async def test_a_whole_session_hands_free(
    playground: Playground, dark_phone: Phone, tmp_path: Path
) -> None:
    page = dark_phone.page
    console: list[str] = []
    page.on(
        "console", lambda message: console.append(message.text) if message.type == "error" else None
    )
    await dark_phone.context.add_init_script(RECORDER)
    await page.clock.install()
    message_id, frame = await onboard_and_open_the_mini_app(page, playground)
    app = page.frame_locator("#webapp-frame")
    await expect(app.locator("#intro-today")).to_have_text("Today: 0/12 sets")
    await expect(app.locator("#intro-title")).to_have_text(ENGLISH.MINIAPP_TITLE)
    # The page asked for full screen, as on a phone; the sheet shows Telegram's floating controls.
    await expect(page.locator("#webapp")).to_have_class("webapp fullscreen")

    await page.clock.pause_at(await page.evaluate("Date.now()") + 1000)
    await page.locator("#webapp-main").click()  # ▶ Start: the last tap
    await expect(app.locator("body")).to_have_attribute("data-phase", "move")
    await expect(page.locator("#webapp-main")).to_have_text(ENGLISH.MINIAPP_PAUSE)

    # Paused during the first step, time stands still; resumed, it goes on.
    await page.clock.run_for(9000)
    await expect(app.locator("body")).to_have_attribute("data-phase", "step")
    await page.locator("#webapp-main").click()
    await expect(page.locator("#webapp-main")).to_have_text(ENGLISH.MINIAPP_RESUME)
    digits = await app.locator("#player-digits").text_content()
    await page.clock.run_for(20_000)
    await expect(app.locator("#player-digits")).to_have_text(digits or "")
    await page.locator("#webapp-main").click()
    await expect(page.locator("#webapp-main")).to_have_text(ENGLISH.MINIAPP_PAUSE)

    # Into the first hold: the big countdown, the hold's picture, set 1 of 3.
    for _ in range(120):
        if await app.locator("body").get_attribute("data-phase") == "hold":
            break
        await page.clock.run_for(1000)
    await page.clock.run_for(12_000)
    await expect(app.locator("#player-digits")).to_have_text("18")
    await expect(app.locator("#player-sets")).to_have_text("Set 1 of 3")
    await expect(app.locator("#player-phase")).to_have_text(ENGLISH.MINIAPP_HOLD)
    shot = Path(SCREENSHOT) if SCREENSHOT else tmp_path / "mini-app.png"
    # CSS transitions run on the real clock, not the page's: shown at their end.
    await page.screenshot(path=shot, animations="disabled")
    assert shot.stat().st_size > 20_000, "a 390×844 page at 2× is not a blank picture"

    await run_until(page, app, "summary", limit_s=900)
    await expect(app.locator("#summary-title")).to_have_text(ENGLISH.MINIAPP_SUMMARY_DONE)
    await expect(app.locator("#summary-today")).to_have_text("Today: 12/12 sets", timeout=WAIT_MS)
    await expect(app.locator("#summary-streak")).to_have_text("🔥 Streak: 1 day (best 1)")
    await expect(app.locator(".dot.done")).to_have_count(12)

    # Every set is stored, once, as the chat would have stored it.
    user_id = int(await page.locator("body").get_attribute("data-user-id") or 0)
    async with services_of(playground.application).db.read() as db_session:
        rows = await db_session.execute(
            select(LoggedSet.stretch_key, LoggedSet.side, LoggedSet.set_number).where(
                LoggedSet.user_id == user_id
            )
        )
        logged = sorted((key, side, number) for key, side, number in rows)
    parts = [(s.key, side) for s in load_routine().stretches for side in SIDES]
    assert logged == sorted((key, side, n) for key, side in parts for n in (1, 2, 3))

    # The cues, as the page played them: each hold starts with "go" 5 s after "get ready",
    # halfway at 15 s, 3-2-1 in its last seconds, and ends with "done", "switch" or "finish".
    patterns = await frame.evaluate("window.LimberCues.PATTERNS")
    recorded = await frame.evaluate("window.__cues")
    moments = cue_moments(recorded, patterns)
    assert Counter(name for _, name in moments) == {
        "ready": 12,
        "go": 12,
        "halfway": 12,
        "count": 36,
        "done": 8,
        "switch": 3,
        "finish": 1,
    }
    goes = [at for at, name in moments if name == "go"]
    for go in goes:
        expected = [
            (go - READY_MS, "ready"),
            (go, "go"),
            (go + HOLD_MS // 2, "halfway"),
            *((go + HOLD_MS - left * 1000, "count") for left in (3, 2, 1)),
        ]
        assert [m for m in moments if go - READY_MS <= m[0] < go + HOLD_MS] == expected
    ends = [(at - go, name) for go in goes for at, name in moments if at == go + HOLD_MS]
    assert [name for _, name in ends] == ["done", "done", "switch"] * 3 + ["done", "done", "finish"]
    # A haptic with every cue, at the same moment.
    haptics = Counter(
        (entry["at"], entry["name"]) for entry in recorded if entry["kind"] == "haptic"
    )
    wanted = {
        "impact": "impactOccurred",
        "notification": "notificationOccurred",
        "selection": "selectionChanged",
    }
    assert haptics == Counter((at, wanted[patterns[name]["haptic"][0]]) for at, name in moments)

    # Closed, the chat shows the summary in the session message itself.
    await page.clock.resume()
    await page.locator("#webapp-main").click()  # Close
    await expect(page.locator("#webapp")).to_be_hidden()
    session = page.locator(f'.row[data-id="{message_id}"]')
    await expect(session.locator(".caption")).to_contain_text(
        plain(ENGLISH.SESSION_SUMMARY_DONE), timeout=WAIT_MS
    )
    await expect(session.locator(".caption")).to_contain_text("Today: 12/12 sets")
    assert dark_phone.errors == []
    assert dark_phone.outside_requests == [], "nothing may come from the internet"
    assert console == []  # no script refused by the page's Content-Security-Policy, no error


async def test_muted_cues_are_remembered_and_only_vibrate(
    playground: Playground, phone: Phone
) -> None:
    page = phone.page
    await phone.context.add_init_script(RECORDER)
    await page.clock.install()
    _, frame = await onboard_and_open_the_mini_app(page, playground)
    app = page.frame_locator("#webapp-frame")
    sound = app.locator("#intro-sound")
    await expect(sound).to_have_attribute("aria-pressed", "true")
    await sound.click()
    await expect(sound).to_have_attribute("aria-label", ENGLISH.MINIAPP_SOUND_OFF)

    # Closed and opened again (from the menu button this time): still muted.
    await page.locator("#webapp-pill-close").click()  # full screen: the floating Close
    await expect(page.locator("#webapp")).to_be_hidden()
    await expect(page.locator("#menu-button")).to_have_text(ENGLISH.MINIAPP_MENU_BUTTON)
    await page.locator("#menu-button").click()
    await expect(page.locator("#webapp-main")).to_have_text(
        ENGLISH.SESSION_BTN_START, timeout=WAIT_MS
    )
    frame = next(f for f in page.frames if "/app/" in f.url)
    await expect(app.locator("#intro-sound")).to_have_attribute("aria-pressed", "false")

    await page.clock.pause_at(await page.evaluate("Date.now()") + 1000)
    await page.locator("#webapp-main").click()
    for _ in range(120):  # to the first hold's start
        if await app.locator("body").get_attribute("data-phase") == "hold":
            break
        await page.clock.run_for(1000)
    recorded = await frame.evaluate("window.__cues")
    assert [entry["kind"] for entry in recorded] == ["haptic", "haptic"]  # get ready, go
    assert phone.errors == []
