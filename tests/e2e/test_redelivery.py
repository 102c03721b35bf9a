"""A crash loses no tap and strands no one: a session message whose edit was lost (its move
stored, the edit never made, as when an instance dies in between) heals on the next tap, and
an update delivered twice changes nothing twice (a tap's handling is idempotent; a webhook
update handled once is acknowledged, not handled, the second time)."""

from __future__ import annotations

import json

from sqlalchemy import func, select
from telegram import Update

from coach.clock import ManualClock
from coach.texts import ENGLISH
from handlers.context import services_of
from playground.fake_state import ChatState
from playground.fake_telegram import ChatMessage
from playground.fake_types import Faults, chat_json
from storage.models import HandledUpdate, LoggedSet
from tests.e2e.test_webhook_server import webhook_bot
from tests.harness import Harness, button_data
from tests.helpers import ANN

EDITS = {"editMessageMedia", "editMessageCaption"}


def _lose_the_next_edit(h: Harness) -> None:
    """The next edit of the session never lands (Telegram answers 502, as for a request the
    instance could not finish); the store has the move already."""
    h.fake.faults = Faults(error_5xx_every=1, methods=EDITS, chats={ANN})


def _message(h: Harness, message_id: int) -> ChatMessage:
    """The message as the user sees it now (an apology may have come after it)."""
    return next(m for m in h.fake.bot_messages(ANN) if m.message_id == message_id)


async def _sets(h: Harness) -> int:
    async with h.services.db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(LoggedSet)) or 0)


async def test_a_lost_move_heals_on_the_next_tap(harness: Harness) -> None:
    h = harness
    await h.set_up(ANN)
    await h.send(ANN, "/stretch")
    session = h.last(ANN)
    start = button_data(session, ENGLISH.SESSION_BTN_START)
    _lose_the_next_edit(h)
    await h.tap(ANN, session.message_id, start)
    h.fake.faults = Faults()
    stuck = _message(h, session.message_id)
    assert ENGLISH.SESSION_BTN_START in str(stuck.buttons())  # still the intro
    edits = stuck.edits

    # The user taps Start again on the message as it still shows: it comes up to date.
    answer = await h.tap(ANN, session.message_id, start)
    assert answer is not None and answer["text"] is None
    healed = _message(h, session.message_id)
    assert healed.edits == edits + 1
    first_step = "step 1 of"
    assert first_step in (healed.caption or "")
    assert ENGLISH.SESSION_BTN_NEXT in str(healed.buttons())
    # And a tap on a message already up to date edits nothing.
    await h.tap(ANN, session.message_id, start)
    again = _message(h, session.message_id)
    assert again.edits == healed.edits


async def test_a_lost_set_edit_heals_and_the_set_counts_once(harness: Harness) -> None:
    h = harness
    await h.set_up(ANN)
    await h.send(ANN, "/stretch")
    await h.tap_button(ANN, h.last(ANN), ENGLISH.SESSION_BTN_START)
    while "· hold" not in (h.last(ANN).caption or ""):
        await h.tap_button(ANN, h.last(ANN), ENGLISH.SESSION_BTN_NEXT)
    hold = h.last(ANN)
    set_one = button_data(hold, ENGLISH.SESSION_BTN_SET_DONE.format(number=1))
    _lose_the_next_edit(h)
    first = await h.tap(ANN, hold.message_id, set_one)
    h.fake.faults = Faults()
    assert first is not None and first["text"] == ENGLISH.SESSION_SET_LOGGED.format(number=1)
    stuck = _message(h, hold.message_id)
    assert ENGLISH.SESSION_BTN_SET_DONE.format(number=1) in str(stuck.buttons())

    again = await h.tap(ANN, hold.message_id, set_one)
    assert again is not None and again["text"] == ENGLISH.SESSION_SET_ALREADY.format(number=1)
    shown = _message(h, hold.message_id)
    assert ENGLISH.SESSION_BTN_SET_DONE.format(number=2) in str(shown.buttons())
    assert ENGLISH.TRACKER_DONE + ENGLISH.TRACKER_OPEN * 2 in (shown.caption or "")
    assert await _sets(h) == 1


async def test_a_tap_handled_twice_changes_nothing_twice(harness: Harness) -> None:
    """The same tap, handled again (as when its delivery is repeated): nothing new is
    stored, the message is not edited again, and no apology follows the answer Telegram no
    longer takes."""
    h = harness
    await h.set_up(ANN)
    await h.send(ANN, "/stretch")
    await h.tap_button(ANN, h.last(ANN), ENGLISH.SESSION_BTN_LOG)
    grid = h.last(ANN)
    query = h.fake.tap(ANN, grid.message_id, button_data(grid, "1"))
    await h.fake.wait_for(lambda: h.fake.callback_answer(query) is not None)
    tapped = await h.handled_tap(query)
    edits, messages = h.last(ANN).edits, len(h.fake.bot_messages(ANN))
    assert await _sets(h) == 1

    await h.app.process_update(Update.de_json(tapped.to_dict(), h.app.bot))
    assert await _sets(h) == 1
    assert h.last(ANN).edits == edits
    assert len(h.fake.bot_messages(ANN)) == messages  # no apology


async def test_a_webhook_update_delivered_twice_is_handled_once(
    database_url: str, clock: ManualClock
) -> None:
    async with webhook_bot(database_url, clock) as bot:
        update = {
            "update_id": 77_001,
            "message": {
                "message_id": 1,
                "date": 1_796_000_000,
                "chat": {"id": ANN, "type": "private", "first_name": "Ann"},
                "from": {"id": ANN, "is_bot": False, "first_name": "Ann"},
                "text": "/help",
                "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
            },
        }
        bot.fake.chats.setdefault(ANN, ChatState(chat_json(ANN, "private", "Ann")))
        first = await bot.post(json.dumps(update).encode())
        # Answered once handled: the reply is there by the time the request returns.
        assert first.status_code == 200
        assert [ENGLISH.HELP_CREDIT in (m.text or "") for m in bot.fake.bot_messages(ANN)] == [True]
        second = await bot.post(json.dumps(update).encode())
        assert second.status_code == 200
        assert len(bot.fake.bot_messages(ANN)) == 1
        async with services_of(bot.app).db.read() as session:
            handled = await session.scalars(select(HandledUpdate.update_id))
            assert list(handled) == [77_001]
