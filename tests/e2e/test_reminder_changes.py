"""Reminder plans changed by the user: while a reminder is in flight, and around a pause."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from coach.reminder_keyboards import describe_next
from coach.texts import ENGLISH
from handlers.reminders import run_tick, telegram_delivery
from storage.models import PausedDay, ReminderSent
from storage.reminders import Due
from tests.harness import Harness
from tests.helpers import REMINDER_ANN as ANN
from tests.helpers import WEDNESDAY_0730, reminders_received

# Europe/Berlin is UTC+1 in November.
THURSDAY_0700 = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)


async def _onboard(h: Harness) -> None:
    await h.send(ANN, "/start")
    await h.send(ANN, "Berlin")
    await h.send(ANN, "7:30")


async def test_a_new_time_chosen_while_the_reminder_is_sent_is_kept(harness: Harness) -> None:
    h = harness
    await _onboard(h)
    send = telegram_delivery(h.app)

    async def send_while_user_changes_time(due: Due) -> None:
        # The user answers /time while the tick is between its claim and its completion.
        await h.send(ANN, "/time")
        await h.send(ANN, "7:00")
        await send(due)

    h.clock.set(WEDNESDAY_0730)
    assert await run_tick(h.app, deliver=send_while_user_changes_time) == 1
    # The tick did not put back its own plan (Thursday 07:30) over the user's 07:00...
    assert (await h.stored_user(ANN)).next_reminder_at == THURSDAY_0700
    async with h.services.db.transaction() as session:
        days = (await session.execute(ReminderSent.__table__.select())).all()
    assert [row.stretch_day for row in days] == [date(2026, 11, 25)]
    # ...no second reminder on Wednesday, and Thursday's comes at the new time.
    h.clock.advance(timedelta(hours=2))
    await run_tick(h.app)
    assert reminders_received(h.fake, ANN) == 1
    h.clock.set(THURSDAY_0700)
    assert await run_tick(h.app) == 1
    assert reminders_received(h.fake, ANN) == 2


async def test_a_changed_time_during_a_pause_names_the_first_reminder_after_it(
    harness: Harness,
) -> None:
    h = harness
    await _onboard(h)
    # Paused Tuesday (today) to Thursday; the time is changed meanwhile.
    async with h.services.db.transaction() as session:
        for day in (24, 25, 26):
            session.add(PausedDay(user_id=ANN, stretch_day=date(2026, 11, day)))
    await h.send(ANN, "/time")
    await h.send(ANN, "8:00")
    friday_0800 = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)
    assert (await h.stored_user(ANN)).next_reminder_at == friday_0800
    expected = describe_next(friday_0800, h.clock.now(), "Europe/Berlin", ENGLISH, paused=False)
    assert expected in (h.last(ANN).text or "")

    # And the tick agrees: nothing during the pause, Friday's reminder on time.
    for day in range(3):
        h.clock.set(datetime(2026, 11, 24 + day, 7, 0, tzinfo=UTC))
        await run_tick(h.app)
    assert reminders_received(h.fake, ANN) == 0
    h.clock.set(friday_0800)
    assert await run_tick(h.app) == 1


async def test_the_tick_moves_the_next_reminder_past_a_pause_ahead(harness: Harness) -> None:
    h = harness
    await _onboard(h)
    # A pause for Thursday and Friday, written without a reschedule (an older row, or a
    # pause taken on another instance): after Wednesday's reminder the next is Saturday's.
    async with h.services.db.transaction() as session:
        for day in (26, 27):
            session.add(PausedDay(user_id=ANN, stretch_day=date(2026, 11, day)))
    h.clock.set(WEDNESDAY_0730)
    assert await run_tick(h.app) == 1
    assert (await h.stored_user(ANN)).next_reminder_at == WEDNESDAY_0730 + timedelta(days=3)
