"""A change of sets per side applies today while today has no sets, else from the next
stretch day: every day keeps the target it was logged under, so the streak, the calendar and
the reminder never rewrite history, and a finished day is never un-finished."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select, text

from coach.calendar_image import CALENDAR_COLORS
from coach.texts import ENGLISH
from handlers.reminders import run_tick
from storage import progress
from storage.db import Database
from storage.migrate import downgrade, upgrade
from storage.models import LoggedSet, User
from tests.harness import Harness
from tests.helpers import (
    ANN,
    LAST_WEEK,
    centre_colour,
    choose_sets_per_side,
    downloaded_json,
    log_in_session,
    onboard,
    photo_of_last_message,
    seed_days,
)

BOB = 6102
SATURDAY, SUNDAY, MONDAY = date(2026, 11, 21), date(2026, 11, 22), date(2026, 11, 23)
TUESDAY, WEDNESDAY, THURSDAY = date(2026, 11, 24), date(2026, 11, 25), date(2026, 11, 26)


def berlin(day: date, hour: int) -> datetime:
    """`hour` o'clock in Berlin on `day` (UTC+1 in November)."""
    return datetime(day.year, day.month, day.day, hour - 1, tzinfo=UTC)


async def progress_caption(h: Harness) -> str:
    await h.send(ANN, "/progress")
    return h.last(ANN).caption or ""


async def test_raising_sets_per_side_keeps_the_streak_and_the_past_days(harness: Harness) -> None:
    h = harness
    h.clock.set(berlin(SATURDAY, 9))
    await onboard(h)
    await seed_days(h, [SATURDAY, SUNDAY, MONDAY], 3)  # three full days at 3 per side

    h.clock.set(berlin(TUESDAY, 9))
    await choose_sets_per_side(h, 4)
    caption = await progress_caption(h)
    assert "Streak: 3 days (best 3)" in caption
    assert "Today: 0/16 sets" in caption  # today asks for the new 4 per side
    assert "This week: 1 day with the full target" in caption  # Monday still counts
    picture = photo_of_last_message(h)
    for week, weekday in ((LAST_WEEK - 1, 5), (LAST_WEEK - 1, 6), (LAST_WEEK, 0)):
        assert centre_colour(picture, week, weekday) == CALENDAR_COLORS.full  # Sat, Sun, Mon

    # Yesterday's 3 per side is not enough today: the streak waits for the 4th set.
    await log_in_session(h, 3)
    caption = await progress_caption(h)
    assert "Today: 12/16 sets" in caption
    assert "Streak: 3 days (best 3)" in caption
    assert centre_colour(photo_of_last_message(h), LAST_WEEK, 1) == CALENDAR_COLORS.partial[2]
    await log_in_session(h, 4)
    caption = await progress_caption(h)
    assert "Today: 16/16 sets" in caption
    assert "Streak: 4 days (best 4)" in caption

    # Each set carries the target it was logged under, and /export shows it.
    await h.send(ANN, "/export")
    exported = downloaded_json(h, ANN)["tables"]["logged_sets"]
    targets = {(row["stretch_day"], row["sets_target"]) for row in exported}
    assert targets == {
        ("2026-11-21", 3),
        ("2026-11-22", 3),
        ("2026-11-23", 3),
        ("2026-11-24", 4),
    }


async def test_lowering_sets_per_side_does_not_fill_a_past_partial_day(harness: Harness) -> None:
    h = harness
    h.clock.set(berlin(SUNDAY, 9))
    await onboard(h)
    await seed_days(h, [SUNDAY], 3)  # Sunday: full
    await seed_days(h, [MONDAY], 2)  # Monday: 2 of 3 per side

    h.clock.set(berlin(TUESDAY, 9))
    await choose_sets_per_side(h, 2)
    caption = await progress_caption(h)
    assert "Streak: 0 days (best 1)" in caption  # Monday broke the run; 2 per side won't mend it
    assert "Today: 0/8 sets" in caption
    assert "This week: 0 days with the full target" in caption
    picture = photo_of_last_message(h)
    assert centre_colour(picture, LAST_WEEK - 1, 6) == CALENDAR_COLORS.full  # Sunday
    assert centre_colour(picture, LAST_WEEK, 0) == CALENDAR_COLORS.partial[1]  # Monday, 8 of 12

    await log_in_session(h, 2)  # today's smaller target is met
    caption = await progress_caption(h)
    assert "Today: 8/8 sets" in caption
    assert "Streak: 1 day (best 1)" in caption
    assert "This week: 1 day with the full target" in caption


