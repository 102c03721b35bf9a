"""Buttons leave when they stop acting: an older settings menu once a newer one is sent, a
question answered by typing, yesterday's reminder once today's goes out, and 500 reminders
replaced at once, all within Telegram's limits and never for a blocked chat. The sweep is run
by the test (handlers.keyboard_sweep), so what is seen is ordered by events, not by time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from telegram.ext import ExtBot

from bot.ratelimit import TelegramRateLimiter
from coach.texts import ENGLISH
from handlers.keyboard_sweep import sweep_once
from handlers.reminders import run_tick
from ops.pace import Send
from playground.fake_telegram import ChatMessage
from playground.fake_types import Faults
from storage.models import User
from tests.harness import TOKEN, Harness
from tests.helpers import ANN, add_onboarded_users

TUESDAY_0730 = datetime(2026, 11, 24, 6, 30, tzinfo=UTC)  # 07:30 in Berlin
MANY = range(40_000, 40_500)


def _message(h: Harness, chat_id: int, message_id: int) -> ChatMessage:
    return next(m for m in h.fake.bot_messages(chat_id) if m.message_id == message_id)


async def _sweep_all(h: Harness, bot: ExtBot[Any] | None = None) -> int:
    """Sweep until the queue is empty; returns how many messages were taken."""
    taken = 0
    while found := await sweep_once(bot or h.app.bot, h.services):
        taken += found
    return taken


async def test_an_older_menu_loses_its_buttons_once_a_newer_one_is_sent(harness: Harness) -> None:
    h = harness
    await h.set_up(ANN)
    await h.send(ANN, "/settings")
    older = h.last(ANN)
    await h.send(ANN, "/settings")
    newer = h.last(ANN)
    assert _message(h, ANN, older.message_id).buttons()  # until the sweep
    assert await _sweep_all(h) == 1
    assert _message(h, ANN, older.message_id).buttons() == []
    assert _message(h, ANN, newer.message_id).buttons()  # the live one keeps them
    assert await _sweep_all(h) == 0  # queued once, taken once


async def test_a_question_answered_by_typing_loses_its_buttons(harness: Harness) -> None:
    h = harness
    await h.send(ANN, "/start")
    await h.send(ANN, "Berlin")
    question = h.last(ANN)
    assert question.buttons()  # 07:00, 07:30, …
    await h.send(ANN, "7:45")
    await _sweep_all(h)
    assert _message(h, ANN, question.message_id).buttons() == []


async def test_yesterdays_reminder_loses_its_buttons_when_todays_goes(harness: Harness) -> None:
    h = harness
    h.clock.set(TUESDAY_0730 - timedelta(hours=1))
    await add_onboarded_users(h.services.db, h.fake, [ANN], h.clock.now())
    h.clock.set(TUESDAY_0730 + timedelta(seconds=5))
    await run_tick(h.app)
    yesterday = h.last(ANN)
    assert ENGLISH.REMINDER_SKIP_BUTTON in str(yesterday.buttons())
    h.clock.set(TUESDAY_0730 + timedelta(days=1, seconds=5))
    await run_tick(h.app)
    today = h.last(ANN)
    assert today.message_id != yesterday.message_id
    await _sweep_all(h)
    assert _message(h, ANN, yesterday.message_id).buttons() == []
    assert ENGLISH.REMINDER_SKIP_BUTTON in str(today.buttons())


async def test_500_reminders_replaced_at_once_lose_their_buttons_within_the_limits(
    harness: Harness,
) -> None:
    h = harness
    h.clock.set(TUESDAY_0730 - timedelta(hours=1))
    await add_onboarded_users(h.services.db, h.fake, MANY, h.clock.now())
    blocked = MANY[0]
    for day in range(2):  # Tuesday's reminders, then Wednesday's: Tuesday's are replaced
        h.clock.set(TUESDAY_0730 + timedelta(days=day, seconds=5))
        await run_tick(h.app)
    h.fake.blocked.add(blocked)  # blocked meanwhile: its chat gets no edit
    async with h.services.db.transaction() as session:
        user = await session.get(User, blocked)
        assert user is not None
        user.blocked = True
    before = len(h.fake.calls)

    # Telegram's limits at the fake, and a bot that keeps them (the app under test is
    # unpaced, to seed the reminders fast).
    h.fake.faults = Faults(rate_limit_per_second=30, chat_rate_per_second=1, chat_burst=3)
    paced: ExtBot[Send] = ExtBot(
        TOKEN, base_url=f"{h.api_url}/bot", rate_limiter=TelegramRateLimiter()
    )
    async with paced:
        taken = await _sweep_all(h, paced)

    edits = [
        params for method, params in h.fake.calls[before:] if method == "editMessageReplyMarkup"
    ]
    assert taken == len(MANY) - 1  # the blocked chat's was dropped, not sent
    assert len(edits) == len(MANY) - 1
    assert all(params["chat_id"] != blocked for params in edits)
    assert h.fake.limit_stats.answered_429 == 0
    for chat in MANY[1:]:
        first, second = h.fake.bot_messages(chat)
        assert first.buttons() == [] and second.buttons()
