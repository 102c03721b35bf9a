"""Answers to the questions the bot asked — time zone and reminder time — whether typed,
shared as a location, or tapped on a time button.

One handler for every question, so a private text costs one look at `User.awaiting`; the
question's asker decides what follows: onboarding chains to the next question, /time and
/timezone confirm, and a question asked from /settings brings the menu back once answered.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Message, Update
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CallbackQueryHandler,
    MessageHandler,
    filters,
)

from coach import callbacks, texts, timeinput, zones
from coach.reminder_keyboards import parse_time_arg
from coach.settings_view import SettingsState
from coach.zone_view import parse_pick
from handlers import common, settings
from handlers.context import LimberContext
from handlers.questions import applying, asking
from handlers.questions.asking import FROM_MENU, TIME_QUESTIONS, ZONE_QUESTIONS, Awaiting, Reply
from storage import live as storage_live
from storage import users
from storage.models import User

# Checked before every other group (see bot/app.py): an answer is handled here and stops;
# anything else goes on to the feature handlers and the catch-alls as if we were not here.
INPUT_GROUP = common.PRE_GROUP - 1
# What can answer: new (not edited) text or a location, in a private chat.
ANSWER = (
    filters.UpdateType.MESSAGE
    & filters.ChatType.PRIVATE
    & ((filters.TEXT & ~filters.COMMAND) | filters.LOCATION)
)


async def on_input(update: Update, context: LimberContext) -> None:
    """Typed text or a shared location: an answer if we asked a question, else not ours."""
    user, message = update.effective_user, update.effective_message
    if user is None or message is None:
        return
    located: str | None = None
    if message.location is not None:
        # Building the zone finder the first time takes a moment; keep the event loop free.
        located = await asyncio.to_thread(
            zones.zone_from_location, message.location.latitude, message.location.longitude
        )
    now = context.services.clock.now()
    async with context.services.db.transaction() as session:
        row = await users.get_user(session, user.id)
        asked = row.awaiting if row is not None else None
        if row is None or asked not in (*ZONE_QUESTIONS, *TIME_QUESTIONS):
            return  # not an answer
        row.blocked = False
        if asked in ZONE_QUESTIONS:
            if message.location is not None:
                reading = zones.ZoneReading((located,)) if located else None
            else:
                reading = zones.read_zone(message.text or "")
            replies = await applying.apply_zone(
                session, row, reading, now, located=message.location is not None
            )
        else:
            chosen = timeinput.parse_time(message.text or "")
            replies = await applying.apply_time(session, row, chosen, now)
        menu = await _menu_after(session, row, asked, now)
    await _send(context, message, user.id, replies, menu)
    raise ApplicationHandlerStop


async def on_time_button(update: Update, context: LimberContext) -> None:
    """A tap on one of the common times under the time question."""
    query, user = update.callback_query, update.effective_user
    tap = callbacks.ReminderTime.parse(query.data) if query else None
    chosen = parse_time_arg(tap.hhmm) if tap else None
    if query is None or user is None or chosen is None:
        if query is not None:
            await query.answer(texts.BUTTON_EXPIRED)
        return
    now = context.services.clock.now()
    async with context.services.db.transaction() as session:
        row, live = await common.tapped_live(session, query, storage_live.QUESTION)
        # Only on the open time question: once it is answered (typed, say), or asked again,
        # its buttons are stale, and time data tapped on any other message does nothing.
        open_question = live and row is not None and row.awaiting in TIME_QUESTIONS
        replies: list[Reply] = []
        menu: SettingsState | None = None
        if row is not None and open_question:
            asked = row.awaiting
            replies = await applying.apply_time(session, row, chosen, now)
            menu = await _menu_after(session, row, asked, now)
    message = query.message
    if row is None or not open_question:
        await query.answer(texts.BUTTON_EXPIRED_NO_USER if row is None else texts.TIME_EXPIRED)
        return
    await query.answer()
    if not isinstance(message, Message):
        return
    # The question becomes a record of the answer, so its buttons cannot be tapped again.
    formatted = timeinput.format_time(chosen)
    await message.edit_text(texts.TIME_CHOSEN.format(time=formatted))
    await _send(context, message, user.id, replies, menu)


async def on_zone_pick(update: Update, context: LimberContext) -> None:
    """A tap on one of a country's zones, under the question that offered them."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None or query.message is None:
        return
    picked = parse_pick(query.data)
    now = context.services.clock.now()
    async with context.services.db.transaction() as session:
        row, live = await common.tapped_live(session, query, storage_live.QUESTION)
        # Only on the open zone question, as for the time buttons above.
        open_question = (
            live and row is not None and picked is not None and row.awaiting in ZONE_QUESTIONS
        )
        replies, menu = [], None
        if row is not None and picked is not None and open_question:
            asked = row.awaiting
            place, zone = picked
            reading = zones.ZoneReading((zone,), via=place)
            replies = await applying.apply_zone(session, row, reading, now)
            menu = await _menu_after(session, row, asked, now)
    if row is None or not open_question:
        await query.answer(
            texts.BUTTON_EXPIRED_NO_USER if row is None else texts.ZONE_CHOICE_EXPIRED
        )
        return
    await query.answer()
    message = query.message
    if isinstance(message, Message):
        await message.edit_reply_markup(None)  # answered: its buttons cannot act again
        await _send(context, message, user.id, replies, menu)


async def on_zone_ask(update: Update, context: LimberContext) -> None:
    """ "Pick another" under a zone we guessed: ask the zone question again. Only the newest
    guess's button acts, once, and only for a user we know (it must not re-create anyone)."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None or query.message is None:
        return
    async with context.services.db.transaction() as session:
        row, live = await common.tapped_live(session, query, storage_live.ZONE_GUESS)
        if live:
            await storage_live.forget(session, user.id, storage_live.ZONE_GUESS)
    if not live:
        await query.answer(
            texts.BUTTON_EXPIRED_NO_USER if row is None else texts.ZONE_PICK_ANOTHER_EXPIRED
        )
        return
    await query.answer()
    message = query.message
    if isinstance(message, Message):
        await message.edit_reply_markup(None)
    await asking.ask(update, context, Awaiting.ZONE)


async def _menu_after(
    session: AsyncSession, row: User, asked: str | None, now: datetime
) -> SettingsState | None:
    """The settings menu to show again, when the question came from it and is now answered."""
    if asked in FROM_MENU and row.awaiting is None:
        return await settings.menu_state(session, row, now)
    return None


async def _send(
    context: LimberContext,
    message: Message,
    user_id: int,
    replies: list[Reply],
    menu: SettingsState | None,
) -> None:
    await asking.send_replies(context, message, user_id, replies)
    if menu is not None:
        await settings.send_menu(context, message, user_id, menu)


def input_handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Registered in INPUT_GROUP."""
    return [MessageHandler(ANSWER, on_input)]


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [
        CallbackQueryHandler(on_time_button, pattern=callbacks.ReminderTime.pattern()),
        CallbackQueryHandler(on_zone_pick, pattern=callbacks.ZonePick.pattern()),
        CallbackQueryHandler(on_zone_ask, pattern=callbacks.ZoneAsk.pattern()),
    ]
