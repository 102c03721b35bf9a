"""Streaks as the session shows them: across days, the 03:00 rollover, an undo, a paused day."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select, update

from coach.routine import SIDES, load_routine
from coach.texts import ENGLISH
from storage import progress
from storage.models import LoggedSet, PausedDay, User
from tests.harness import Harness

USER = 7373
BERLIN = "Europe/Berlin"  # UTC+1 in November


async def _set_zone(harness: Harness, zone: str) -> None:
    async with harness.services.db.transaction() as session:
        user = await session.get(User, USER)
        assert user is not None
        user.time_zone = zone


async def _log_everything(harness: Harness) -> str:
    """Open /stretch, log every set in the Log sets grid, and return the summary's caption."""
    await harness.send(USER, "/stretch")
    await harness.tap_button(USER, harness.last(USER), ENGLISH.SESSION_BTN_LOG)
    open_mark = ENGLISH.SESSION_MARK_OPEN
    while any(t.startswith(open_mark) for row in harness.last(USER).buttons() for t, _ in row):
        await harness.tap_button(USER, harness.last(USER), ENGLISH.SESSION_MARK_OPEN)
    await harness.tap_button(USER, harness.last(USER), ENGLISH.SESSION_BTN_SUMMARY)
    return harness.last(USER).caption or ""


async def _streak(harness: Harness, today: date) -> tuple[int, int]:
    async with harness.services.db.transaction() as session:
        user = await session.get(User, USER)
        assert user is not None
        streak = await progress.user_streak(session, user.id, today)
    return streak.current, streak.best


async def test_streak_grows_across_days_and_an_undo_takes_it_back(harness: Harness) -> None:
    await harness.send(USER, "/start")
    await _set_zone(harness, BERLIN)
    harness.clock.set(datetime(2026, 11, 24, 18, 0, tzinfo=UTC))  # Tue 19:00 Berlin
    assert "Streak: 1 day (best 1)" in await _log_everything(harness)

    harness.clock.set(datetime(2026, 11, 25, 18, 0, tzinfo=UTC))  # Wed 19:00 Berlin
    await harness.send(USER, "/stretch")
    fresh = harness.last(USER).caption or ""
    assert "Today: 0/12 sets" in fresh  # a new stretch day starts fresh
    assert "Streak: 1 day (best 1)" in fresh  # yesterday's streak still stands today
    assert "Streak: 2 days (best 2)" in await _log_everything(harness)

    # Undo one set of today: the target is no longer met, so today stops counting.
    await harness.tap_button(USER, harness.last(USER), ENGLISH.SESSION_BTN_LOG)
    answer = await harness.tap_button(USER, harness.last(USER), "✅ Right 3")
    assert answer["text"] == ENGLISH.SESSION_SET_UNDONE.format(number=3)
    caption = harness.last(USER).caption or ""
    assert "Today: 11/12 sets" in caption
    assert "Streak: 1 day (best 1)" in caption
    assert await _streak(harness, date(2026, 11, 25)) == (1, 1)


async def test_half_past_midnight_counts_for_the_evening_before(harness: Harness) -> None:
    await harness.send(USER, "/start")
    await _set_zone(harness, BERLIN)
    # Wed 00:30 in Berlin is still Tuesday's stretch day (rollover at 03:00 local).
    harness.clock.set(datetime(2026, 11, 24, 23, 30, tzinfo=UTC))
    await _log_everything(harness)
    async with harness.services.db.transaction() as session:
        user = await session.get(User, USER)
        assert user is not None
        days = await progress.user_days(session, user.id)
    parts = [(s.key, side) for s in load_routine().stretches for side in SIDES]
    assert dict(days[date(2026, 11, 24)].counts) == dict.fromkeys(parts, 3)
    assert date(2026, 11, 25) not in days
    # At 03:00 Berlin the new day begins: the Tuesday session's buttons are stale.
    old = harness.last(USER)
    harness.clock.set(datetime(2026, 11, 25, 2, 0, tzinfo=UTC))
    answer = await harness.tap_button(USER, old, ENGLISH.SESSION_BTN_LOG)
    assert answer["text"] == ENGLISH.BUTTON_EXPIRED


async def test_a_paused_day_is_skipped_not_broken(harness: Harness) -> None:
    await harness.send(USER, "/start")
    harness.clock.set(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    await _log_everything(harness)
    async with harness.services.db.transaction() as session:
        session.add(PausedDay(user_id=USER, stretch_day=date(2026, 11, 25)))
    harness.clock.set(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))
    assert "Streak: 2 days (best 2)" in await _log_everything(harness)

    # Without the pause, the missed day breaks the run.
    async with harness.services.db.transaction() as session:
        paused = await session.scalar(select(PausedDay).where(PausedDay.user_id == USER))
        await session.delete(paused)
    assert await _streak(harness, date(2026, 11, 26)) == (1, 1)


async def test_progress_queries_count_only_sets_within_the_target(harness: Harness) -> None:
    await harness.send(USER, "/start")
    await _log_everything(harness)
    async with harness.services.db.transaction() as session:
        user = await session.get(User, USER)
        assert user is not None
        today = date(2026, 11, 24)
        assert await progress.today_target_met(session, user.id, today)
        assert (await progress.user_days(session, user.id))[today].done == 12
        user.sets_per_side = 4  # a bigger setting once today has sets: today keeps its 3
        assert await progress.today_target_met(session, user.id, today)
        assert (await progress.user_days(session, user.id))[today].done == 12
        # A day logged under 2 per side counts at most 2 a side, though 3 are stored.
        await session.execute(update(LoggedSet).values(sets_target=2))
        assert (await progress.user_days(session, user.id))[today].done == 8
        assert await progress.paused_days(session, USER, today) == set()
