"""The weekly recap: with the week's first reminder, once per user and week (a restart and a
met day included), in the user's language, never to a blocked chat, and switchable."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from coach.clock import ManualClock
from coach.texts import ENGLISH
from handlers.reminders import run_tick
from playground.fake_state import FakeTelegram
from storage.models import BackCheckIn, User, WeeklyRecap
from tests.harness import TOKEN, Harness, running_bot
from tests.helpers import ANN, add_onboarded_users, seed_days

BOB, CAT = ANN + 1, ANN + 2
MONDAY = date(2026, 11, 30)


def at_0730_berlin(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 6, 30, tzinfo=UTC)  # UTC+1 in November


def recaps(fake: FakeTelegram, chat_id: int) -> list[str]:
    return [m.text or "" for m in fake.bot_messages(chat_id) if (m.text or "").startswith("📬")]


async def _days_through(h: Harness, first: date, last: date) -> None:
    """Each morning at 07:30 Berlin from `first` to `last`, the tick runs."""
    day = first
    while day <= last:
        h.clock.set(at_0730_berlin(day) + timedelta(seconds=5))
        await run_tick(h.app)
        day += timedelta(days=1)


async def test_the_recap_comes_with_the_weeks_first_reminder_once(database_url: str) -> None:
    clock = ManualClock(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    fake = FakeTelegram(TOKEN)
    async with running_bot(database_url, clock, fake) as h:
        await add_onboarded_users(h.services.db, fake, [ANN, BOB, CAT], clock.now())
        # Last week (Mon 23 – Sun 29): Ann met five days and felt better than the week before.
        await seed_days(h, [date(2026, 11, d) for d in (23, 24, 25, 27, 28)], 3)
        async with h.services.db.transaction() as session:
            for day, score in ((16, 4), (18, 5), (24, 7), (28, 8)):
                session.add(BackCheckIn(user_id=ANN, stretch_day=date(2026, 11, day), score=score))
            bob = await session.get(User, BOB)
            assert bob is not None
            bob.weekly_recap = False  # switched off in /settings
        fake.blocked.add(CAT)
        await _days_through(h, date(2026, 11, 25), date(2026, 11, 29))
        assert recaps(fake, ANN) == []  # no recap in the middle of a week

        await _days_through(h, MONDAY, MONDAY)
        messages = fake.bot_messages(ANN)
        recap, reminder = messages[-2], messages[-1]
        assert (recap.text or "").startswith("📬")
        assert ENGLISH.RECAP_DAYS.format(days=5, days_word="days", sets=60) in (recap.text or "")
        assert "7.5/10" in (recap.text or "") and "up from 4.5/10" in (recap.text or "")
        assert recap.buttons()[0][0][0] == ENGLISH.REMINDER_START_BUTTON
        assert (reminder.text or "").startswith(ENGLISH.REMINDER)
        assert recaps(fake, BOB) == []  # switched off
        assert fake.bot_messages(CAT) == []  # blocked: nothing at all

    # Restarted on Monday, and the plan moved to a later Monday time: no second recap.
    async with running_bot(database_url, clock, fake) as h:
        async with h.services.db.transaction() as session:
            ann = await session.get(User, ANN)
            assert ann is not None
            ann.next_reminder_at = at_0730_berlin(MONDAY) + timedelta(hours=1)
        clock.set(at_0730_berlin(MONDAY) + timedelta(hours=1, seconds=5))
        await run_tick(h.app)
        await _days_through(h, MONDAY + timedelta(days=1), MONDAY + timedelta(days=6))
        assert len(recaps(fake, ANN)) == 1
        async with h.services.db.transaction() as session:
            rows = await session.execute(select(WeeklyRecap.user_id, WeeklyRecap.week_start))
            assert list(rows) == [(ANN, MONDAY)]

        # The next Monday brings the next week's recap, even with the day already met.
        next_monday = MONDAY + timedelta(days=7)
        await seed_days(h, [next_monday], 3)
        before = len(fake.bot_messages(ANN))
        await _days_through(h, next_monday, next_monday)
        new = fake.bot_messages(ANN)[before:]
        assert [(m.text or "").startswith("📬") for m in new] == [True]  # no reminder: met
        assert len(recaps(fake, ANN)) == 2


async def test_the_recap_speaks_the_users_language(harness: Harness) -> None:
    h = harness
    await add_onboarded_users(h.services.db, h.fake, [ANN], h.clock.now())
    async with h.services.db.transaction() as session:
        ann = await session.get(User, ANN)
        assert ann is not None
        ann.language = "de"
    await _days_through(h, date(2026, 11, 25), MONDAY)
    recap = next(m for m in h.fake.bot_messages(ANN) if (m.text or "").startswith("📬"))
    assert "Woche" in (recap.text or "")  # German
    reminder = h.fake.bot_messages(ANN)[-1]
    assert not (reminder.text or "").startswith(ENGLISH.REMINDER)  # not the English text
