"""/pause and /resume: the one pause (storage.pauses), also offered in /settings.

/pause asks for how long; only the newest question's buttons act (storage.live), so a tap
on an old one after a /resume cannot pause again. A pause chosen once today's target is met
starts tomorrow, and the answer says so.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from coach import callbacks, texts
from coach.pause_view import days_of, parse_pause, pause_keyboard, pause_span
from coach.reminder_keyboards import describe_next
from handlers import common
from handlers.context import LimberContext
from handlers.keyboards import expire, inline
from storage import live, pauses, progress, reminder_plan, users


async def pause_command(update: Update, context: LimberContext) -> None:
    """Ask for how long, saying so first when a pause is already on."""
    sender = common.sender_of(update)
    if sender is None:
        return
    user, message, now = sender.user, sender.message, context.services.clock.now()
    async with common.sender_row(context, sender) as (session, row):
        today = pauses.user_today(row, now)
        ahead = await pauses.pause_ahead(session, row, today)
    question = (
        texts.PAUSE_ASK
        if ahead is None
        else texts.PAUSE_ASK_PAUSED.format(span=pause_span(ahead, today))
    )
    sent = await message.reply_text(question, reply_markup=inline(pause_keyboard()))
    async with context.services.db.transaction() as session:
        if await users.get_user(session, user.id) is not None:
            await live.remember(session, user.id, live.PAUSE, sent.chat.id, sent.message_id, now)


async def on_pause_button(update: Update, context: LimberContext) -> None:
    """A length from the /pause question: pause, and replace the question by the answer."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None or query.message is None:
        return
    value = parse_pause(query.data)
    now = context.services.clock.now()
    answer = None
    async with context.services.db.transaction() as session:
        row, live_question = await common.tapped_live(session, query, live.PAUSE)
        if row is not None and value is not None and live_question:
            today = pauses.user_today(row, now)
            met = await progress.today_target_met(session, row.id, today)
            chosen = await pauses.pause(session, row, today, days_of(value), today_met=met)
            await reminder_plan.reschedule(session, row, now)
            await live.forget(session, user.id, live.PAUSE)
            answer = _paused_text(pause_span(chosen, today), chosen.last is None, met)
    if answer is None:
        await expire(query, texts.PAUSE_EXPIRED, parse_pause)
        return
    await query.answer()
    await query.edit_message_text(answer)


def _paused_text(span: str, open_ended: bool, starts_tomorrow: bool) -> str:
    text = texts.PAUSED_OPEN if open_ended else texts.PAUSED.format(span=span)
    if starts_tomorrow:
        text = f"{texts.PAUSE_STARTS_TOMORROW}\n{text}"
    return text


async def resume_command(update: Update, context: LimberContext) -> None:
    """End any pause (N days or until resumed) and name the next reminder."""
    sender = common.sender_of(update)
    if sender is None:
        return
    user, message, now = sender.user, sender.message, context.services.clock.now()
    async with common.sender_row(context, sender) as (session, row):
        today = pauses.user_today(row, now)
        ahead = await pauses.pause_ahead(session, row, today)
        ended = await pauses.resume(session, row, today)
        await reminder_plan.reschedule(session, row, now)
        await live.forget(session, user.id, live.PAUSE)
        next_text = describe_next(row.next_reminder_at, now, row.time_zone, paused=False)
    if not ended:
        text = texts.NOT_PAUSED
    elif ahead is not None and ahead.first > today:
        text = texts.PAUSE_CANCELLED  # it had not begun
    else:
        text = texts.RESUMED
    await message.reply_text(text.format(next=next_text))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [
        CommandHandler("pause", pause_command),
        CommandHandler("resume", resume_command),
        CallbackQueryHandler(on_pause_button, pattern=callbacks.PauseFor.pattern()),
    ]
