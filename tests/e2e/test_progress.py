"""/progress end to end: the caption's numbers and the calendar photo, from real rows."""

from __future__ import annotations

from datetime import date, time, timedelta

from coach.calendar_image import CALENDAR_COLORS
from coach.texts import ENGLISH
from storage.models import PausedDay, User
from tests.harness import Harness
from tests.helpers import ANN, LAST_WEEK, centre_colour, log_sets, photo_of_last_message

TODAY = date(2026, 11, 24)  # the clock fixture: Tuesday 08:00 UTC, 09:00 in Berlin


async def make_user(harness: Harness, user_id: int = ANN) -> None:
    async with harness.services.db.transaction() as session:
        session.add(
            User(
                id=user_id,
                chat_id=user_id,
                first_name="Ann",
                time_zone="Europe/Berlin",
                reminder_time=time(7, 30),
            )
        )


async def pause_days(harness: Harness, first: date, days: int, user_id: int = ANN) -> None:
    async with harness.services.db.transaction() as session:
        session.add_all(
            PausedDay(user_id=user_id, stretch_day=first + timedelta(days=n)) for n in range(days)
        )


async def test_progress_shows_numbers_and_a_calendar_photo(harness: Harness) -> None:
    await make_user(harness)
    for back in (1, 2):  # Sunday and Monday fully done
        await log_sets(harness, TODAY - timedelta(days=back), 12)
    await log_sets(harness, TODAY - timedelta(days=5), 12)  # Thursday, before a missed Friday
    await log_sets(harness, TODAY, 7)

    await harness.send(ANN, "/progress")

    caption = harness.last(ANN).caption or ""
    assert "Streak: 2 days (best 2)" in caption
    assert "Today: 7/12 sets" in caption
    assert "This week: 1 day with the full target" in caption  # Monday; today is not yet met
    assert "Total: 43 sets" in caption
    picture = photo_of_last_message(harness)
    assert picture.width >= 800  # readable on a phone
    assert centre_colour(picture, LAST_WEEK, 0) == CALENDAR_COLORS.full  # Monday
    assert centre_colour(picture, LAST_WEEK, 1) == CALENDAR_COLORS.partial[1]  # today, 7 of 12
    assert centre_colour(picture, LAST_WEEK, 2) == CALENDAR_COLORS.future
    assert centre_colour(picture, LAST_WEEK - 1, 4) == CALENDAR_COLORS.empty  # the missed Friday


async def test_a_paused_week_keeps_the_streak(harness: Harness) -> None:
    await make_user(harness)
    await log_sets(harness, date(2026, 11, 15), 12)  # Sunday before the pause
    await log_sets(harness, date(2026, 11, 16), 12)  # Monday before the pause
    await pause_days(harness, date(2026, 11, 17), 7)  # Tue 17 … Mon 23
    await log_sets(harness, TODAY, 12)

    await harness.send(ANN, "/progress")

    assert "Streak: 3 days (best 3)" in (harness.last(ANN).caption or "")
    picture = photo_of_last_message(harness)
    for weekday in range(1, 7):  # Tue … Sun of last week
        assert centre_colour(picture, LAST_WEEK - 1, weekday) == CALENDAR_COLORS.paused
    assert centre_colour(picture, LAST_WEEK, 0) == CALENDAR_COLORS.paused


async def test_without_the_pause_the_same_gap_breaks_the_streak(harness: Harness) -> None:
    await make_user(harness)
    await log_sets(harness, date(2026, 11, 15), 12)
    await log_sets(harness, date(2026, 11, 16), 12)
    await log_sets(harness, TODAY, 12)

    await harness.send(ANN, "/progress")

    assert "Streak: 1 day (best 2)" in (harness.last(ANN).caption or "")


async def test_an_ongoing_pause_is_mentioned(harness: Harness) -> None:
    await make_user(harness)
    await pause_days(harness, TODAY, 3)
    await harness.send(ANN, "/progress")
    caption = harness.last(ANN).caption or ""
    assert "Paused until Thu 26 Nov" in caption
    assert "Streak: 0 days (best 0)" in caption


async def test_progress_before_start_asks_to_start(harness: Harness) -> None:
    await harness.send(ANN, "/progress")
    assert harness.last(ANN).text == ENGLISH.PROGRESS_NO_USER
