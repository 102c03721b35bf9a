"""What stretching together adds to the rest of Limber: after a user's sets change, their
boards are redrawn and, when the day is done, their buddies may get a nudge; and when
someone blocks the bot (or the bot leaves a group) they leave every buddy view and board.

The nudge is opt-in, silent (disable_notification), at most one a day for each recipient (a
unique row, claimed before the send, so never twice), never between 22:00 and 08:00 in the
recipient's zone, and not to someone whose own day is done already.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import Forbidden, TelegramError
from telegram.ext import BaseHandler, ChatMemberHandler

from coach import schedule, zones
from coach.buddy_view import nudge_text
from coach.texts import texts_for
from coach.together import is_night
from handlers import board_flush
from handlers.context import LimberContext, Services, services_of
from storage import boards, buddies, progress, together, users

log = logging.getLogger(__name__)

# After the feature handlers (group 0), where the reminders' own membership handler runs.
MEMBERSHIP_GROUP = 1
GONE = frozenset({ChatMemberStatus.BANNED, ChatMemberStatus.LEFT})


async def after_sets(
    application: Any, user_id: int, *, boards_touched: bool, day_done: bool
) -> None:
    """Called once a set tap has committed: draw the user's boards, nudge their buddies."""
    if boards_touched:
        await board_flush.flush(application)
    if day_done:
        await nudge_buddies(application, user_id)


async def nudge_buddies(application: Any, user_id: int) -> int:
    """`user_id` has just finished their day: nudge each buddy who asked for it (see the
    module docstring for when not). Returns how many were sent."""
    services: Services = services_of(application)
    now = services.clock.now()
    async with services.db.transaction() as session:
        finisher = (await together.people(session, [user_id])).get(user_id)
        wanting = await together.people(session, await buddies.nudged_by(session, user_id))
        if finisher is None:
            return 0
        day = (await together.days_of(session, [finisher], now))[user_id]
        chosen = []
        for person in wanting.values():
            if person.blocked or not await _may_nudge(
                session, person.user_id, person.time_zone, now
            ):
                continue
            today = schedule.user_stretch_day(person.time_zone, now)
            if await buddies.claim_nudge(session, person.user_id, today, user_id, now):
                chosen.append(person)
    sent = 0
    for person in chosen:
        text = nudge_text(day, texts_for(person.language))
        try:
            await application.bot.send_message(person.chat_id, text, disable_notification=True)
            sent += 1
        except Forbidden:
            log.info("A buddy blocked the bot: no nudge")
        except TelegramError:
            # Claimed and not sent: a nudge is a courtesy, never worth a second one.
            log.warning("A nudge could not be sent", exc_info=True)
    return sent


async def _may_nudge(session: Any, user_id: int, zone: str | None, now: datetime) -> bool:
    """Daytime in their zone, and their own day not done yet (a nudge is for stretching)."""
    local = now.astimezone(zones.user_tzinfo(zone))
    if is_night(local.time()):
        return False
    today = schedule.user_stretch_day(zone, now)
    return not await progress.today_target_met(session, user_id, today)


async def on_membership(update: Update, context: LimberContext) -> None:
    """A user blocked the bot: out of every pairing and board. The bot left or was removed
    from a group: that group's board ends."""
    change = update.my_chat_member
    if change is None or change.new_chat_member.status not in GONE:
        return
    async with context.services.db.transaction() as session:
        if change.chat.type == ChatType.PRIVATE:
            if await users.get_user(session, change.from_user.id) is not None:
                await together.forget(session, change.from_user.id)
        else:
            await boards.end(session, change.chat.id)
    if change.chat.type == ChatType.PRIVATE:
        await board_flush.flush(context.application)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Registered in MEMBERSHIP_GROUP."""
    return [ChatMemberHandler(on_membership, ChatMemberHandler.MY_CHAT_MEMBER)]
