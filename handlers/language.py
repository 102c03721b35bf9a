"""/language (and the settings menu's 🌐 entry): which of our languages the bot speaks.

The choice is stored in users.language and used from the next update on (bot.log_context);
the answer to the tap is already in the new language. Only the newest question acts, once
(`storage.live`, as for the other questions): a tap on an older one, on another kind of
message, or after /deleteme answers that it expired and changes nothing.
"""

from __future__ import annotations

from typing import Any

from telegram import Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from coach import callbacks, i18n, texts
from coach.language_view import language_keyboard, parse_language
from handlers import common
from handlers.context import LimberContext
from handlers.keyboards import expire, inline
from handlers.questions.asking import Reply, send_replies
from storage import live, users


async def show_languages(update: Update, context: LimberContext) -> None:
    sender = common.sender_of(update)
    if sender is None:
        return
    async with common.sender_row(context, sender):
        pass  # a first contact by /language creates the row, as every command does
    await ask(context, sender.message, sender.user.id)


async def ask(context: LimberContext, message: Message, user_id: int) -> None:
    """Send the question to the chat of `message`; it becomes the live one."""
    question = Reply(texts.LANGUAGE_ASK, inline(language_keyboard()), live_kind=live.LANGUAGE)
    await send_replies(context, message, user_id, [question])


async def on_language_button(update: Update, context: LimberContext) -> None:
    query, user = update.callback_query, update.effective_user
    if query is None or user is None or query.message is None:
        return
    language = parse_language(query.data)
    if language is None:
        await query.answer(texts.SETTINGS_OUT_OF_RANGE)
        return
    async with context.services.db.transaction() as session:
        row, chosen = await common.tapped_live(session, query, live.LANGUAGE)
        if row is not None and chosen:
            users.set_language(row, language)
            await live.forget(session, user.id, live.LANGUAGE)  # answered: it acts no more
    if row is None:
        await query.answer(texts.BUTTON_EXPIRED_NO_USER)
        return
    if not chosen:
        await expire(query, texts.LANGUAGE_EXPIRED, parse_language)
        return
    with i18n.use(language):
        await query.answer(texts.LANGUAGE_SET_TOAST)
        await query.edit_message_text(texts.LANGUAGE_SET)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [
        CommandHandler("language", show_languages),
        CallbackQueryHandler(on_language_button, pattern=callbacks.ChooseLanguage.pattern()),
    ]
