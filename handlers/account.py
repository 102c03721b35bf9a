"""/export (the user's data as a JSON file) and /deleteme (erase it all after a confirmation)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from coach import callbacks, texts
from coach.export import build_export, export_filename
from handlers.context import LimberContext
from storage import account, live, users

# A confirmation left in the chat must not delete anything days later by a stray tap.
CONFIRM_TTL = timedelta(minutes=10)


async def export(update: Update, context: LimberContext) -> None:
    user, message = update.effective_user, update.effective_message
    if user is None or message is None:
        return
    now = context.services.clock.now()
    async with context.services.db.transaction() as session:
        tables = await account.export_rows(session, user.id)
    document = build_export(tables, user_id=user.id, exported_at=now)
    await message.reply_document(
        InputFile(document, filename=export_filename(now.date())),
        caption=texts.EXPORT_CAPTION,
    )


def confirm_keyboard(now: datetime) -> InlineKeyboardMarkup:
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
    user, message = update.effective_user, update.effective_message
    if user is None or message is None:
        return
    now = context.services.clock.now()
    sent = await message.reply_text(texts.DELETE_CONFIRM, reply_markup=confirm_keyboard(now))
    # Only this confirmation deletes: its data tapped on any other message does nothing.
    async with context.services.db.transaction() as session:
        if await users.get_user(session, user.id) is not None:
            await live.remember(session, user.id, live.DELETE, sent.chat.id, sent.message_id, now)


async def on_delete_button(update: Update, context: LimberContext) -> None:
    query, user = update.callback_query, update.effective_user
    if query is None or user is None or query.message is None:
        return
    data = callbacks.DeleteAnswer.parse(query.data)
    choice = data.choice if data else None
    issued = data.issued if data else None
    now = context.services.clock.now()
    chat_id, message_id = query.message.chat.id, query.message.message_id
    deleted = False
    async with context.services.db.transaction() as session:
        confirmed = await live.is_live(session, user.id, live.DELETE, chat_id, message_id)
        if confirmed and choice == "no":
            await live.forget(session, user.id, live.DELETE)
        elif confirmed and choice == "yes" and issued is not None and _fresh(issued, now):
            await account.delete_user_data(session, user.id)
            deleted = True
    if confirmed and choice == "no":
        await query.answer()
        await query.edit_message_text(texts.DELETE_CANCELLED)
        return
    if not deleted:
        await query.answer(texts.DELETE_EXPIRED, show_alert=True)
        return
    await query.answer()
    await query.edit_message_text(texts.DELETE_DONE)


def _fresh(issued: int, now: datetime) -> bool:
    age = now.timestamp() - issued
    return 0 <= age <= CONFIRM_TTL.total_seconds()


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [
        CommandHandler("export", export),
        CommandHandler("deleteme", ask_delete),
        CallbackQueryHandler(on_delete_button, pattern=callbacks.DeleteAnswer.pattern()),
    ]
