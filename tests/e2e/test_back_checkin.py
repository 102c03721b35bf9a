"""The summary asks how the back feels (stored per stretch day, changeable, only on the live
summary) and celebrates a streak milestone once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from coach import callbacks
from coach.calendar_image import CALENDAR_COLORS, FEEL_COLORS, feel_box
from coach.session_flow import day_code
from coach.texts import ENGLISH
from storage.models import BackCheckIn, User
from tests.harness import Harness
from tests.helpers import ANN, LAST_WEEK, onboard, photo_of_last_message, seed_days

TODAY = date(2026, 11, 24)  # the clock fixture: Tuesday 09:00 in Berlin


async def _stored(h: Harness) -> dict[date, int]:
    async with h.services.db.transaction() as session:
        rows = await session.execute(
            select(BackCheckIn.stretch_day, BackCheckIn.score).where(BackCheckIn.user_id == ANN)
        )
        return {day: score for day, score in rows}


async def _to_summary(h: Harness) -> None:
    await h.send(ANN, "/stretch")
    await h.tap_button(ANN, h.last(ANN), ENGLISH.SESSION_BTN_LOG)
    await h.tap_button(ANN, h.last(ANN), ENGLISH.SESSION_BTN_SUMMARY)


async def test_the_summary_asks_how_the_back_feels_and_keeps_the_answer(
    harness: Harness,
) -> None:
    h = harness
    await onboard(h)
    await _to_summary(h)
    summary = h.last(ANN)
    assert ENGLISH.FEEL_QUESTION in (summary.caption or "")
    assert [label for label, _ in summary.buttons()[0]] == list(ENGLISH.FEEL_FACES)

    answer = await h.tap_button(ANN, summary, "🙂")
    assert answer["text"] == ENGLISH.FEEL_TOAST.format(face="🙂", score=8)
    assert await _stored(h) == {TODAY: 8}
    shown = h.last(ANN)
    assert ENGLISH.FEEL_NOTED.format(face="🙂", score=8) in (shown.caption or "")
    assert ("·🙂·", callbacks.BackFeel(day_code(TODAY), 8).encode()) in shown.buttons()[0]

    # Changed the same day: one answer per day, the latest.
    await h.tap_button(ANN, h.last(ANN), "😐")
    assert await _stored(h) == {TODAY: 5}

    # Once the session has moved on, the summary's faces are stale and change nothing.
    stale = h.last(ANN)
    await h.tap_button(ANN, stale, ENGLISH.SESSION_BTN_LOG)
    refused = await h.tap(ANN, stale.message_id, callbacks.BackFeel(day_code(TODAY), 0).encode())
    assert refused is not None and refused["text"] == ENGLISH.BUTTON_EXPIRED
    # A score no face offers is refused too, even on the live summary.
    await h.tap_button(ANN, h.last(ANN), ENGLISH.SESSION_BTN_SUMMARY)
    live = h.last(ANN)
    forged = await h.tap(ANN, live.message_id, callbacks.BackFeel(day_code(TODAY), 7).encode())
    assert forged is not None and forged["text"] == ENGLISH.BUTTON_EXPIRED
    assert await _stored(h) == {TODAY: 5}

    # Tomorrow asks again; yesterday's answer stays.
    h.clock.set(datetime(2026, 11, 25, 8, 0, tzinfo=UTC))
    await _to_summary(h)
    assert ENGLISH.FEEL_QUESTION in (h.last(ANN).caption or "")
    await h.tap_button(ANN, h.last(ANN), "😄")
    assert await _stored(h) == {TODAY: 5, TODAY + timedelta(days=1): 10}

    # /deleteme removes the answers with everything else.
    await h.send(ANN, "/deleteme")
    await h.tap_button(ANN, h.last(ANN), ENGLISH.DELETE_BUTTON_YES)
    assert await _stored(h) == {}


async def test_a_streak_milestone_is_celebrated_once(harness: Harness) -> None:
    h = harness
    await onboard(h)
    await seed_days(h, [TODAY - timedelta(days=n) for n in (2, 1)], 3)  # Sun, Mon done
    await seed_days(h, [TODAY], 3)  # and today: three days in a row
    await _to_summary(h)
    caption = h.last(ANN).caption or ""
    assert "3 days in a row!" in caption
    async with h.services.db.transaction() as session:
        user = await session.get(User, ANN)
        assert user is not None and user.milestone_seen == 3

    # Back to the log and to the summary again: no second celebration.
    await h.tap_button(ANN, h.last(ANN), ENGLISH.SESSION_BTN_LOG)
    await h.tap_button(ANN, h.last(ANN), ENGLISH.SESSION_BTN_SUMMARY)
    assert "days in a row" not in (h.last(ANN).caption or "")


async def test_progress_draws_the_weekly_back_feel(harness: Harness) -> None:
    h = harness
    await onboard(h)
    answers = {date(2026, 11, 17): 2, date(2026, 11, 19): 3, TODAY - timedelta(days=1): 8}
    answers[TODAY] = 10
    async with h.services.db.transaction() as session:
        for day, score in answers.items():
            session.add(BackCheckIn(user_id=ANN, stretch_day=day, score=score))
    await h.send(ANN, "/progress")
    picture = photo_of_last_message(h)

    def colour(week: int) -> tuple[int, ...]:
        left, top, _, bottom = feel_box(week)
        found = picture.getpixel((left + 6, (top + bottom) // 2))  # beside the number
        assert isinstance(found, tuple)
        return found

    bad, _, good = FEEL_COLORS
    assert colour(LAST_WEEK) == good  # this week: 8 and 10
    assert colour(LAST_WEEK - 1) == bad  # last week: 2 and 3
    assert colour(LAST_WEEK - 2) == CALENDAR_COLORS.background  # no answers that week


async def test_progress_without_answers_has_no_back_row(harness: Harness) -> None:
    h = harness
    await onboard(h)
    await h.send(ANN, "/progress")
    without = photo_of_last_message(h)
    async with h.services.db.transaction() as session:
        session.add(BackCheckIn(user_id=ANN, stretch_day=TODAY, score=5))
    await h.send(ANN, "/progress")
    with_row = photo_of_last_message(h)
    assert with_row.height > without.height
