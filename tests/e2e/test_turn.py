"""The turn (handlers.turn): every update gets its user's row, language and texts before any
handler runs, whatever group the handler is in; jobs speak their user's language the same way;
a stale tap, and a text that answers nothing, are answered without the writer lock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from telegram import Update
from telegram.ext import MessageHandler, filters

from coach.texts import ENGLISH, texts_for
from handlers.context import LimberContext
from handlers.reminders import run_tick
from storage.models import User
from tests.harness import Harness, button_data
from tests.helpers import make_user

IVAN, OLGA = 9_301, 9_302
RUSSIAN = texts_for("ru")


async def test_a_handler_added_in_a_late_group_speaks_the_users_language(harness: Harness) -> None:
    """Nothing to register but the handler itself: the turn is on the context already."""
    heard: list[str] = []

    async def late(update: Update, context: LimberContext) -> None:
        heard.append(context.turn.language)
        if update.effective_message is not None:
            await update.effective_message.reply_text(context.turn.texts.UNKNOWN_COMMAND)

    harness.app.add_handler(MessageHandler(filters.Regex("^ping$"), late), group=7)
    await make_user(harness, IVAN)  # onboarded: "ping" answers no question
    await harness.send(IVAN, "ping", language_code="ru")
    assert heard == ["ru"]
    assert harness.last(IVAN).text == RUSSIAN.UNKNOWN_COMMAND
    # The same for a user whose choice differs from their Telegram app's language.
    async with harness.services.db.transaction() as session:
        await session.execute(update(User).where(User.id == IVAN).values(language="de"))
    await harness.send(IVAN, "ping", language_code="ru")
    assert heard == ["ru", "de"]
    assert harness.last(IVAN).text == texts_for("de").UNKNOWN_COMMAND


async def test_a_russian_user_is_answered_in_russian_by_handlers_and_jobs(
    harness: Harness,
) -> None:
    h = harness
    # A text answer (onboarding), then a tap and its toast.
    await h.send(IVAN, "/start", language_code="ru")
    await h.send(IVAN, "Berlin", language_code="ru")
    await h.send(IVAN, "7:30", language_code="ru")
    assert (h.last(IVAN).text or "").startswith(RUSSIAN.ONBOARDING_DONE.split("<b>")[0])
    await h.send(IVAN, "/stretch", language_code="ru")
    await h.tap_button(IVAN, h.last(IVAN), RUSSIAN.SESSION_BTN_LOG)
    answer = await h.tap_button(IVAN, h.last(IVAN), "1")
    assert answer["text"] == RUSSIAN.SESSION_SET_LOGGED.format(number=1)

    # The hold timer's end, shown by a job.
    await h.tap_button(IVAN, h.last(IVAN), RUSSIAN.SESSION_BTN_GUIDED)
    await h.tap_button(IVAN, h.last(IVAN), RUSSIAN.SESSION_BTN_START)
    while RUSSIAN.SESSION_HOLD_WHERE not in (h.last(IVAN).caption or ""):
        await h.tap_button(IVAN, h.last(IVAN), RUSSIAN.SESSION_BTN_NEXT)
    await h.tap_button(IVAN, h.last(IVAN), RUSSIAN.SESSION_BTN_TIMER.format(seconds=30))
    assert h.app.job_queue is not None
    for _ in range(3):  # 30 s in steps of 10: the job, run by the test
        (job,) = [j for j in h.app.job_queue.jobs() if j.name == f"hold-timer:{IVAN}"]
        await job.run(h.app)
    assert RUSSIAN.SESSION_TIMER_DONE.format(number=2) in (h.last(IVAN).caption or "")

    # The reminder and, on the week's first reminder day (a Monday), the recap: the tick's.
    monday_0730 = datetime(2026, 11, 30, 6, 30, tzinfo=UTC)  # 07:30 in Berlin
    async with h.services.db.transaction() as session:
        await session.execute(
            update(User).where(User.id == IVAN).values(next_reminder_at=monday_0730)
        )
    h.clock.set(monday_0730 + timedelta(seconds=5))
    await run_tick(h.app)
    recap, reminder = h.fake.bot_messages(IVAN)[-2:]
    assert (recap.text or "").startswith(RUSSIAN.RECAP_TITLE.replace("<b>", "").split("</b>")[0])
    assert (reminder.text or "").startswith(RUSSIAN.REMINDER)
    assert RUSSIAN.REMINDER_START_BUTTON in str(reminder.buttons())


async def test_a_stale_tap_and_an_idle_text_wait_for_no_writer(harness: Harness) -> None:
    """Another user's write transaction is open (on SQLite: the one writer's lock) while a
    stale tap and a text that answers no question arrive: both are answered before it ends,
    ordered by what the fake sees, not by a clock."""
    h = harness
    await h.set_up(IVAN)
    await make_user(h, OLGA)
    await h.send(IVAN, "/stretch")
    older = h.last(IVAN)
    await h.send(IVAN, "/stretch")  # re-sent: the first copy's buttons are stale now
    start = button_data(older, ENGLISH.SESSION_BTN_START)
    async with h.services.db.transaction() as session:
        await session.execute(update(User).where(User.id == OLGA).values(first_name="Olga"))
        query = h.fake.tap(IVAN, older.message_id, start)
        text = h.fake.send_text(IVAN, "hello?")
        await h.fake.wait_for(lambda: h.fake.callback_answer(query) is not None, timeout=30)
        await h.fake.wait_for(
            lambda: (h.last(IVAN).text or "") == ENGLISH.UNKNOWN_TEXT.replace("<b>", ""),
            timeout=30,
        )
        answered_inside = h.fake.callback_answer(query)
    assert answered_inside is not None and answered_inside["text"] == ENGLISH.BUTTON_EXPIRED
    assert text["text"] == "hello?"
