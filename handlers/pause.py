"""/pause and /resume: the one pause (storage.pauses), also offered in /settings.

/pause asks for how long; only the newest question's buttons act (storage.live), so a tap
on an old one after a /resume cannot pause again. A pause chosen once today's target is met
starts tomorrow, and the answer says so.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from coach import callbacks
from coach.pause_view import days_of, parse_pause, pause_keyboard, pause_span
from coach.reminder_keyboards import describe_next
from coach.texts import Texts
from handlers import common
from handlers.context import LimberContext
from handlers.keyboards import inline
from storage import live, pauses, progress, reminder_plan, users


async def pause_command(update: Update, context: LimberContext) -> None:
    """Ask for how long, saying so first when a pause is already on."""
    sender = common.sender_of(update)
    if sender is None:
        return
    texts, now = context.turn.texts, context.turn.now
    async with common.sender_row(context, sender) as (session, row):
        today = pauses.user_today(row, now)
        ahead = await pauses.pause_ahead(session, row, today)
    question = (
        texts.PAUSE_ASK
        if ahead is None
        else texts.PAUSE_ASK_PAUSED.format(span=pause_span(ahead, today, texts))
    )
    sent = await sender.message.reply_text(question, reply_markup=inline(pause_keyboard(texts)))
    async with context.services.db.transaction() as session:
        if await users.get_user(session, sender.user.id) is not None:
            await live.remember(
                session, sender.user.id, live.PAUSE, sent.chat.id, sent.message_id, now
            )


async def on_pause_button(update: Update, context: LimberContext) -> None:
    """A length from the /pause question: pause, and replace the question by the answer."""
    turn = context.turn
    texts, now = turn.texts, turn.now
    tap = await common.read_tap(update, callbacks.PauseFor, texts.PAUSE_EXPIRED)
    if tap is None:
        return
    value = parse_pause(tap.query.data)
    answer = None
    if value is not None and await common.is_live(context, turn, live.PAUSE, tap):
        async with context.services.db.transaction() as session:
            row = await users.get_user(session, tap.query.from_user.id)
            if row is not None and await live.is_live(
                session, row.id, live.PAUSE, tap.chat_id, tap.message_id
            ):
                today = pauses.user_today(row, now)
                met = await progress.today_target_met(session, row.id, today)
                chosen = await pauses.pause(session, row, today, days_of(value), today_met=met)
                await reminder_plan.reschedule(session, row, now)
                await live.forget(session, row.id, live.PAUSE)
                span = pause_span(chosen, today, texts)
                answer = _paused_text(span, chosen.last is None, met, texts)
    if answer is None:
        await common.expire(tap, texts.PAUSE_EXPIRED, parse_pause)
        return
    await tap.query.answer()
    await tap.query.edit_message_text(answer)


def _paused_text(span: str, open_ended: bool, starts_tomorrow: bool, texts: Texts) -> str:
    text = texts.PAUSED_OPEN if open_ended else texts.PAUSED.format(span=span)
    if starts_tomorrow:
        text = f"{texts.PAUSE_STARTS_TOMORROW}\n{text}"
    return text


async def resume_command(update: Update, context: LimberContext) -> None:
    """End any pause (N days or until resumed) and name the next reminder."""
    sender = common.sender_of(update)
    if sender is None:
        return
    texts, now = context.turn.texts, context.turn.now
    async with common.sender_row(context, sender) as (session, row):
        today = pauses.user_today(row, now)
        ahead = await pauses.pause_ahead(session, row, today)
        ended = await pauses.resume(session, row, today)
        await reminder_plan.reschedule(session, row, now)
        await live.forget(session, row.id, live.PAUSE)
        next_text = describe_next(row.next_reminder_at, now, row.time_zone, texts, paused=False)
    if not ended:
        text = texts.NOT_PAUSED
    elif ahead is not None and ahead.first > today:
        text = texts.PAUSE_CANCELLED  # it had not begun
    else:
        text = texts.RESUMED
    await sender.message.reply_text(text.format(next=next_text))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [
        CommandHandler("pause", pause_command),
        CommandHandler("resume", resume_command),
        CallbackQueryHandler(on_pause_button, pattern=callbacks.PauseFor.pattern()),
    ]
