"""Answers to the questions the bot asked — time zone and reminder time — whether typed,
shared as a location, or tapped on a time button.

One handler for every question; whether a text answers one is in the turn's row, so other
texts take no lock. The question's asker decides what follows: onboarding chains to the next
question, /time and /timezone confirm, and a question asked from /settings brings the menu
back once answered.
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

from coach import callbacks, timeinput, zones
from coach.reminder_keyboards import parse_time_arg
from coach.settings_view import SettingsState
from coach.texts import Texts
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
    """Typed text or a shared location: an answer if we asked a question, else not ours.
    Only an answer takes the writer lock: whether one is open is in the turn's row."""
    turn, message = context.turn, update.effective_message
    asked = turn.row.awaiting if turn.row is not None else None
    if turn.user is None or message is None or asked not in (*ZONE_QUESTIONS, *TIME_QUESTIONS):
        return  # not an answer: the feature handlers and catch-alls see it
    located: str | None = None
    if message.location is not None:
        # Building the zone finder the first time takes a moment; keep the event loop free.
        located = await asyncio.to_thread(
            zones.zone_from_location, message.location.latitude, message.location.longitude
        )
    texts, now = turn.texts, turn.now
    async with context.services.db.transaction() as session:
        row = await users.get_user(session, turn.user.id)
        asked = row.awaiting if row is not None else None
        if row is None or asked not in (*ZONE_QUESTIONS, *TIME_QUESTIONS):
            return  # answered meanwhile (by another instance): no longer an answer
        row.blocked = False
        if asked in ZONE_QUESTIONS:
            if message.location is not None:
                reading = zones.ZoneReading((located,)) if located else None
            else:
                reading = zones.read_zone(message.text or "")
            replies = await applying.apply_zone(
                session, row, reading, now, texts, located=message.location is not None
            )
        else:
            chosen = timeinput.parse_time(message.text or "")
            replies = await applying.apply_time(session, row, chosen, now, texts)
        menu = await _menu_after(session, row, asked, now, texts)
    await _send(context, message, turn.user.id, replies, menu)
    raise ApplicationHandlerStop


async def on_time_button(update: Update, context: LimberContext) -> None:
    """A tap on one of the common times under the time question."""
    turn = context.turn
    texts, now = turn.texts, turn.now
    tap = await common.read_tap(update, callbacks.ReminderTime, texts.BUTTON_EXPIRED)
    chosen = parse_time_arg(tap.data.hhmm) if tap is not None else None
    if tap is None or chosen is None:
        if tap is not None:
            await tap.query.answer(texts.BUTTON_EXPIRED)
        return
    if turn.row is None:
        await tap.query.answer(texts.BUTTON_EXPIRED_NO_USER)
        return
    # Only on the open time question: once it is answered (typed, say), or asked again,
    # its buttons are stale, and time data tapped on any other message does nothing.
    if turn.row.awaiting not in TIME_QUESTIONS or not await common.is_live(
        context, turn, storage_live.QUESTION, tap
    ):
        await tap.query.answer(texts.TIME_EXPIRED)
        return
    replies: list[Reply] = []
    menu: SettingsState | None = None
    async with context.services.db.transaction() as session:
        row = await _open_question(session, turn.row.id, tap, TIME_QUESTIONS)
        if row is not None:
            asked = row.awaiting
            replies = await applying.apply_time(session, row, chosen, now, texts)
            menu = await _menu_after(session, row, asked, now, texts)
    if row is None:
        await tap.query.answer(texts.TIME_EXPIRED)
        return
    await tap.query.answer()
    if tap.message is None:
        return
    # The question becomes a record of the answer, so its buttons cannot be tapped again.
    formatted = timeinput.format_time(chosen)
    await tap.message.edit_text(texts.TIME_CHOSEN.format(time=formatted))
    await _send(context, tap.message, turn.row.id, replies, menu)


async def on_zone_pick(update: Update, context: LimberContext) -> None:
    """A tap on one of a country's zones, under the question that offered them."""
    turn = context.turn
    texts, now = turn.texts, turn.now
    tap = await common.read_tap(update, callbacks.ZonePick, texts.BUTTON_EXPIRED)
    if tap is None:
        return
    picked = parse_pick(tap.query.data)
    if turn.row is None:
        await tap.query.answer(texts.BUTTON_EXPIRED_NO_USER)
        return
    # Only on the open zone question, as for the time buttons above.
    if (
        picked is None
        or turn.row.awaiting not in ZONE_QUESTIONS
        or not await common.is_live(context, turn, storage_live.QUESTION, tap)
    ):
        await tap.query.answer(texts.ZONE_CHOICE_EXPIRED)
        return
    replies: list[Reply] = []
    menu: SettingsState | None = None
    async with context.services.db.transaction() as session:
        row = await _open_question(session, turn.row.id, tap, ZONE_QUESTIONS)
        if row is not None:
            asked = row.awaiting
            place, zone = picked
            reading = zones.ZoneReading((zone,), via=place)
            replies = await applying.apply_zone(session, row, reading, now, texts)
            menu = await _menu_after(session, row, asked, now, texts)
    if row is None:
        await tap.query.answer(texts.ZONE_CHOICE_EXPIRED)
        return
    await tap.query.answer()
    if tap.message is not None:
        await tap.message.edit_reply_markup(None)  # answered: its buttons cannot act again
        await _send(context, tap.message, turn.row.id, replies, menu)


async def on_zone_ask(update: Update, context: LimberContext) -> None:
    """ "Pick another" under a zone we guessed: ask the zone question again. Only the newest
    guess's button acts, once, and only for a user we know (it must not re-create anyone)."""
    turn = context.turn
    texts = turn.texts
    tap = await common.read_tap(update, callbacks.ZoneAsk, texts.BUTTON_EXPIRED)
    if tap is None:
        return
    if turn.row is None:
        await tap.query.answer(texts.BUTTON_EXPIRED_NO_USER)
        return
    live = await common.is_live(context, turn, storage_live.ZONE_GUESS, tap)
    if live:
        async with context.services.db.transaction() as session:
            live = await storage_live.is_live(
                session, turn.row.id, storage_live.ZONE_GUESS, tap.chat_id, tap.message_id
            )
            if live:  # it acts once
                await storage_live.forget(session, turn.row.id, storage_live.ZONE_GUESS)
    if not live:
        await tap.query.answer(texts.ZONE_PICK_ANOTHER_EXPIRED)
        return
    await tap.query.answer()
    if tap.message is not None:
        await tap.message.edit_reply_markup(None)
    await asking.ask(update, context, Awaiting.ZONE)


async def _open_question(
    session: AsyncSession, user_id: int, tap: common.Tap[Any], questions: frozenset[Awaiting]
) -> User | None:
    """The user's row, when the tapped message is still their open question of this kind
    (checked again inside the write: another instance may have answered it meanwhile)."""
    row = await users.get_user(session, user_id)
    if row is None or row.awaiting not in questions:
        return None
    live = await storage_live.is_live(
        session, user_id, storage_live.QUESTION, tap.chat_id, tap.message_id
    )
    return row if live else None


async def _menu_after(
    session: AsyncSession, row: User, asked: str | None, now: datetime, texts: Texts
) -> SettingsState | None:
    """The settings menu to show again, when the question came from it and is now answered."""
    if asked in FROM_MENU and row.awaiting is None:
        return await settings.menu_state(session, row, now, texts)
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
