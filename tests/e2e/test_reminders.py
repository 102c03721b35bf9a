"""The daily reminder, end to end: the test moves the clock and runs the tick."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

from bot.ratelimit import TelegramRateLimiter
from coach import callbacks
from coach.callbacks import Snooze
from coach.texts import ENGLISH
from handlers.reminders import run_tick
from playground.fake_telegram import FakeTelegram
from storage import progress, reminders
from storage.models import LoggedSet, ReminderSent
from tests.harness import Harness, running_bot
from tests.helpers import (
    REMINDER_ANN,
    WEDNESDAY_0730,
    add_onboarded_users,
    onboard,
    reminders_received,
)
from tests.helpers import REMINDER_ANN as ANN


def send_attempts(fake: FakeTelegram, chat_id: int) -> int:
    """How many sendMessage calls the bot made to `chat_id` (failed ones included)."""
    return sum(
        1
        for method, params in fake.calls
        if method == "sendMessage" and str(params.get("chat_id")) == str(chat_id)
    )


async def test_reminder_arrives_at_local_time_once(harness: Harness) -> None:
    h = harness
    await onboard(h, REMINDER_ANN)
    h.clock.set(WEDNESDAY_0730 - timedelta(minutes=1))
    await run_tick(h.app)
    assert reminders_received(h.fake, ANN) == 0

    h.clock.set(WEDNESDAY_0730)
    assert await run_tick(h.app) == 1
    reminder = h.last(ANN)
    assert ENGLISH.REMINDER_NO_STREAK in (reminder.text or "")
    labels = [text for row in reminder.buttons() for text, _ in row]
    assert labels == [
        ENGLISH.REMINDER_START_BUTTON,
        ENGLISH.REMINDER_SNOOZE_15_BUTTON,
        ENGLISH.REMINDER_SNOOZE_60_BUTTON,
        ENGLISH.REMINDER_SKIP_BUTTON,
    ]
    assert reminder.buttons()[0][0][1] == callbacks.encode("stretch")

    h.clock.advance(timedelta(minutes=30))
    await run_tick(h.app)
    assert reminders_received(h.fake, ANN) == 1  # one per stretch day
    assert (await h.stored_user(ANN)).next_reminder_at == WEDNESDAY_0730 + timedelta(days=1)


async def test_snooze_brings_it_back_and_survives_a_restart(harness: Harness) -> None:
    h = harness
    await onboard(h, REMINDER_ANN)
    h.clock.set(WEDNESDAY_0730)
    await run_tick(h.app)
    answer = await h.tap_button(ANN, h.last(ANN), ENGLISH.REMINDER_SNOOZE_15_BUTTON)
    assert answer["text"] == ENGLISH.REMINDER_SNOOZED_TOAST.format(time="07:45")
    assert ENGLISH.REMINDER_SNOOZED.format(time="07:45") in (h.last(ANN).text or "")

    async with running_bot(h.services.db.url, h.clock, fake=h.fake) as again:
        h.clock.advance(timedelta(minutes=14))
        await run_tick(again.app)
        assert reminders_received(h.fake, ANN) == 1
        h.clock.advance(timedelta(minutes=1))
        await run_tick(again.app)
        assert reminders_received(h.fake, ANN) == 2
        user = await again.stored_user(ANN)
        assert not user.snoozed
        assert user.next_reminder_at == WEDNESDAY_0730 + timedelta(days=1)


async def test_skip_today_and_old_buttons_expire(harness: Harness) -> None:
    h = harness
    await onboard(h, REMINDER_ANN)
    h.clock.set(WEDNESDAY_0730)
    await run_tick(h.app)
    reminder = h.last(ANN)
    answer = await h.tap_button(ANN, reminder, ENGLISH.REMINDER_SKIP_BUTTON)
    assert answer["text"] == ENGLISH.REMINDER_SKIPPED_TOAST
    edited = h.last(ANN)
    assert "Skipped today" in (edited.text or "") and "tomorrow at 07:30" in (edited.text or "")
    assert [t for row in edited.buttons() for t, _ in row] == [ENGLISH.REMINDER_START_BUTTON]

    # A day later the old reminder's snooze button has expired.
    h.clock.advance(timedelta(days=1))
    stale = callbacks.encode(Snooze.action, "2026-11-25", 15)
    stale_answer = await h.tap(ANN, reminder.message_id, stale)
    assert stale_answer is not None
    assert stale_answer["text"] == ENGLISH.REMINDER_EXPIRED
    assert not (await h.stored_user(ANN)).snoozed


async def test_no_reminder_when_target_met_or_too_late(harness: Harness) -> None:
    h = harness
    await onboard(h, REMINDER_ANN)
    # Wednesday: every part done before the reminder time.
    async with h.services.db.transaction() as session:
        for key, side in progress.routine_parts():
            for n in (1, 2, 3):
                session.add(
                    LoggedSet(
                        user_id=ANN,
                        stretch_day=date(2026, 11, 25),
                        stretch_key=key,
                        side=side,
                        set_number=n,
                    )
                )
    h.clock.set(WEDNESDAY_0730)
    await run_tick(h.app)
    assert reminders_received(h.fake, ANN) == 0
    assert (await h.stored_user(ANN)).next_reminder_at == WEDNESDAY_0730 + timedelta(days=1)

    # Thursday: the bot was down from 07:00 until 09:29 — 1 h 59 min late is still sent.
    h.clock.set(WEDNESDAY_0730 + timedelta(days=1, hours=1, minutes=59))
    await run_tick(h.app)
    assert reminders_received(h.fake, ANN) == 1
    assert "1 day" in (h.last(ANN).text or "")  # Wednesday's full target is a streak of one
    # Friday: 2 h late is too late; it moves to Saturday.
    h.clock.set(WEDNESDAY_0730 + timedelta(days=2, hours=2))
    await run_tick(h.app)
    assert reminders_received(h.fake, ANN) == 1
    assert (await h.stored_user(ANN)).next_reminder_at == WEDNESDAY_0730 + timedelta(days=3)


async def test_restart_mid_tick_loses_nothing_and_sends_nothing_twice(harness: Harness) -> None:
    h = harness
    db = h.services.db
    await add_onboarded_users(db, h.fake, range(100, 110), h.clock.now())
    h.clock.set(WEDNESDAY_0730)
    # An instance claims the batch and dies before sending: the lease holds them back...
    async with db.transaction() as session:
        assert len(await reminders.claim_due(session, h.clock.now())) == 10
    async with running_bot(db.url, h.clock, fake=h.fake) as again:
        assert await run_tick(again.app) == 0
        # ...until it expires; then everyone gets exactly one reminder, still on time.
        h.clock.advance(reminders.LEASE)
        assert await run_tick(again.app) == 10
        await run_tick(again.app)
    assert [reminders_received(h.fake, uid) for uid in range(100, 110)] == [1] * 10


async def test_blocked_user_is_not_sent_to_until_they_write(harness: Harness) -> None:
    h = harness
    await onboard(h, REMINDER_ANN)
    await onboard(h, ANN + 1)
    h.fake.block(ANN)  # Telegram tells the bot (my_chat_member)...
    for _ in range(200):
        if (await h.stored_user(ANN)).blocked:
            break
        await asyncio.sleep(0.02)
    assert (await h.stored_user(ANN)).blocked
    # ...and a block the bot never heard about shows up as 403 on the send.
    h.fake.blocked.add(ANN + 1)
    before = send_attempts(h.fake, ANN)
    h.clock.set(WEDNESDAY_0730)
    await run_tick(h.app)
    assert send_attempts(h.fake, ANN) == before and reminders_received(h.fake, ANN) == 0
    assert (await h.stored_user(ANN + 1)).blocked
    attempts = send_attempts(h.fake, ANN + 1)
    h.clock.advance(timedelta(days=1))
    await run_tick(h.app)
    assert send_attempts(h.fake, ANN + 1) == attempts  # no more tries while blocked

    h.fake.blocked.discard(ANN + 1)
    await h.send(ANN + 1, "/start")  # any message proves they are back
    assert not (await h.stored_user(ANN + 1)).blocked
    h.clock.advance(timedelta(days=1))
    await run_tick(h.app)
    assert reminders_received(h.fake, ANN + 1) == 1


async def test_a_429_storm_still_delivers_each_reminder_once(harness: Harness) -> None:
    h = harness
    users = range(200, 240)
    await add_onboarded_users(h.services.db, h.fake, users, h.clock.now())
    h.fake.faults.methods = {"sendMessage"}
    h.fake.faults.rate_limit_per_second = 10
    h.fake.faults.retry_after = 1
    h.clock.set(WEDNESDAY_0730)
    limiter = h.app.bot.rate_limiter
    assert isinstance(limiter, TelegramRateLimiter)
    for _ in range(30):
        await run_tick(h.app)
        if all(reminders_received(h.fake, uid) for uid in users):
            break
        # The next tick, 15 s on, long after the halt a 429 began (which lasts in real time:
        # a reminder whose slot it overtook goes back to the tick unsent).
        await asyncio.sleep(max(limiter.halted_for(), 0.0))
        h.clock.advance(timedelta(seconds=15))
    assert [reminders_received(h.fake, uid) for uid in users] == [1] * len(users)
    async with h.services.db.transaction() as session:
        rows = (await session.execute(ReminderSent.__table__.select())).all()
    assert len(rows) == len(users)


async def test_reminder_buttons_act_only_on_the_days_live_reminder(harness: Harness) -> None:
    h = harness
    await onboard(h, REMINDER_ANN)
    h.clock.set(WEDNESDAY_0730)
    assert await run_tick(h.app) == 1
    reminder = h.last(ANN)
    snooze = callbacks.encode(Snooze.action, "2026-11-25", 15)
    # Today's snooze data tapped on the settings menu: not a reminder, nothing happens.
    await h.send(ANN, "/settings")
    menu = h.last(ANN)
    before = await h.stored_user(ANN)
    answer = await h.tap(ANN, menu.message_id, snooze)
    assert answer is not None and answer["text"] == ENGLISH.REMINDER_EXPIRED
    after = await h.stored_user(ANN)
    assert (after.next_reminder_at, after.snoozed) == (before.next_reminder_at, False)
    assert (h.fake.history(ANN)[-1].text or "").startswith("⚙️ Settings")
    # On the reminder itself it works; the snoozed reminder comes back as a new message,
    # whose buttons are then the live ones.
    answer = await h.tap(ANN, reminder.message_id, snooze)
    assert answer is not None and answer["text"].startswith("See you at")
    h.clock.advance(timedelta(minutes=15))
    assert await run_tick(h.app) == 1
    repeated = h.last(ANN)
    assert repeated.message_id != reminder.message_id
    stale = await h.tap(ANN, reminder.message_id, snooze)
    assert stale is not None and stale["text"] == ENGLISH.REMINDER_EXPIRED
    skip = await h.tap_button(ANN, repeated, ENGLISH.REMINDER_SKIP_BUTTON)
    assert skip["text"] == ENGLISH.REMINDER_SKIPPED_TOAST
