"""/language (and the settings menu's 🌐 entry): which of our languages the bot speaks.

The choice is stored in users.language and used from the next update on (bot.log_context);
the answer to the tap is already in the new language. Each button carries the language it
sets, so a tap on an older question is as good as one on the newest.
"""

from __future__ import annotations

from typing import Any

from telegram import Chat, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from coach import callbacks, i18n, texts
from coach.language_view import language_keyboard, parse_language
from handlers import common
from handlers.context import LimberContext
from handlers.keyboards import inline
from storage import users


async def show_languages(update: Update, context: LimberContext) -> None:
    sender = common.sender_of(update)
    if sender is None:
        return
    async with common.sender_row(context, sender):
        pass  # a first contact by /language creates the row, as every command does
    await ask(sender.chat)


async def ask(chat: Chat) -> None:
    """Send the question as a new message in `chat`."""
    await chat.send_message(texts.LANGUAGE_ASK, reply_markup=inline(language_keyboard()))


async def on_language_button(update: Update, context: LimberContext) -> None:
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    language = parse_language(query.data)
    if language is None:
        await query.answer(texts.SETTINGS_OUT_OF_RANGE)
        return
    async with context.services.db.transaction() as session:
        row = await users.get_user(session, user.id)
        if row is not None:
            users.set_language(row, language)
    if row is None:
        await query.answer(texts.BUTTON_EXPIRED_NO_USER)
        return
    with i18n.use(language):
        await query.answer(texts.LANGUAGE_SET_TOAST)
        if query.message is not None:
            await query.edit_message_text(texts.LANGUAGE_SET)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [
        CommandHandler("language", show_languages),
        CallbackQueryHandler(on_language_button, pattern=callbacks.ChooseLanguage.pattern()),
    ]
