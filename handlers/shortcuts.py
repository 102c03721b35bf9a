"""/time, /timezone, /pause and /resume: quick changes that answer with the next reminder."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import BaseHandler, CommandHandler

from bot import texts, timeinput, zones
from bot.context import LimberContext
from bot.reminder_keyboards import describe_next
from handlers import common, onboarding
from handlers.onboarding import Reply
from storage import reminders


async def time_command(update: Update, context: LimberContext) -> None:
    """`/time 7:30` sets it at once; a bare `/time` asks with buttons."""
    argument = " ".join(context.args or ())
    if not argument:
        await onboarding.ask_time(update, context)
        return
    await _apply(update, context, onboarding.AWAIT_TIME, argument)


async def timezone_command(update: Update, context: LimberContext) -> None:
    """`/timezone Berlin` sets it at once; a bare `/timezone` asks (location or typed)."""
    argument = " ".join(context.args or ())
    if not argument:
        await onboarding.ask_zone(update, context)
        return
    await _apply(update, context, onboarding.AWAIT_ZONE, argument)


async def _apply(update: Update, context: LimberContext, kind: str, argument: str) -> None:
    user, chat, message = update.effective_user, update.effective_chat, update.effective_message
    if user is None or chat is None or message is None:
        return
    now = context.services.clock.now()
    async with context.services.db.transaction() as session:
        row = await common.user_row(session, user, chat)
        previous = row.awaiting
        # Answer as if to the question, but an argument never moves an onboarding along.
        row.awaiting = kind
        if kind == onboarding.AWAIT_ZONE:
            replies = await onboarding.apply_zone(session, row, zones.parse_zone(argument), now)
        else:
            chosen = timeinput.parse_time(argument)
            replies = await onboarding.apply_time(session, row, chosen, now)
        if row.awaiting == kind:  # unreadable: the hint goes out and nothing changed
            row.awaiting = previous
    await _reply(message.chat_id, context, replies)


async def pause_command(update: Update, context: LimberContext) -> None:
    await _set_enabled(update, context, enabled=False)


async def resume_command(update: Update, context: LimberContext) -> None:
    await _set_enabled(update, context, enabled=True)


async def _set_enabled(update: Update, context: LimberContext, *, enabled: bool) -> None:
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    now = context.services.clock.now()
    async with context.services.db.transaction() as session:
        row = await common.user_row(session, user, chat)
        row.reminders_enabled = enabled
        await reminders.reschedule(session, row, now)
        next_text = describe_next(row.next_reminder_at, now, row.time_zone, enabled=enabled)
    text = texts.RESUMED.format(next=next_text) if enabled else texts.PAUSED
    await _reply(chat.id, context, [Reply(text)])


async def _reply(chat_id: int, context: LimberContext, replies: list[Reply]) -> None:
    for reply in replies:
        await context.bot.send_message(
            chat_id, reply.text, parse_mode=ParseMode.HTML, reply_markup=reply.markup
        )


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [
        CommandHandler("time", time_command),
        CommandHandler("timezone", timezone_command),
        CommandHandler("pause", pause_command),
        CommandHandler("resume", resume_command),
    ]
