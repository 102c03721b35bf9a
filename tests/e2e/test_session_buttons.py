"""Session buttons act once: ▶ Start never opens a second live session, a tap that leads to the
screen already shown sends no edit, and an error after a tap was answered still reaches the
user."""

from __future__ import annotations

import pytest

from coach.texts import ENGLISH
from handlers.reminders import run_tick
from playground.fake_telegram import Faults
from tests.harness import Harness, button_data
from tests.helpers import WEDNESDAY_0730, _onboard

ANN = 7301


def session_messages(h: Harness, user: int) -> list[int]:
    return [m.message_id for m in h.fake.bot_messages(user) if m.photo_file_id is not None]


def edit_calls(h: Harness) -> int:
    return sum(1 for method, _ in h.fake.calls if method.startswith("editMessage"))


@pytest.mark.parametrize("taps", [2, 50])
async def test_start_tapped_many_times_at_once_opens_one_session(
    harness: Harness, taps: int
) -> None:
    h = harness
    await _onboard(h, ANN)
    h.clock.set(WEDNESDAY_0730)
    assert await run_tick(h.app) == 1
    reminder = h.last(ANN)
    start = button_data(reminder, ENGLISH.REMINDER_START_BUTTON)
    answers = await h.tap_all(ANN, reminder.message_id, [start] * taps)
    assert len(session_messages(h, ANN)) == 1
    toasts = [a["text"] if a else "unanswered" for a in answers]
    assert toasts == [None] + [ENGLISH.SESSION_ALREADY_OPEN] * (taps - 1)
    # /stretch still brings the session down to the end of the chat, as a new message.
    await h.send(ANN, "/stretch")
    assert len(session_messages(h, ANN)) == 2


async def test_a_tap_to_the_screen_already_shown_sends_no_edit(harness: Harness) -> None:
    h = harness
    await h.send(ANN, "/stretch")
    intro = h.last(ANN)
    await h.tap_button(ANN, intro, ENGLISH.SESSION_BTN_START)
    step = h.last(ANN)
    back = button_data(step, ENGLISH.SESSION_BTN_BACK)
    before, edits = edit_calls(h), step.edits
    # Both taps carry "back to the intro"; the second finds the intro already shown.
    answers = await h.tap_all(ANN, step.message_id, [back, back])
    assert [a["text"] if a else "unanswered" for a in answers] == [None, None]
    assert edit_calls(h) == before + 1
    assert h.last(ANN).edits == edits + 1
    assert ENGLISH.SESSION_BTN_START in str(h.last(ANN).buttons())


async def test_an_error_after_the_answer_reaches_the_user(harness: Harness) -> None:
    h = harness
    await h.send(ANN, "/stretch")
    intro = h.last(ANN)
    # The tap is answered, then the edit fails for good.
    h.fake.faults = Faults(error_5xx_every=1, methods={"editMessageMedia", "editMessageCaption"})
    answer = await h.tap_button(ANN, intro, ENGLISH.SESSION_BTN_START)
    assert answer["text"] is None
    apology = h.last(ANN)
    assert apology.message_id != intro.message_id
    assert apology.text == ENGLISH.ERROR_GENERIC.replace("<b>", "").replace("</b>", "")


async def test_start_after_deleteme_re_creates_nobody(harness: Harness) -> None:
    h = harness
    await _onboard(h, ANN)
    h.clock.set(WEDNESDAY_0730)
    assert await run_tick(h.app) == 1
    reminder = h.last(ANN)
    await h.send(ANN, "/deleteme")
    await h.tap_button(ANN, h.last(ANN), ENGLISH.DELETE_BUTTON_YES)
    answer = await h.tap_button(ANN, reminder, ENGLISH.REMINDER_START_BUTTON)
    assert answer["text"] == ENGLISH.BUTTON_EXPIRED_NO_USER
    assert session_messages(h, ANN) == []
    assert await stored_rows(h, ANN) == 0


async def stored_rows(h: Harness, user_id: int) -> int:
    from sqlalchemy import func, select

    from storage.account import owner_column
    from storage.models import USER_TABLES

    total = 0
    async with h.services.db.transaction() as session:
        for model in USER_TABLES:
            query = select(func.count()).where(owner_column(model) == user_id)
            total += (await session.execute(query)).scalar_one()
    return total
