"""/export (the user's data as a JSON file) and /deleteme (erase it all after a confirmation)."""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta
from typing import Any

from telegram import (
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Update,
)
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from coach import callbacks
from coach.export import build_export, export_filename
from coach.texts import Texts
from handlers import common
from handlers.context import LimberContext
from storage import account, live, together, users

# A confirmation left in the chat must not delete anything days later by a stray tap.
CONFIRM_TTL = timedelta(minutes=10)


async def export(update: Update, context: LimberContext) -> None:
    turn, message = context.turn, update.effective_message
    if turn.user is None or message is None:
        return
    async with context.services.db.read() as session:
        tables = await account.export_rows(session, turn.user.id)
        shared = await together.export_summary(session, turn.user.id)
    document = build_export(tables, user_id=turn.user.id, exported_at=turn.now, together=shared)
    await message.reply_document(
        InputFile(document, filename=export_filename(turn.now.date())),
        caption=turn.texts.EXPORT_CAPTION,
    )


def confirm_keyboard(now: datetime, texts: Texts) -> InlineKeyboardMarkup:
    # The button carries when it was offered, so a stale one is refused without any stored state.
    issued = int(now.timestamp())
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    texts.DELETE_BUTTON_YES,
                    callback_data=callbacks.DeleteAnswer("yes", issued).encode(),
                ),
                InlineKeyboardButton(
                    texts.DELETE_BUTTON_NO, callback_data=callbacks.DeleteAnswer("no").encode()
                ),
            ]
        ]
    )


async def ask_delete(update: Update, context: LimberContext) -> None:
    turn, message = context.turn, update.effective_message
    if turn.user is None or message is None:
        return
    sent = await message.reply_text(
        turn.texts.DELETE_CONFIRM, reply_markup=confirm_keyboard(turn.now, turn.texts)
    )
    # Only this confirmation deletes: its data tapped on any other message does nothing.
    async with context.services.db.transaction() as session:
        if await users.get_user(session, turn.user.id) is not None:
            await live.remember(
                session, turn.user.id, live.DELETE, sent.chat.id, sent.message_id, turn.now
            )


async def on_delete_button(update: Update, context: LimberContext) -> None:
    turn = context.turn
    texts, now = turn.texts, turn.now
    tap = await common.read_tap(update, callbacks.DeleteAnswer, texts.DELETE_EXPIRED)
    if tap is None or turn.user is None:
        return
    choice, issued = tap.data.choice, tap.data.issued
    confirmed = await common.is_live(context, turn, live.DELETE, tap)
    wanted = choice == "no" or (choice == "yes" and issued is not None and _fresh(issued, now))
    deleted = cancelled = False
    if confirmed and wanted:
        async with context.services.db.transaction() as session:
            if await live.is_live(session, turn.user.id, live.DELETE, tap.chat_id, tap.message_id):
                if choice == "no":
                    await live.forget(session, turn.user.id, live.DELETE)
                    cancelled = True
                else:
                    await account.delete_user_data(session, turn.user.id)
                    deleted = True
    if cancelled:
        await tap.answer()
        await tap.query.edit_message_text(texts.DELETE_CANCELLED)
        return
    if not deleted:
        await tap.answer(texts.DELETE_EXPIRED, show_alert=True)
        return
    await tap.answer()
    await tap.query.edit_message_text(texts.DELETE_DONE)
    # The chat's own "/" menu (its chosen language) goes too: Telegram's default serves it.
    with contextlib.suppress(TelegramError):
        await context.bot.delete_my_commands(scope=BotCommandScopeChat(tap.chat_id))


def _fresh(issued: int, now: datetime) -> bool:
    age = now.timestamp() - issued
    return 0 <= age <= CONFIRM_TTL.total_seconds()


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [
        CommandHandler("export", export),
        CommandHandler("deleteme", ask_delete),
        CallbackQueryHandler(on_delete_button, pattern=callbacks.DeleteAnswer.pattern()),
    ]
