"""The chat and the Mini App tell one truth: a session done in the Mini App leaves the day's
session message at the summary (edited in place, or sent anew when there is none), /progress
counts its sets, the day's reminder is not sent (or becomes its ✓ line), and buttons and the
menu open the Mini App only when it has a public URL; without one the chat is as it was."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx

from bot.server import health_server
from coach.clock import ManualClock
from coach.miniapp_view import plain
from coach.texts import ENGLISH
from handlers.reminders import run_tick
from playground.fake_types import ChatMessage
from tests.e2e.miniapp import init_data, mini_app_bot
from tests.e2e.test_miniapp_api import today_code
from tests.harness import bot_settings, running_bot
from tests.helpers import ANN, WEDNESDAY_0730, make_user, onboard, reminders_received
from tests.processes import free_port

OTHER = ANN + 1


def web_apps(message: ChatMessage) -> list[tuple[str, str]]:
    """The (label, URL) of each button of `message` that opens a Mini App."""
    rows: list[list[dict[str, Any]]] = (message.reply_markup or {}).get("inline_keyboard") or []
    return [(b["text"], b["web_app"]["url"]) for row in rows for b in row if "web_app" in b]


async def test_a_session_in_the_mini_app_ends_at_the_summary_in_the_chat(
    database_url: str, clock: ManualClock
) -> None:
    async with mini_app_bot(database_url, clock) as app:
        h = app.harness
        await make_user(h, ANN)
        await h.send(ANN, "/stretch")
        session = h.last(ANN)
        # The session intro opens the Mini App (a web_app button, at MINI_APP_URL).
        assert web_apps(session) == [(ENGLISH.MINIAPP_BUTTON, f"{app.base}/")]
        signed, today = init_data(ANN, clock.now()), await today_code(app)

        await app.whole_day(signed, today)
        finished = await app.finish(signed, today)
        assert finished.status_code == 200
        assert finished.json()["progress"]["met"] is True
        assert finished.json()["progress"]["streak"] == "🔥 Streak: 1 day (best 1)"

        # The same message, edited to the summary: no new message, its buttons the summary's.
        summary = h.last(ANN)
        assert summary.message_id == session.message_id
        assert plain(ENGLISH.SESSION_SUMMARY_DONE) in (summary.caption or "")
        assert "Today: 12/12 sets" in (summary.caption or "")
        labels = [label for row in summary.buttons() for label, _ in row]
        assert ENGLISH.SESSION_BTN_LOG in labels and ENGLISH.FEEL_FACES[0] in labels
        # Finishing again (a retry) edits nothing.
        edits = summary.edits
        assert (await app.finish(signed, today)).status_code == 200
        assert h.last(ANN).edits == edits

        # /progress counts them.
        await h.send(ANN, "/progress")
        progress = "\n".join(m.text or m.caption or "" for m in h.fake.bot_messages(ANN)[-2:])
        assert "Today: 12/12 sets" in progress
        assert "Streak: 1 day" in progress


async def test_without_a_session_message_the_summary_is_sent(
    database_url: str, clock: ManualClock
) -> None:
    async with mini_app_bot(database_url, clock) as app:
        h = app.harness
        await make_user(h, ANN)
        h.fake.send_text(ANN, "hello")  # the chat exists; no /stretch today
        await h.send(ANN, "/help")
        before = len(h.fake.bot_messages(ANN))
        signed, today = init_data(ANN, clock.now()), await today_code(app)

        await app.whole_day(signed, today)
        assert (await app.finish(signed, today)).status_code == 200

        messages = h.fake.bot_messages(ANN)
        assert len(messages) == before + 1
        assert plain(ENGLISH.SESSION_SUMMARY_DONE) in (messages[-1].caption or "")
        # It is the live session message: its buttons act.
        answer = await h.tap_button(ANN, messages[-1], ENGLISH.FEEL_FACES[4])
        assert answer["text"] == ENGLISH.FEEL_TOAST.format(face=ENGLISH.FEEL_FACES[4], score=10)


async def test_a_day_met_in_the_mini_app_gets_no_reminder(
    database_url: str, clock: ManualClock
) -> None:
    async with mini_app_bot(database_url, clock) as app:
        h = app.harness
        await onboard(h, ANN)  # reminders at 07:30 Berlin
        await onboard(h, OTHER)
        clock.set(WEDNESDAY_0730 - timedelta(hours=1))
        signed, today = init_data(ANN, clock.now()), await today_code(app)
        await app.whole_day(signed, today)

        clock.set(WEDNESDAY_0730)
        await run_tick(h.app)
        assert reminders_received(h.fake, ANN) == 0
        assert reminders_received(h.fake, OTHER) == 1  # the tick did run
        reminder = h.last(OTHER)
        assert (ENGLISH.MINIAPP_BUTTON, f"{app.base}/") in web_apps(reminder)


async def test_the_days_reminder_turns_done_when_the_mini_app_meets_the_target(
    database_url: str, clock: ManualClock
) -> None:
    async with mini_app_bot(database_url, clock) as app:
        h = app.harness
        await onboard(h, ANN)
        clock.set(WEDNESDAY_0730)
        assert await run_tick(h.app) == 1
        reminder = h.last(ANN)
        signed, today = init_data(ANN, clock.now()), await today_code(app)

        await app.whole_day(signed, today)
        edited = next(m for m in h.fake.bot_messages(ANN) if m.message_id == reminder.message_id)
        assert edited.text == plain(ENGLISH.REMINDER_DONE.format(target=12))
        assert edited.buttons() == []


async def test_without_a_public_url_nothing_opens_a_mini_app(
    database_url: str, clock: ManualClock
) -> None:
    port = free_port()
    options: dict[str, Any] = {"health_port": port, "webhook_listen": "127.0.0.1"}
    async with running_bot(database_url, clock, **options) as h:
        await onboard(h, ANN)
        await h.send(ANN, "/stretch")
        intro = h.last(ANN)
        assert web_apps(intro) == []
        labels = [label for row in intro.buttons() for label, _ in row]
        assert labels == [ENGLISH.SESSION_BTN_START, ENGLISH.SESSION_BTN_LOG]
        clock.set(WEDNESDAY_0730)
        assert await run_tick(h.app) == 1
        assert web_apps(h.last(ANN)) == []
        assert h.fake.menu_button == {"type": "default"}
        assert not any(method == "setChatMenuButton" for method, _ in h.fake.calls)
        # Nothing is served under /app/ either.
        settings = bot_settings(database_url, h.api_url, **options)
        async with health_server(h.app, settings) as base, httpx.AsyncClient() as client:
            assert (await client.get(f"{base}/app/")).status_code == 404
            assert (await client.get(f"{base}/healthz")).status_code in (200, 503)


async def test_the_menu_button_opens_the_mini_app(database_url: str, clock: ManualClock) -> None:
    async with mini_app_bot(database_url, clock) as app:
        assert app.harness.fake.menu_button == {
            "type": "web_app",
            "text": ENGLISH.MINIAPP_MENU_BUTTON,
            "web_app": {"url": f"{app.base}/"},
        }
