"""Everything Limber says is true: the weekly recap, /progress and the reminder agree on the
streak at the same moment; the recap points to a reminder only when one follows; the next
reminder named is one that will be sent; /timezone asks its own question."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import update

from coach.texts import ENGLISH
from handlers.reminders import run_tick
from storage.models import User
from tests.harness import Harness
from tests.helpers import ANN, add_onboarded_users, seed_days

BOB = ANN + 1
MONDAY = date(2026, 11, 30)
MONDAY_0730 = datetime(2026, 11, 30, 6, 30, tzinfo=UTC)  # 07:30 in Berlin


def _number(pattern: str, text: str) -> int:
    found = re.search(pattern, text)
    assert found is not None, (pattern, text)
    return int(found.group(1))


async def _progress_streak(h: Harness, uid: int) -> tuple[int, int]:
    await h.send(uid, "/progress")
    caption = h.last(uid).caption or ""
    return _number(r"Streak: (\d+)", caption), _number(r"best (\d+)", caption)


async def test_recap_progress_and_reminder_agree_on_a_monday(harness: Harness) -> None:
    h = harness
    h.clock.set(MONDAY_0730 - timedelta(hours=2))
    await add_onboarded_users(h.services.db, h.fake, [ANN, BOB], h.clock.now())
    async with h.services.db.transaction() as session:
        await session.execute(
            update(User).where(User.id.in_([ANN, BOB])).values(next_reminder_at=MONDAY_0730)
        )
    # Last week: Ann met Thu–Sun and has met Monday already, early; Bob met Fri–Sun only.
    await seed_days(h, [date(2026, 11, d) for d in (26, 27, 28, 29)] + [MONDAY], 3)
    await seed_days(h, [date(2026, 11, d) for d in (27, 28, 29)], 3, user_id=BOB)

    h.clock.set(MONDAY_0730 + timedelta(seconds=5))
    await run_tick(h.app)
    ann_messages = h.fake.bot_messages(ANN)
    assert len(ann_messages) == 1  # the recap, and no reminder: Monday is met
    recap = ann_messages[0].text or ""
    assert recap.startswith("📬")
    assert "4 days of 7" in recap
    assert ENGLISH.RECAP_CLOSING_DONE in recap and "below" not in recap
    streak, best = _number(r"Streak: (\d+)", recap), _number(r"best (\d+)", recap)
    assert (streak, best) == (5, 5)  # Thu–Mon, today included
    assert await _progress_streak(h, ANN) == (streak, best)

    bob_recap, bob_reminder = h.fake.bot_messages(BOB)
    assert ENGLISH.RECAP_CLOSING in (bob_recap.text or "")
    recap_streak = _number(r"Streak: (\d+)", bob_recap.text or "")
    reminder_streak = _number(r"streak: (\d+)", bob_reminder.text or "")
    assert recap_streak == reminder_streak == 3
    assert (await _progress_streak(h, BOB))[0] == 3


async def test_the_next_reminder_named_is_one_that_will_come(harness: Harness) -> None:
    h = harness
    await h.set_up(ANN, weekdays=0b1111111)
    h.clock.set(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))  # Tuesday 10:00 in Berlin
    await h.send(ANN, "/time 22:00")
    assert "today at 22:00" in (h.last(ANN).text or "")
    await seed_days(h, [date(2026, 11, 24)], 3)  # today's sets, done before the reminder
    await h.send(ANN, "/time 22:00")
    assert "tomorrow at 22:00" in (h.last(ANN).text or "")
    await h.send(ANN, "/settings")
    assert "Next reminder: tomorrow at 22:00" in (h.last(ANN).text or "")
    # And no reminder comes today: the tick at 22:00 has nothing to send.
    h.clock.set(datetime(2026, 11, 24, 21, 0, 5, tzinfo=UTC))
    before = len(h.fake.bot_messages(ANN))
    await run_tick(h.app)
    assert len(h.fake.bot_messages(ANN)) == before


async def test_a_set_that_meets_the_day_moves_the_next_reminder_to_tomorrow(
    harness: Harness,
) -> None:
    h = harness
    await h.set_up(ANN)
    h.clock.set(datetime(2026, 11, 24, 5, 0, tzinfo=UTC))  # 06:00 in Berlin, before 07:30
    await h.send(ANN, "/time 07:30")
    assert "today at 07:30" in (h.last(ANN).text or "")
    await h.send(ANN, "/stretch")
    await h.tap_button(ANN, h.last(ANN), ENGLISH.SESSION_BTN_LOG)
    while True:
        grid = h.last(ANN)
        open_sets = [t for row in grid.buttons() for t, _ in row if t.startswith("🔲")]
        if not open_sets:
            break
        await h.tap_button(ANN, grid, open_sets[0])
    stored = await h.stored_user(ANN)
    assert stored.next_reminder_at == datetime(2026, 11, 25, 6, 30, tzinfo=UTC)
    # Undo one: the day is open again, and today's reminder is back.
    await h.tap_button(ANN, h.last(ANN), "✅")
    stored = await h.stored_user(ANN)
    assert stored.next_reminder_at == datetime(2026, 11, 24, 6, 30, tzinfo=UTC)


async def test_timezone_outside_onboarding_asks_its_own_question(harness: Harness) -> None:
    h = harness
    await h.set_up(ANN)
    await h.send(ANN, "/timezone")
    text = h.last(ANN).text or ""
    assert text.startswith("🌍 Which time zone are you in?")
    assert "First" not in text
