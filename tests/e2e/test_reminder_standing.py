"""What a reminder says, read for the whole batch at once: the streak however long, and
today's sets so far."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from coach.texts import ENGLISH
from handlers.reminders import run_tick
from storage import progress
from storage.models import PausedDay
from tests.harness import Harness
from tests.helpers import add_onboarded_users, log_sets

# Europe/Berlin, 07:30 local on Wednesday 25 November: the stretch day is that Wednesday.
WEDNESDAY_0730 = datetime(2026, 11, 25, 6, 30, tzinfo=UTC)
WEDNESDAY = date(2026, 11, 25)


async def log_days(h: Harness, user_id: int, days: list[date], sets: int = 12) -> None:
    """`sets` of the day's 12 on each day (12: the day's target is met)."""
    for day in days:
        await log_sets(h, day, sets, user_id)


def days_before(day: date, count: int) -> list[date]:
    return [day - timedelta(days=n) for n in range(1, count + 1)]


async def test_standings_read_as_far_back_as_each_run_goes(harness: Harness) -> None:
    db, h = harness.services.db, harness
    long_run, short_run, broken, paused_run, nothing = 8101, 8102, 8103, 8104, 8105
    await add_onboarded_users(
        db, h.fake, [long_run, short_run, broken, paused_run, nothing], h.clock.now()
    )
    await log_days(h, long_run, days_before(WEDNESDAY, 100))  # past every short window
    await log_days(h, short_run, days_before(WEDNESDAY, 3))
    await log_days(h, broken, [WEDNESDAY - timedelta(days=1), WEDNESDAY - timedelta(days=3)])
    # 70 met days with two paused days inside: the pause neither counts nor breaks the run.
    met = [d for d in days_before(WEDNESDAY, 72) if d not in {date(2026, 11, 1), date(2026, 10, 1)}]
    await log_days(h, paused_run, met)
    async with db.transaction() as session:
        for day in (date(2026, 11, 1), date(2026, 10, 1)):
            session.add(PausedDay(user_id=paused_run, stretch_day=day))
    await log_days(h, short_run, [WEDNESDAY], sets=4)  # 4 of 12 today

    users = [long_run, short_run, broken, paused_run, nothing]
    async with db.transaction() as session:
        found = await progress.standings(session, dict.fromkeys(users, WEDNESDAY))
        # The same numbers as the one-user query over the whole history.
        for user in users:
            assert (
                found[user].streak == (await progress.user_streak(session, user, WEDNESDAY)).current
            )
    assert {u: found[u].streak for u in users} == {
        long_run: 100,
        short_run: 3,
        broken: 1,
        paused_run: 70,
        nothing: 0,
    }
    today = found[short_run].today
    assert today is not None and (today.done, today.target) == (4, 12)
    assert found[long_run].today is None


async def test_standings_of_users_on_different_days_in_one_read(harness: Harness) -> None:
    """A batch spans stretch days across time zones: each user is judged on their own."""
    db, h = harness.services.db, harness
    yesterday_user, today_user, tomorrow_user = 8111, 8112, 8113
    tuesday, thursday = WEDNESDAY - timedelta(days=1), WEDNESDAY + timedelta(days=1)
    await add_onboarded_users(
        db, h.fake, [yesterday_user, today_user, tomorrow_user], h.clock.now()
    )
    # The same history for all three: met on the 20 days up to Tuesday, 4 sets on Wednesday.
    for user in (yesterday_user, today_user, tomorrow_user):
        await log_days(h, user, [tuesday, *days_before(tuesday, 19)])
        await log_days(h, user, [WEDNESDAY], sets=4)
    days = {yesterday_user: tuesday, today_user: WEDNESDAY, tomorrow_user: thursday}
    async with db.transaction() as session:
        found = await progress.standings(session, days)
        for user, day in days.items():  # each as if read alone, on their own day
            alone = (await progress.standings(session, {user: day}))[user]
            assert found[user] == alone
    # Tuesday is "today" and met: 20 days. On Wednesday 4 sets so far, the run holds at 20.
    # On Thursday nothing yet, and Wednesday was missed: no current run.
    assert {u: found[u].streak for u in days} == {
        yesterday_user: 20,
        today_user: 20,
        tomorrow_user: 0,
    }
    assert found[yesterday_user].met
    wednesday = found[today_user].today
    assert wednesday is not None and (wednesday.done, wednesday.target) == (4, 12)
    assert found[tomorrow_user].today is None  # Wednesday's sets are not Thursday's


async def test_the_reminder_says_the_streak_and_todays_sets(harness: Harness) -> None:
    db, h = harness.services.db, harness
    with_sets, without = 8201, 8202
    await add_onboarded_users(
        db, h.fake, [with_sets, without], WEDNESDAY_0730 - timedelta(hours=12)
    )
    await log_days(h, with_sets, days_before(WEDNESDAY, 70))
    await log_days(h, with_sets, [WEDNESDAY], sets=8)  # 8 of 12 so far today
    h.clock.set(WEDNESDAY_0730)
    assert await run_tick(h.app) == 2
    text = h.last(with_sets).text or ""
    assert "Your streak: 70 days" in text
    assert "Today so far: 8/12 done — 4 sets left." in text
    other = h.last(without).text or ""
    assert ENGLISH.REMINDER_NO_STREAK in other
    assert "Today so far" not in other


async def test_the_reminder_says_one_set_left_and_turns_into_a_tick_once_done(
    harness: Harness,
) -> None:
    db, h = harness.services.db, harness
    ann = 8301
    await add_onboarded_users(db, h.fake, [ann], WEDNESDAY_0730 - timedelta(hours=12))
    await log_days(h, ann, [WEDNESDAY], sets=11)  # all but the last right-side set
    h.clock.set(WEDNESDAY_0730)
    assert await run_tick(h.app) == 1
    reminder = h.last(ann)
    assert "Today so far: 11/12 done — one set left." in (reminder.text or "")

    await h.tap_button(ann, reminder, ENGLISH.REMINDER_START_BUTTON)
    await h.tap_button(ann, h.last(ann), ENGLISH.SESSION_BTN_LOG)
    await h.tap_button(ann, h.last(ann), f"{ENGLISH.SESSION_MARK_OPEN} Right 3")
    done = next(m for m in h.fake.bot_messages(ann) if m.message_id == reminder.message_id)
    assert done.text == ENGLISH.REMINDER_DONE.format(target=12)
    assert done.buttons() == []
