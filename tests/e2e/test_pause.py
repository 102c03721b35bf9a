"""One pause, end to end: /pause asks for how long, /resume ends any pause, a finished day
stays finished whatever is paused or changed afterwards, and old data keeps its meaning."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import text

from coach.calendar_image import CALENDAR_COLORS
from coach.texts import ENGLISH
from handlers.reminders import run_tick
from storage.db import Database
from storage.migrate import downgrade, upgrade
from storage.models import User
from tests.harness import Harness
from tests.helpers import (
    ANN,
    LAST_WEEK,
    centre_colour,
    choose_sets_per_side,
    log_in_session,
    onboard,
    paused_rows,
    photo_of_last_message,
    seed_days,
)

TODAY = date(2026, 11, 24)  # the clock fixture: Tuesday 09:00 in Berlin


async def _progress(h: Harness) -> str:
    await h.send(ANN, "/progress")
    return h.last(ANN).caption or ""


async def test_pausing_a_finished_day_keeps_it_and_starts_tomorrow(harness: Harness) -> None:
    h = harness
    await onboard(h)
    await seed_days(h, [TODAY], 3)
    assert "Streak: 1 day (best 1)" in await _progress(h)

    await h.send(ANN, "/settings")
    answer = await h.tap_button(ANN, h.last(ANN), "⏸ 1d")
    assert answer["text"] == ENGLISH.SETTINGS_PAUSED_FROM_TOMORROW_TOAST.format(
        span="from tomorrow until Wed 25 Nov"
    )
    assert await paused_rows(h, ANN) == [TODAY + timedelta(days=1)]
    caption = await _progress(h)
    assert "Streak: 1 day (best 1)" in caption
    assert "Paused from tomorrow until Wed 25 Nov" in caption
    picture = photo_of_last_message(h)
    assert centre_colour(picture, LAST_WEEK, 1) == CALENDAR_COLORS.full  # today, not paused

    # Resuming a pause that has not begun cancels it, and says so.
    await h.send(ANN, "/resume")
    assert (h.last(ANN).text or "").startswith("▶ Your pause from tomorrow is cancelled")
    assert await paused_rows(h, ANN) == []
    await h.send(ANN, "/settings")
    await h.tap_button(ANN, h.last(ANN), "⏸ 1d")

    # Wednesday is paused and skipped; Thursday's finished day continues the run.
    h.clock.set(datetime(2026, 11, 26, 8, 0, tzinfo=UTC))
    await log_in_session(h, 3)
    assert "Streak: 2 days (best 2)" in await _progress(h)


async def test_more_sets_per_side_after_finishing_applies_tomorrow(harness: Harness) -> None:
    h = harness
    await onboard(h)
    await log_in_session(h, 3)
    toast = await choose_sets_per_side(h, 5)
    assert toast == ENGLISH.SETTINGS_SETS_FROM_TOMORROW_TOAST.format(n=5, today=3)
    caption = await _progress(h)
    assert "Today: 12/12 sets" in caption
    assert "Streak: 1 day (best 1)" in caption
    await h.send(ANN, "/stretch")  # today's session still offers 3 sets a side
    assert "Right 4" not in " ".join(t for row in h.last(ANN).buttons() for t, _ in row)


async def test_pause_asks_how_long_and_resume_ends_it(harness: Harness) -> None:
    h = harness
    await onboard(h)
    await h.send(ANN, "/pause")
    question = h.last(ANN)
    labels = [t for row in question.buttons() for t, _ in row]
    assert labels == ["1 day", "3 days", "7 days", "14 days", ENGLISH.PAUSE_BUTTON_OPEN]
    await h.tap_button(ANN, question, "3 days")
    assert h.last(ANN).text == ENGLISH.PAUSED.format(span="until Thu 26 Nov")
    assert await paused_rows(h, ANN) == [TODAY + timedelta(days=n) for n in range(3)]
    user = await h.stored_user(ANN)
    # The first reminder after the pause: Friday 07:30 in Berlin.
    assert user.next_reminder_at == datetime(2026, 11, 27, 6, 30, tzinfo=UTC)

    await h.send(ANN, "/settings")
    assert "Paused until Thu 26 Nov" in (h.last(ANN).text or "")
    await h.send(ANN, "/resume")
    assert (h.last(ANN).text or "").startswith("▶ Welcome back")
    assert "Tomorrow at 07:30 (Europe/Berlin)" in (h.last(ANN).text or "")
    assert await paused_rows(h, ANN) == []
    # The old question acts no more: a tap on it pauses nothing.
    answer = await h.tap_button(ANN, question, "7 days")
    assert answer["text"] == ENGLISH.PAUSE_EXPIRED
    assert await paused_rows(h, ANN) == []
    await h.send(ANN, "/resume")
    assert (h.last(ANN).text or "").startswith("▶ You're not paused")
    # A /pause question left open acts no more once the menu paused or resumed.
    await h.send(ANN, "/pause")
    question = h.last(ANN)
    await h.send(ANN, "/settings")
    await h.tap_button(ANN, h.last(ANN), "⏸ 3d")
    await h.tap_button(ANN, h.last(ANN), ENGLISH.SETTINGS_BUTTON_RESUME)
    answer = await h.tap_button(ANN, question, "14 days")
    assert answer["text"] == ENGLISH.PAUSE_EXPIRED
    assert await paused_rows(h, ANN) == []


async def test_a_pause_until_resumed_protects_the_days_it_covered(harness: Harness) -> None:
    h = harness
    await onboard(h)
    await seed_days(h, [TODAY], 3)  # Tuesday: met
    h.clock.set(datetime(2026, 11, 25, 8, 0, tzinfo=UTC))  # Wednesday, nothing logged
    await h.send(ANN, "/pause")
    await h.tap_button(ANN, h.last(ANN), ENGLISH.PAUSE_BUTTON_OPEN)
    assert h.last(ANN).text == ENGLISH.PAUSED_OPEN
    assert (await h.stored_user(ANN)).next_reminder_at is None
    h.clock.set(datetime(2026, 11, 28, 8, 0, tzinfo=UTC))  # Saturday: no reminder came
    await run_tick(h.app)
    assert not any((m.text or "").startswith(ENGLISH.REMINDER) for m in h.fake.bot_messages(ANN))
    await h.send(ANN, "/resume")
    # Wednesday to Friday stay paused; Saturday is open again.
    assert await paused_rows(h, ANN) == [date(2026, 11, 25), date(2026, 11, 26), date(2026, 11, 27)]
    await log_in_session(h, 3)
    assert "Streak: 2 days (best 2)" in await _progress(h)


async def test_reminders_turned_off_before_become_a_pause(database_url: str) -> None:
    await downgrade(database_url, "0004")
    db = Database(database_url)
    try:
        async with db.transaction() as session:
            for uid, enabled in ((1, "false"), (2, "true")):
                await session.execute(
                    text(
                        "INSERT INTO users (id, chat_id, first_name, weekdays, reminders_enabled,"
                        " snoozed, blocked, sets_per_side, hold_seconds, created_at, updated_at)"
                        f" VALUES ({uid}, {uid}, 'Ann', 127, {enabled}, false, false, 3, 30,"
                        " :now, :now)"
                    ),
                    {"now": datetime(2026, 11, 1, tzinfo=UTC)},
                )
        await upgrade(database_url)
        async with db.transaction() as session:
            off, on = await session.get(User, 1), await session.get(User, 2)
            assert off is not None and on is not None
            assert off.paused_since is not None and on.paused_since is None
        await downgrade(database_url, "0004")  # and back: reminders off again, and on
        async with db.transaction() as session:
            found = await session.execute(text("SELECT id, reminders_enabled FROM users"))
            assert {row[0]: bool(row[1]) for row in found} == {1: False, 2: True}
    finally:
        await db.dispose()
