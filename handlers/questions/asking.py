"""Everything the bot waits for an answer to: what we wait for (`Awaiting`, stored in
`User.awaiting`, so a restart mid-question loses nothing), the two questions, and `ask`,
which stores what we wait for and sends the question. The answers arrive in
`handlers.questions.answers`; onboarding, /time, /timezone and /settings only call `ask`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from telegram import Message, Update

from coach.reminder_keyboards import time_keyboard
from coach.texts import Texts
from handlers import common
from handlers.context import LimberContext
from handlers.keyboards import inline, zone_keyboard
from storage import live, users


class Awaiting(StrEnum):
    """What the user's next text (or location, or time button) answers."""

    ZONE = "zone"  # /timezone: confirm with the next reminder
    TIME = "time"  # /time
    ONBOARDING_ZONE = "onboarding_zone"  # /start: the time question follows
    ONBOARDING_TIME = "onboarding_time"  # /start: then onboarding is done
    SETTINGS_ZONE = "settings_zone"  # asked from /settings: the menu comes back
    SETTINGS_TIME = "settings_time"


ZONE_QUESTIONS = frozenset({Awaiting.ZONE, Awaiting.ONBOARDING_ZONE, Awaiting.SETTINGS_ZONE})
TIME_QUESTIONS = frozenset({Awaiting.TIME, Awaiting.ONBOARDING_TIME, Awaiting.SETTINGS_TIME})
FROM_MENU = frozenset({Awaiting.SETTINGS_ZONE, Awaiting.SETTINGS_TIME})


@dataclass
class Reply:
    text: str
    markup: Any = None
    # Once sent, the message is the live one of this kind (`storage.live`): the time question's
    # buttons act only on the newest question.
    live_kind: str | None = None


def zone_question(texts: Texts) -> Reply:
    return Reply(texts.ASK_ZONE.format(examples=texts.ZONE_EXAMPLES), zone_keyboard(texts))


def time_question(texts: Texts) -> Reply:
    return Reply(texts.ASK_TIME, inline(time_keyboard()), live_kind=live.QUESTION)


async def ask(update: Update, context: LimberContext, awaiting: Awaiting) -> None:
    """Wait for `awaiting` (one write) and send its question. Mid-onboarding, the zone asked
    again (/timezone, "pick another") stays onboarding's, so the time question follows it."""
    sender = common.sender_of(update)
    if sender is None:
        return
    async with common.sender_row(context, sender) as (_, row):
        onboarding = row.awaiting == Awaiting.ONBOARDING_TIME and not row.reminder_time
        if awaiting in ZONE_QUESTIONS and onboarding:
            awaiting = Awaiting.ONBOARDING_ZONE
        row.awaiting = awaiting
    texts = context.turn.texts
    question = zone_question(texts) if awaiting in ZONE_QUESTIONS else time_question(texts)
    await send_replies(context, sender.message, sender.user.id, [question])


async def send_replies(
    context: LimberContext, message: Message, user_id: int, replies: list[Reply]
) -> None:
    """Send each reply to the chat of `message`, recording the questions as live."""
    for reply in replies:
        sent = await message.chat.send_message(reply.text, reply_markup=reply.markup)
        await _remember(context, user_id, reply, sent)


async def _remember(context: LimberContext, user_id: int, reply: Reply, sent: Message) -> None:
    """Record a sent question as its kind's live message (older ones are stale from now)."""
    if reply.live_kind is None:
        return
    async with context.services.db.transaction() as session:
        if await users.get_user(session, user_id) is not None:
            now = context.services.clock.now()
            await live.remember(
                session, user_id, reply.live_kind, sent.chat.id, sent.message_id, now
            )
