"""Taking away the buttons that stopped acting: a background job edits the markup of each
queued message (storage.stale) away, a bounded batch at a time, in the lowest lane of the bot's
pace (ops.pace: only slots nobody else wants), so the actions that queued them never wait for it
and a wave of reminders is never slowed by it. A message deleted or too
old is let go; a blocked chat gets no edit; a 429 or a network failure puts it back."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter
from telegram.ext import ExtBot

from handlers.context import LimberContext, Services
from ops.pace import Lane, Send
from storage import stale, users

log = logging.getLogger(__name__)

SWEEP_SECONDS = 5.0
SWEEP_SEND = Send(Lane.SWEEP, "sweep")
# At most this many edits a sweep: ~10 a second, a third of Telegram's 30, so a wave of
# replaced reminders leaves room for everything else.
BATCH = 50


async def sweep(context: LimberContext) -> None:
    """The JobQueue callback, every SWEEP_SECONDS: one batch of stale keyboards, unless a wave
    of reminders is going out here (its edits would only wait for the wave to pass)."""
    pacer = context.services.pacer
    if pacer is not None and pacer.busy():
        return
    await sweep_once(context.bot, context.services)


async def sweep_once(bot: ExtBot[Any], services: Services, limit: int = BATCH) -> int:
    """Take away the buttons of up to `limit` queued messages; returns how many were taken."""
    async with services.db.transaction() as session:
        taken = await stale.take(session, limit)
    if not taken:
        return 0
    outcomes = dict(zip(taken, await asyncio.gather(*(_strip(bot, i) for i in taken)), strict=True))
    retry = [item for item, outcome in outcomes.items() if outcome == RETRY]
    blocked = {item.user_id for item, outcome in outcomes.items() if outcome == BLOCKED}
    if retry or blocked:
        async with services.db.transaction() as session:
            await stale.queue(session, retry, services.clock.now())
            for user_id in blocked:
                user = await users.get_user(session, user_id)
                if user is not None:
                    user.blocked = True
    return len(taken)


DONE, GONE, RETRY, BLOCKED = "done", "gone", "retry", "blocked"


async def _strip(bot: ExtBot[Any], item: stale.Stale) -> str:
    try:
        await bot.edit_message_reply_markup(
            item.chat_id, item.message_id, reply_markup=None, rate_limit_args=SWEEP_SEND
        )
    except BadRequest:
        return GONE  # not modified, deleted, too old to edit: nothing left to take away
    except Forbidden:
        return BLOCKED
    except (RetryAfter, NetworkError):
        return RETRY  # the pace will let it through later
    return DONE
