"""Every button the user has been shown, tapped on every other kind of message: the tap is
answered and nothing changes, neither what is stored nor what the chat shows.

▶ Start ("stretch") is left out: it means what /stretch means wherever it is tapped."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from coach import callbacks
from coach.texts import ENGLISH
from handlers.reminders import run_tick
from storage import account
from tests.harness import Harness, button_data
from tests.helpers import WEDNESDAY_0730, _onboard

ANN = 7601
KINDS = ("session", "settings", "reminder", "delete", "help")


async def shown_messages(h: Harness) -> dict[str, int]:
    """One message of each kind in Ann's chat, all live."""
    await _onboard(h, ANN)
    h.clock.set(WEDNESDAY_0730 - timedelta(minutes=5))
    await h.send(ANN, "/stretch")
    session = h.last(ANN)
    await h.tap_button(ANN, session, ENGLISH.SESSION_BTN_START)
    h.clock.set(WEDNESDAY_0730)
    assert await run_tick(h.app) == 1
    reminder = h.last(ANN)
    await h.send(ANN, "/settings")
    settings = h.last(ANN)
    await h.send(ANN, "/deleteme")
    delete = h.last(ANN)
    await h.send(ANN, "/help")
    help_ = h.last(ANN)
    return {
        "session": session.message_id,
        "settings": settings.message_id,
        "reminder": reminder.message_id,
        "delete": delete.message_id,
        "help": help_.message_id,
    }


def buttons_by_kind(h: Harness, messages: dict[str, int]) -> dict[str, list[str]]:
    """The callback data on each message, as the user sees it now."""
    found: dict[str, list[str]] = {}
    for message in h.fake.bot_messages(ANN):
        for kind, message_id in messages.items():
            if message.message_id == message_id:
                data = [d for row in message.buttons() for _, d in row if d is not None]
                found[kind] = [d for d in data if d != callbacks.encode("stretch")]
    return found


async def what_the_user_has(h: Harness) -> tuple[Any, Any]:
    async with h.services.db.transaction() as session:
        stored = await account.export_rows(session, ANN)
    chat = [(m.message_id, m.text, m.caption, m.buttons()) for m in h.fake.bot_messages(ANN)]
    return stored, chat


async def test_no_button_acts_on_another_kind_of_message(harness: Harness) -> None:
    h = harness
    messages = await shown_messages(h)
    shown = buttons_by_kind(h, messages)
    shown["time"] = [callbacks.encode("rtime", "1900")]  # the time question's (answered)
    assert {kind for kind, data in shown.items() if data} == {*KINDS, "time"} - {"help"}
    tried = 0
    for source, datas in shown.items():
        for data in datas:
            for target in KINDS:
                if target == source:
                    continue
                before = await what_the_user_has(h)
                answer = await h.tap(ANN, messages[target], data)
                assert answer is not None, f"{source} {data} on {target}: not answered"
                assert await what_the_user_has(h) == before, f"{source} {data} on {target}"
                tried += 1
    assert tried > 60


@pytest.mark.parametrize("kind", ["settings", "reminder", "delete"])
async def test_each_kinds_own_buttons_still_act_after_all_that(harness: Harness, kind: str) -> None:
    h = harness
    messages = await shown_messages(h)
    label = {
        "settings": "4×",
        "reminder": ENGLISH.REMINDER_SNOOZE_15_BUTTON,
        "delete": ENGLISH.DELETE_BUTTON_NO,
    }[kind]
    target = next(m for m in h.fake.bot_messages(ANN) if m.message_id == messages[kind])
    before = await what_the_user_has(h)
    await h.tap(ANN, target.message_id, button_data(target, label))
    assert await what_the_user_has(h) != before


async def test_after_deleteme_no_old_button_brings_anything_back(harness: Harness) -> None:
    h = harness
    messages = await shown_messages(h)
    everything = [
        (message_id, data)
        for message in h.fake.bot_messages(ANN)
        for message_id in [message.message_id]
        for row in message.buttons()
        for _, data in row
        if data is not None
    ]
    confirm = next(m for m in h.fake.bot_messages(ANN) if m.message_id == messages["delete"])
    await h.tap_button(ANN, confirm, ENGLISH.DELETE_BUTTON_YES)
    assert len(everything) > 15
    for message_id, data in everything:
        answer = await h.tap(ANN, message_id, data)
        assert answer is not None, f"{data} on {message_id}: not answered"
    async with h.services.db.transaction() as session:
        stored = await account.export_rows(session, ANN)
    assert {table: rows for table, rows in stored.items() if rows} == {}
