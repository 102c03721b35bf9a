"""What the buddy and board tests share: named users, the invite link a /buddy screen shows,
a group with the bot in it, and a board's lines as the group reads them."""

from __future__ import annotations

import html
import re
from typing import Any

from coach.texts import ENGLISH, Texts
from playground.fake_telegram import ChatMessage
from storage import reminder_plan
from storage.models import User
from tests.harness import Harness, button_data
from tests.helpers import log_in_session

ANA, BEN, CAT = 8101, 8102, 8103
NAMES = {ANA: "Ana", BEN: "Ben", CAT: "Cat"}
GROUP = -1_001_234_500_001
OTHER_GROUP = -1_001_234_500_002
INVITE = re.compile(r"https://t\.me/limber_bot\?start=(b_[A-Za-z0-9_-]+)")


def shown(markup: str) -> str:
    """What a user reads of one of our HTML texts: tags gone, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


async def set_up(h: Harness, *user_ids: int, **fields: Any) -> None:
    """Users set up with Limber (Berlin, 07:30), each with their own first name, known to
    the fake under it too."""
    for user_id in user_ids:
        await h.set_up(user_id, first_name=NAMES.get(user_id, f"U{user_id}"), **fields)
        h.fake.users[user_id] = {
            "id": user_id,
            "is_bot": False,
            "first_name": NAMES.get(user_id, f"U{user_id}"),
            "language_code": "en",
        }


async def invite_payload(h: Harness, user_id: int) -> str:
    """Open /buddy and read the invite's deep-link payload off the screen ("b_…")."""
    await h.send(user_id, "/buddy")
    found = INVITE.search(h.last(user_id).text or "")
    assert found is not None, h.last(user_id).text
    return found.group(1)


async def pair(h: Harness, inviter: int, invitee: int) -> None:
    """`invitee` opens `inviter`'s link and accepts."""
    payload = await invite_payload(h, inviter)
    await h.send(invitee, f"/start {payload}")
    await h.tap_button(invitee, h.last(invitee), ENGLISH.BUDDY_ACCEPT_BUTTON)


async def finish_day(h: Harness, user_id: int, texts: Texts = ENGLISH) -> None:
    """Log every set of today's target through the session's Log sets grid, whose buttons
    speak the user's language (`texts`)."""
    if texts is ENGLISH:
        await log_in_session(h, 3, user_id)
        return
    await h.send(user_id, "/stretch")
    await h.tap_button(user_id, h.last(user_id), texts.SESSION_BTN_LOG)
    while open_sets := [
        label
        for row in h.last(user_id).buttons()
        for label, _ in row
        if label.startswith(texts.SESSION_MARK_OPEN)
    ]:
        await h.tap_button(user_id, h.last(user_id), open_sets[0])


async def remind_at(h: Harness, user_id: int) -> None:
    """Plan the user's next reminder from now (a user made directly has none)."""
    async with h.services.db.transaction() as session:
        user = await session.get(User, user_id)
        assert user is not None
        await reminder_plan.reschedule(session, user, h.clock.now())


def tap_data(message: ChatMessage, label: str) -> str:
    return button_data(message, label)


def board_lines(message: ChatMessage) -> list[str]:
    """A board's member lines ("✓ Ana 12/12 · 🔥 1"), in order."""
    return [line for line in (message.text or "").splitlines() if line.startswith(("✓ ", "◻️ "))]
