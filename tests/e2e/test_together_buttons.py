"""The live-message rule for the buddy and board buttons, swept: each one tapped on every other
kind of message (the session, settings, the reminder, /buddy, an invite question, the board)
is answered and changes nothing, neither what is stored nor what any chat shows; and each
still acts on its own message afterwards."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from coach import callbacks
from coach.texts import ENGLISH
from handlers.reminders import run_tick
from storage import account
from tests.harness import Harness, button_data
from tests.helpers import WEDNESDAY_0730
from tests.together import ANA, BEN, CAT, GROUP, invite_payload, pair, remind_at, set_up

OURS = {"bnudge", "bend", "bmenu", "binvite", "bjoin", "bleave"}


async def shown_messages(h: Harness) -> dict[str, tuple[int, int]]:
    """One live message of each kind Ana can tap: (chat, message id)."""
    h.clock.set(WEDNESDAY_0730 - timedelta(minutes=5))
    await set_up(h, ANA, BEN, CAT)
    await pair(h, ANA, BEN)
    h.fake.add_group(GROUP, "Stretch club", creator=ANA)
    await h.send(ANA, "/board", chat_id=GROUP)
    board = h.last(GROUP)
    await h.send(ANA, "/stretch")
    session = h.last(ANA)
    await h.tap_button(ANA, session, ENGLISH.SESSION_BTN_START)
    await remind_at(h, ANA)
    h.clock.set(WEDNESDAY_0730)
    assert await run_tick(h.app) == 1
    reminder = h.last(ANA)
    await h.send(ANA, "/settings")
    settings = h.last(ANA)
    await h.send(ANA, f"/start {await invite_payload(h, CAT)}")
    invite = h.last(ANA)
    await h.send(ANA, "/buddy")
    buddy = h.last(ANA)
    return {
        "session": (ANA, session.message_id),
        "reminder": (ANA, reminder.message_id),
        "settings": (ANA, settings.message_id),
        "invite": (ANA, invite.message_id),
        "buddy": (ANA, buddy.message_id),
        "board": (GROUP, board.message_id),
    }


def _ours(data: str) -> bool:
    decoded = callbacks.decode(data)
    return decoded is not None and decoded.action in OURS


def buttons_of(h: Harness, where: tuple[int, int]) -> list[str]:
    chat, message_id = where
    message = next(m for m in h.fake.bot_messages(chat) if m.message_id == message_id)
    return [d for row in message.buttons() for _, d in row if d and d.startswith("v1:")]


async def everything(h: Harness) -> Any:
    async with h.services.db.read() as session:
        stored = {uid: await account.export_rows(session, uid) for uid in (ANA, BEN, CAT)}
    chats = [
        (m.chat_id, m.message_id, m.text, m.caption, m.buttons())
        for chat in (ANA, BEN, CAT, GROUP)
        for m in h.fake.bot_messages(chat)
    ]
    return stored, chats


async def test_no_together_button_acts_on_another_kind_of_message(harness: Harness) -> None:
    h = harness
    messages = await shown_messages(h)
    ours = {kind: [d for d in buttons_of(h, where) if _ours(d)] for kind, where in messages.items()}
    assert {kind for kind, datas in ours.items() if datas} == {"invite", "buddy", "board"}
    tried = 0
    for source, datas in ours.items():
        for data in datas:
            for target, (chat, message_id) in messages.items():
                if target == source:
                    continue
                before = await everything(h)
                answer = await h.tap(ANA, message_id, data, chat_id=chat)
                assert answer is not None, f"{source} {data} on {target}: not answered"
                assert await everything(h) == before, f"{source} {data} on {target}"
                tried += 1
    assert tried == 6 * 5  # six buttons, each on the five other kinds

    # Each still acts on its own message.
    invite = next(m for m in h.fake.bot_messages(ANA) if m.message_id == messages["invite"][1])
    await h.tap(ANA, invite.message_id, button_data(invite, ENGLISH.BUDDY_ACCEPT_BUTTON))
    assert h.last(CAT).text == ENGLISH.BUDDY_ACCEPTED_INVITER.format(name="Ana")
    board = next(m for m in h.fake.bot_messages(GROUP) if m.message_id == messages["board"][1])
    answer = await h.tap_button(ANA, board, ENGLISH.BOARD_JOIN_BUTTON)
    assert answer["text"] == ENGLISH.BOARD_JOINED_TOAST
