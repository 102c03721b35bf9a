"""Reminders on the bot's pace: the lateness histogram counts what Telegram delivered, sends
by kind and the backlog on /metrics, each reminder's lateness in its log line, and paid
broadcasts beyond the free pace, stopped at the day's Stars cap."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import pytest
from sqlalchemy import update
from telegram.error import RetryAfter
from telegram.ext import ExtBot

from bot.ratelimit import Limits, TelegramRateLimiter
from coach.clock import ManualClock
from coach.texts import ENGLISH
from handlers.reminders import run_tick
from ops.pace import Send
from playground.fake_types import Faults
from storage.models import User
from storage.reminders import Due
from tests.harness import TOKEN, Harness, running_bot
from tests.helpers import WEDNESDAY_0730, add_onboarded_users, reminders_received

# Reminders this many seconds late when the tick finds them; two more go to blocked chats.
LATE = {7001: 3, 7002: 3, 7003: 40, 7004: 40, 7005: 40, 7006: 700, 7007: 3000}
BLOCKED = [7101, 7102]


def _sample(h: Harness, name: str, **labels: str) -> float:
    value = h.services.metrics.registry.get_sample_value(name, labels)
    return 0.0 if value is None else value


async def _due(h: Harness, lateness: dict[int, int]) -> None:
    async with h.services.db.transaction() as session:
        for uid, seconds in lateness.items():
            due_at = h.clock.now() - timedelta(seconds=seconds)
            await session.execute(
                update(User).where(User.id == uid).values(next_reminder_at=due_at)
            )


async def test_lateness_histogram_counts_what_the_fake_delivered(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    h = harness
    users = [*LATE, *BLOCKED]
    await add_onboarded_users(h.services.db, h.fake, users, h.clock.now())
    h.clock.set(WEDNESDAY_0730 + timedelta(hours=1))
    await _due(h, {**LATE, **dict.fromkeys(BLOCKED, 40)})
    h.fake.blocked.update(BLOCKED)
    with caplog.at_level(logging.INFO, logger="handlers.reminders"):
        assert await run_tick(h.app) == len(LATE)

    delivered = {uid: LATE[uid] for uid in users if reminders_received(h.fake, uid) == 1}
    assert delivered == LATE  # the blocked chats got nothing, and are not counted
    histogram = "limber_reminder_lateness_seconds"
    assert _sample(h, f"{histogram}_count") == len(delivered)
    assert _sample(h, f"{histogram}_sum") == sum(delivered.values())
    for bound in (1, 5, 60, 900, 3600):
        within = sum(1 for seconds in delivered.values() if seconds <= bound)
        assert _sample(h, f"{histogram}_bucket", le=f"{bound:.1f}") == within
    assert _sample(h, "limber_sends_total", kind="reminder") == len(delivered)
    # A tap on a reminder: its answer and its edit, counted by kind too.
    await h.tap_button(7001, h.last(7001), ENGLISH.REMINDER_SKIP_BUTTON)
    assert _sample(h, "limber_sends_total", kind="answer") == 1
    assert _sample(h, "limber_sends_total", kind="edit") == 1
    # Nothing left waiting, here or anywhere.
    assert _sample(h, "limber_reminders_waiting", scope="instance") == 0
    lines = [r.getMessage() for r in caplog.records if "Reminder sent" in r.getMessage()]
    assert "Reminder sent to user 7006, 700.0 s after its time" in lines
    assert len(lines) == len(LATE)


async def test_the_backlog_is_on_metrics_while_reminders_wait(harness: Harness) -> None:
    h = harness
    users = range(7200, 7230)
    await add_onboarded_users(h.services.db, h.fake, users, h.clock.now())
    h.clock.set(WEDNESDAY_0730)
    seen: list[tuple[float, float]] = []

    async def deliver_slowly(due: object) -> int:
        seen.append(
            (
                _sample(h, "limber_reminders_waiting", scope="all"),
                _sample(h, "limber_reminders_waiting", scope="instance"),
            )
        )
        await asyncio.sleep(0)
        return 1

    assert await run_tick(h.app, deliver=deliver_slowly) == len(users)
    # Counted as the tick claimed them: all 30 due, all 30 claimed by this instance.
    assert seen[0] == (30.0, 30.0)
    assert _sample(h, "limber_reminders_waiting", scope="instance") == 0


PAID_USERS = range(7500, 7700)
# Telegram's paces here, and the bot's under them (as 29 is under 30): a send a few ms late
# must not put one too many into a second, and here the fake shares the bot's event loop, so
# it reads each request late by as much as the loop is busy. Stars a day: 100 paid messages.
FREE, PAID, STARS = 50, 500, 10
OUR_FREE, OUR_PAID = 40, 400


async def test_paid_broadcasts_go_beyond_the_free_pace_and_stop_at_the_cap(
    database_url: str, clock: ManualClock
) -> None:
    async with running_bot(
        database_url,
        clock,
        limits=Limits(overall=OUR_FREE, private_chat=None),
        telegram_paid_broadcast_per_second=OUR_PAID,
        telegram_paid_broadcast_stars_per_day=STARS,
        telegram_paid_broadcast_after_seconds=1,
    ) as h:
        await add_onboarded_users(h.services.db, h.fake, PAID_USERS, clock.now())
        # Telegram's two paces: 50 messages a second without the flag, 500 with it.
        h.fake.faults = Faults(rate_limit_per_second=FREE, paid_rate_per_second=PAID)
        clock.set(WEDNESDAY_0730)
        assert await run_tick(h.app) == len(PAID_USERS)  # 200 due: 5 s at the free pace
        paid = [p for m, p in h.fake.calls if m == "sendMessage" and p.get("allow_paid_broadcast")]
        stars = _sample(h, "limber_paid_broadcast_stars_total")
        counted = _sample(h, "limber_paid_broadcasts_total")
    assert all(reminders_received(h.fake, uid) == 1 for uid in PAID_USERS)
    assert h.fake.limit_stats.answered_429 == 0
    # The backlog (5 s at the free pace) was over the threshold: paid sends went, up to the
    # cap of 10 Stars (100 messages at 0.1), and then the free pace alone.
    assert len(paid) == h.fake.limit_stats.paid_messages == STARS * 10
    assert counted == len(paid) and stars == pytest.approx(len(paid) / 10)


async def test_the_fake_refuses_the_paid_pace_without_the_flag() -> None:
    from ops.web import serve
    from playground.fake_telegram import FakeTelegram, create_app

    fake = FakeTelegram(TOKEN)
    for uid in range(7800, 7900):
        fake.send_text(uid, "/start")
    fake.faults = Faults(rate_limit_per_second=FREE, paid_rate_per_second=PAID)
    async with serve(create_app(fake)) as url:
        # Paced at the paid rate, but sending no paid broadcasts: the free pace is exceeded.
        limiter = TelegramRateLimiter(Limits(overall=PAID, private_chat=None, max_retries=0))
        bot: ExtBot[Send] = ExtBot(TOKEN, base_url=f"{url}/bot", rate_limiter=limiter)
        async with bot:
            results = await asyncio.gather(
                *(bot.send_message(uid, "hello") for uid in range(7800, 7900)),
                return_exceptions=True,
            )
    refused = [r for r in results if isinstance(r, RetryAfter)]
    # Past the free 50 in the first second, sends were refused (after the first 429 the bot
    # holds every request back for its retry_after, and the rest go in the next second).
    assert refused and fake.limit_stats.answered_429 == len(refused)
    assert fake.limit_stats.paid_messages == 0


TAKEN_OVER = range(7800, 7860)


async def test_a_dead_instances_reminders_go_next_once_its_lease_ends(
    database_url: str, clock: ManualClock
) -> None:
    # At 20 a second a claim takes about 20 users; all 60 are due at the same minute.
    async with running_bot(database_url, clock, limits=Limits(overall=20)) as h:
        await add_onboarded_users(h.services.db, h.fake, TAKEN_OVER, clock.now())
        clock.set(WEDNESDAY_0730)
        # Another instance claimed the first five and died holding them.
        stranded = list(TAKEN_OVER[:5])
        async with h.services.db.transaction() as session:
            lease_until = clock.now() + h.services.reminder_lease
            await session.execute(
                update(User).where(User.id.in_(stranded)).values(lease_until=lease_until)
            )
        order: list[int] = []

        async def deliver(due: Due) -> int:
            order.append(due.user_id)
            if len(order) == 10:
                clock.advance(h.services.reminder_lease)  # the dead instance's lease ends
            await asyncio.sleep(0)
            return 1

        assert await run_tick(h.app, deliver=deliver) == len(TAKEN_OVER)
    # Taken by the first claim after their lease ended and sent next, ahead of the users
    # this instance had queued (they were sent 10th to 14th here; when each sender took its
    # user before waiting for its slot, up to 19th).
    assert sorted(order) == list(TAKEN_OVER)
    assert max(order.index(uid) for uid in stranded) < 10 + len(stranded) + 2, order
