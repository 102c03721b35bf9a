"""Message dates follow the fake's date clock: what the user writes, what the bot sends and
edits, and a member update all carry its time, as the bot reads them through PTB. The
playground points that clock at the bot's own (bot/playground.py), which the clock panel moves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from telegram import Bot

from playground.fake_telegram import FakeTelegram
from tests.playground.helpers import USER

# Monday 30 November 2026, 06:30 UTC (07:30 in Berlin): not today, whenever the test runs.
MOVED = datetime(2026, 11, 30, 6, 30, tzinfo=UTC)


async def test_dates_are_read_from_the_date_clock(bot: Bot, fake: FakeTelegram) -> None:
    now = [MOVED]
    fake.date_clock = lambda: now[0].timestamp()

    fake.send_text(USER, "/start")
    [update] = await bot.get_updates()
    assert update.message is not None and update.message.date == MOVED

    now[0] += timedelta(days=1, seconds=59)
    sent = await bot.send_message(USER, "Time to stretch")
    assert sent.date == MOVED + timedelta(days=1, seconds=59)
    now[0] += timedelta(minutes=5)
    edited = await bot.edit_message_text("Done", chat_id=USER, message_id=sent.message_id)
    assert not isinstance(edited, bool)
    assert edited.edit_date == MOVED + timedelta(days=1, minutes=5, seconds=59)

    # What the chat page stamps: each message keeps the date it was sent with.
    history = fake.history(USER)
    assert [m.date for m in history] == [
        int(MOVED.timestamp()),
        int((MOVED + timedelta(days=1, seconds=59)).timestamp()),
    ]

    fake.block(USER)
    [member] = await bot.get_updates(offset=update.update_id + 1)
    assert member.my_chat_member is not None
    assert member.my_chat_member.date == MOVED + timedelta(days=1, minutes=5, seconds=59)


async def test_by_default_dates_are_the_real_time(bot: Bot, fake: FakeTelegram) -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    fake.send_text(USER, "/start")
    sent = await bot.send_message(USER, "Hello")
    after = datetime.now(UTC)
    assert before <= sent.date <= after
