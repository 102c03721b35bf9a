"""/stretch: the guided session message, edited in place, and its buttons (navigate, log a set,
start the hold timer). Screens and keyboards come from `bot.session_flow`; this module reads
the update, checks the button belongs to today's open session, stores, and renders.

Each update reads and writes in one transaction and talks to Telegram after it commits, so no
HTTP call holds the database; only re-sending the session needs a second, tiny transaction
to point the session row at the message Telegram just created.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram import User as TelegramUser
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot import callbacks, session_flow, texts
from bot.context import LimberContext
from bot.routine import load_routine
from bot.session_flow import Screen
from handlers import media, session_timer
from handlers.session_view import keyboard, stretch_day_of, today_of
from storage import guided, sets, users
from storage.models import GuidedSession, User

# ---- opening the session ------------------------------------------------------------------


async def stretch_command(update: Update, context: LimberContext) -> None:
    if update.effective_user is not None and update.effective_chat is not None:
        await open_session(context, update.effective_user, update.effective_chat.id)


async def stretch_button(update: Update, context: LimberContext) -> None:
    """▶ Start on a reminder or after onboarding: exactly like /stretch."""
    query = update.callback_query
    if query is None or update.effective_chat is None:
        return
    await query.answer()
    await open_session(context, query.from_user, update.effective_chat.id)


async def open_session(context: LimberContext, tg_user: TelegramUser, chat_id: int) -> None:
    """Send the session as a new message: today's open one at its screen, or a fresh intro."""
    services, routine = context.services, load_routine()
    session_timer.cancel(context, tg_user.id)
    async with services.db.transaction() as session:
        user, _ = await users.ensure_user(
            session, tg_user.id, chat_id, tg_user.first_name, tg_user.language_code
        )
        day = stretch_day_of(user, services.clock.now())
        row = await guided.get_session(session, user.id)
        screen = None
        if row is not None and row.stretch_day == day:
            screen = session_flow.parse_screen(routine, row.screen)
        screen = screen or Screen(session_flow.INTRO)
        view = session_flow.render(routine, screen, await today_of(session, user, day))
    message = await media.send_picture(
        context.bot, services.db, chat_id, view.picture, view.caption, keyboard(view)
    )
    # The old message's buttons now answer "expired": they no longer match the row.
    async with services.db.transaction() as session:
        await guided.open_session(
            session,
            tg_user.id,
            chat_id,
            message.message_id,
            day,
            screen.token,
            services.clock.now(),
        )


# ---- buttons on the session message -------------------------------------------------------


@dataclass
class Tapped:
    """A button tap that belongs to today's open session message."""

    user: User
    row: GuidedSession
    data: callbacks.Callback


async def _tapped(session: AsyncSession, update: Update, context: LimberContext) -> Tapped | None:
    """The tap, or None when its button is stale: another day, or not the open session message."""
    query = update.callback_query
    if query is None or query.message is None:
        return None
    data = callbacks.decode(query.data)
    user = await users.get_user(session, query.from_user.id)
    if data is None or user is None:
        return None
    day = stretch_day_of(user, context.services.clock.now())
    row = await guided.get_session(session, user.id)
    if (
        data.int_arg(0) != session_flow.day_code(day)
        or row is None
        or row.stretch_day != day
        or row.message_id != query.message.message_id
        or row.chat_id != query.message.chat.id
    ):
        return None
    return Tapped(user, row, data)


async def _answer(update: Update, text: str | None = None) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer(text)


async def go_button(update: Update, context: LimberContext) -> None:
    """Back / Next / Start / Log sets: move the session to another screen."""
    services, routine = context.services, load_routine()
    async with services.db.transaction() as session:
        tapped = await _tapped(session, update, context)
        target = None
        if tapped is not None and len(tapped.data.args) == 2:
            target = session_flow.parse_screen(routine, tapped.data.args[1])
        if tapped is not None and target is not None:
            row = tapped.row
            before = session_flow.parse_screen(routine, row.screen)
            await guided.set_screen(session, row, target.token, services.clock.now())
            today = await today_of(session, tapped.user, row.stretch_day)
            view = session_flow.render(routine, target, today)
    if tapped is None or target is None:
        await _answer(update, texts.BUTTON_EXPIRED)
        return
    await _answer(update)
    session_timer.cancel(context, tapped.user.id)
    if before is not None and session_flow.picture_of(routine, before) == view.picture:
        await media.edit_caption(
            context.bot, row.chat_id, row.message_id, view.caption, keyboard(view)
        )
    else:
        await media.edit_picture(
            context.bot,
            services.db,
            row.chat_id,
            row.message_id,
            view.picture,
            view.caption,
            keyboard(view),
        )


async def set_button(update: Update, context: LimberContext) -> None:
    """✅ Set N done on the hold screen, or a set in the Log sets grid (log or undo)."""
    services, routine = context.services, load_routine()
    async with services.db.transaction() as session:
        tapped = await _tapped(session, update, context)
        tap = None
        if tapped is not None:
            tap = session_flow.parse_set(routine, tapped.data, tapped.user.sets_per_side)
        if tapped is not None and tap is not None:
            user, row = tapped.user, tapped.row
            where = (user.id, row.stretch_day, tap.stretch_key, tap.side, tap.number)
            if tap.done:
                changed = await sets.log_set(
                    session, *where, services.clock.now(), sets_target=user.sets_per_side
                )
                toast = texts.SESSION_SET_LOGGED if changed else texts.SESSION_SET_ALREADY
            else:
                changed = await sets.undo_set(session, *where)
                toast = texts.SESSION_SET_UNDONE if changed else texts.SESSION_SET_NOT_LOGGED
            screen = session_flow.parse_screen(routine, row.screen) or Screen(session_flow.INTRO)
            today = await today_of(session, user, row.stretch_day)
            view = session_flow.render(routine, screen, today)
    if tapped is None or tap is None:
        await _answer(update, texts.BUTTON_EXPIRED)
        return
    await _answer(update, toast.format(number=tap.number))
    if changed:  # a repeated tap changes nothing, so it needs no edit (and no flood of them)
        session_timer.cancel(context, user.id)
        await media.edit_caption(
            context.bot, row.chat_id, row.message_id, view.caption, keyboard(view)
        )


async def timer_button(update: Update, context: LimberContext) -> None:
    """⏱ on the hold screen: count the hold down in the caption."""
    async with context.services.db.transaction() as session:
        tapped = await _tapped(session, update, context)
    hold = None
    if tapped is not None and len(tapped.data.args) == 3:
        hold = Screen(session_flow.HOLD, tapped.data.args[1], tapped.data.args[2])
    # A timer button from a hold the session has already left counts as expired.
    if tapped is None or hold is None or tapped.row.screen != hold.token:
        await _answer(update, texts.BUTTON_EXPIRED)
        return
    row, seconds = tapped.row, tapped.user.hold_seconds
    await _answer(update, texts.SESSION_TIMER_STARTED.format(seconds=seconds))
    timer = session_timer.HoldTimer(
        row.user_id, row.chat_id, row.message_id, row.stretch_day, hold.token, seconds
    )
    await session_timer.start(context, timer)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [
        CommandHandler("stretch", stretch_command),
        CallbackQueryHandler(stretch_button, pattern=callbacks.pattern(session_flow.OPEN)),
        CallbackQueryHandler(go_button, pattern=callbacks.pattern(session_flow.GO)),
        CallbackQueryHandler(set_button, pattern=callbacks.pattern(session_flow.SET)),
        CallbackQueryHandler(timer_button, pattern=callbacks.pattern(session_flow.TIMER)),
    ]