async def test_a_change_once_today_began_waits_for_tomorrow(harness: Harness) -> None:
    h = harness  # the clock starts on Tuesday 09:00 in Berlin
    for uid in (ANN, BOB):
        await onboard(h, uid)
        await seed_days(h, [TUESDAY], 3, user_id=uid)  # Tuesday: full at 3 per side
    h.clock.set(berlin(WEDNESDAY, 7))
    await log_in_session(h, 3, ANN)  # Wednesday: done at 3 per side
    toast = await choose_sets_per_side(h, 4, ANN)
    assert toast == ENGLISH.SETTINGS_SETS_FROM_TOMORROW_TOAST.format(n=4, today=3)
    caption = await progress_caption(h)
    assert "Today: 12/12 sets" in caption  # still finished
    assert "Streak: 2 days (best 2)" in caption
    await log_in_session(h, 2, BOB)
    await choose_sets_per_side(h, 2, BOB)  # Bob's 2 per side do not finish today's 3

    h.clock.set(berlin(WEDNESDAY, 7).replace(minute=30))
    await run_tick(h.app)
    assert not any((m.text or "").startswith(ENGLISH.REMINDER) for m in h.fake.bot_messages(ANN))
    reminded = h.last(BOB).text or ""
    assert reminded.startswith(ENGLISH.REMINDER)
    assert "8/12 done — 4 sets left" in reminded

    h.clock.set(berlin(THURSDAY, 9))  # the new settings take over
    caption = await progress_caption(h)
    assert "Today: 0/16 sets" in caption
    assert "Streak: 2 days (best 2)" in caption


async def test_a_day_changed_midway_takes_the_target_of_its_last_set(harness: Harness) -> None:
    """Sunday: 3 per side logged at 4, then lowered to 3 and one set redone → met at 3.
    Monday: 3 per side logged at 3, then raised to 4 and one 4th set → 13 of 16, not met."""
    h = harness
    parts = progress.routine_parts()
    rows = []
    for day, early, late in ((SUNDAY, 4, 3), (MONDAY, 3, 4)):
        for key, side in parts:
            for number in (1, 2, 3):
                redone = (key, side, number) == (*parts[0], 3) and day == SUNDAY
                rows.append(
                    LoggedSet(
                        user_id=ANN,
                        stretch_day=day,
                        stretch_key=key,
                        side=side,
                        set_number=number,
                        sets_target=late if redone else early,
                        logged_at=berlin(day, 12 if redone else 10),
                    )
                )
    rows.append(
        LoggedSet(
            user_id=ANN,
            stretch_day=MONDAY,
            stretch_key=parts[0][0],
            side=parts[0][1],
            set_number=4,
            sets_target=4,
            logged_at=berlin(MONDAY, 12),
        )
    )
    async with h.services.db.transaction() as session:
        session.add(User(id=ANN, chat_id=ANN, first_name="Ann", time_zone="Europe/Berlin"))
        await session.flush()
        session.add_all(rows)

    async with h.services.db.transaction() as session:
        user = await session.get(User, ANN)
        assert user is not None
        days = await progress.user_days(session, user.id)
        assert (days[SUNDAY].done, days[SUNDAY].target, days[SUNDAY].met) == (12, 12, True)
        assert (days[MONDAY].done, days[MONDAY].target, days[MONDAY].met) == (13, 16, False)
        assert days[MONDAY].counts[parts[0]] == 4
        streak = await progress.user_streak(session, user.id, TUESDAY)
        assert (streak.current, streak.best) == (0, 1)
        # Had Monday been today, its own target would decide too, not the setting (3).
        assert not await progress.today_target_met(session, user.id, MONDAY)


async def test_sets_logged_before_the_column_existed_count_as_three(database_url: str) -> None:
    await downgrade(database_url, "0001")
    db = Database(database_url)
    try:
        async with db.transaction() as session:
            await session.execute(
                text(
                    "INSERT INTO users (id, chat_id, first_name, weekdays, reminders_enabled,"
                    " snoozed, blocked, sets_per_side, hold_seconds, created_at, updated_at)"
                    " VALUES (1, 1, 'Ann', 127, true, false, false, 4, 30, :now, :now)"
                ),
                {"now": datetime(2026, 11, 1, tzinfo=UTC)},
            )
            await session.execute(
                text(
                    "INSERT INTO logged_sets (user_id, stretch_day, stretch_key, side,"
                    " set_number, logged_at) VALUES (1, :day, 'lower_back', 'left', 1, :now)"
                ),
                {"day": SUNDAY, "now": datetime(2026, 11, 22, tzinfo=UTC)},
            )
        await upgrade(database_url)
        async with db.transaction() as session:
            assert list(await session.scalars(select(LoggedSet.sets_target))) == [3]
        await downgrade(database_url, "0001")  # and back: the set itself survives
        async with db.transaction() as session:
            count = await session.scalar(text("SELECT count(*) FROM logged_sets"))
            assert count == 1
        await upgrade(database_url)
    finally:
        await db.dispose()
