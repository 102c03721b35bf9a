"""The reminder's buttons: ⏰ 15 min and ⏰ 1 h bring it back later, Skip today ends the day's
reminders; and a block or unblock of the bot, which stops or resumes them. The tick that sends
reminders is handlers.reminders."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.constants import ChatMemberStatus
from telegram.ext import BaseHandler, CallbackQueryHandler, ChatMemberHandler

from coach import callbacks, schedule, zones
from coach.reminder_keyboards import SNOOZE_MINUTES, describe_next, local_clock, reminder_keyboard
from coach.texts import Texts
from handlers import common
from handlers.context import LimberContext
from handlers.keyboards import inline
from handlers.turn import Turn
from storage import reminder_plan, users
from storage.models import User


async def on_snooze(update: Update, context: LimberContext) -> None:
    """⏰ 15 min / ⏰ 1 h: bring today's reminder back later (stored, so it survives restarts)."""
    turn = context.turn
    texts = turn.texts
    tap = await common.read_tap(update, callbacks.Snooze, texts.REMINDER_EXPIRED)
    if tap is None:
        return
    day, minutes = tap.data.day, tap.data.minutes
    if minutes not in SNOOZE_MINUTES:
        await tap.answer(texts.BUTTON_EXPIRED)
        return
    when = None
    if await _on_todays_reminder(context, turn, tap, day):
        async with context.services.db.transaction() as session:
            user = await _reminded_user(session, turn, tap, day)
            if user is not None:
                at = reminder_plan.snooze(user, turn.now, timedelta(minutes=minutes))
                when = local_clock(at, user.time_zone or zones.FALLBACK_ZONE)
    if when is None:
        await tap.answer(texts.REMINDER_EXPIRED)
        return
    await tap.answer(texts.REMINDER_SNOOZED_TOAST.format(time=when))
    mini_app = context.services.mini_app_url
    await _replace_footer(tap, texts.REMINDER_SNOOZED.format(time=when), day, texts, mini_app)


async def on_skip(update: Update, context: LimberContext) -> None:
    """Skip today: no more reminders this stretch day."""
    turn = context.turn
    texts = turn.texts
    tap = await common.read_tap(update, callbacks.Skip, texts.REMINDER_EXPIRED)
    if tap is None:
        return
    day = tap.data.day
    footer = None
    if await _on_todays_reminder(context, turn, tap, day):
        async with context.services.db.transaction() as session:
            user = await _reminded_user(session, turn, tap, day)
            if user is not None:
                await reminder_plan.skip_day(session, user, day, turn.now)
                footer = texts.REMINDER_SKIPPED_NO_NEXT
                if user.next_reminder_at is not None and user.paused_since is None:
                    next_text = describe_next(
                        user.next_reminder_at, turn.now, user.time_zone, texts, paused=False
                    )
                    footer = texts.REMINDER_SKIPPED.format(next=next_text)
    if footer is None:
        await tap.answer(texts.REMINDER_EXPIRED)
        return
    await tap.answer(texts.REMINDER_SKIPPED_TOAST)
    await _replace_footer(tap, footer, day, texts, context.services.mini_app_url)


async def _on_todays_reminder(
    context: LimberContext, turn: Turn, tap: common.Tap[Any], day: date
) -> bool:
    """Whether the tap is on today's live reminder message, from a read (a stale button,
    another day's reminder, or reminder data tapped on some other message waits for no
    writer); the write checks again (`_reminded_user`)."""
    row = turn.row
    if row is None or day != schedule.user_stretch_day(row.time_zone, turn.now):
        return False
    async with context.services.db.read() as session:
        return await reminder_plan.is_reminder_message(session, row.id, day, tap.message_id)


async def _reminded_user(
    session: AsyncSession, turn: Turn, tap: common.Tap[Any], day: date
) -> User | None:
    """The user's row, when the tap is still on today's live reminder message."""
    if turn.user is None:
        return None
    user = await users.get_user(session, turn.user.id)
    if user is None or day != schedule.user_stretch_day(user.time_zone, turn.now):
        return None
    live = await reminder_plan.is_reminder_message(session, user.id, day, tap.message_id)
    return user if live else None


async def _replace_footer(
    tap: common.Tap[Any], footer: str, day: date, texts: Texts, mini_app: str | None
) -> None:
    """Edit the reminder: keep its text, say what happened, leave only ▶ Start (and the
    hands-free session)."""
    message = tap.message
    if message is None or not message.text:
        return
    body = message.text_html.split("\n\n")[0]
    await message.edit_text(
        f"{body}\n\n{footer}",
        reply_markup=inline(reminder_keyboard(day, texts, with_snooze=False, mini_app=mini_app)),
    )


async def on_my_chat_member(update: Update, context: LimberContext) -> None:
    """Blocking the bot stops reminders at once; unblocking brings them back."""
    change = update.my_chat_member
    if change is None or change.chat.type != "private":
        return
    blocked = change.new_chat_member.status in (ChatMemberStatus.BANNED, ChatMemberStatus.LEFT)
    async with context.services.db.transaction() as session:
        user = await users.get_user(session, change.from_user.id)
        if user is not None:
            user.blocked = blocked


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [
        CallbackQueryHandler(on_snooze, pattern=callbacks.Snooze.pattern()),
        CallbackQueryHandler(on_skip, pattern=callbacks.Skip.pattern()),
        ChatMemberHandler(on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER),
    ]
